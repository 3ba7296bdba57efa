package glassbox.bench;

import glassbox.nn.layers.Activation;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Blas;
import glassbox.tensor.Padding;
import glassbox.tensor.ReferenceConv2D;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The seed models' convolutions at batch 128, as the engine runs them (im2col + BLAS, {@link Conv2D}) beside
 * the direct seven-loop definition ({@link ReferenceConv2D}) and beside {@link Blas#sgemm} alone on the
 * same GEMM shapes — how close the layer comes to the BLAS it is built on.
 *
 * <p>Shapes are {@code "H:W:C:F:padding"} (3×3 kernels, stride 1): every Conv2D of seed 002's default and
 * custom models and of seed 001's MNIST model. One forward does {@code 2·B·outH·outW·9C·F} FLOPs
 * ({@link #flops}); so do backward-filter and backward-data each. Variants:
 * <ul>
 *   <li>{@link #forward}: {@code Conv2D.forward} (im2col, GEMM, bias and ReLU, chunk by chunk).</li>
 *   <li>{@link #backwardFilter}: {@code Conv2D.backward} with no input gradient wanted (the ReLU and bias
 *       gradients, im2col again, {@code dW += X̂ᵀ·dZ}).</li>
 *   <li>{@link #backwardFilterAndData}: {@code Conv2D.backward} with the input gradient; minus
 *       {@link #backwardFilter} it is backward-data's time.</li>
 *   <li>{@link #gemmForward}, {@link #gemmFilter}, {@link #gemmData}: only the GEMMs of those passes, chunk
 *       by chunk on prepared operands — the ceiling for the layer on this BLAS.</li>
 *   <li>{@link #directForward}: the direct loop (double accumulation, as the tests' oracle), on
 *       {@value #DIRECT_BATCH} samples: its GFLOP/s, not its time, compares.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ConvBenchmark {
    static final int BATCH = 128;
    static final int DIRECT_BATCH = 2;

    @Param({"28:28:1:32:same", "14:14:32:32:same", "28:28:32:128:valid", "13:13:128:64:same",
        "28:28:1:32:valid", "26:26:32:32:valid", "12:12:32:64:valid", "10:10:64:64:valid"})
    public String shape;

    Conv2D conv;
    Conv2D convFilterOnly;
    Tensor x;
    Tensor dy;
    Tensor xDirect;
    Window2D g;
    int chunk;
    float[] cols;
    float[] out;
    float[] dCols;
    float[] kernel;

    /** FLOPs of one pass (forward, backward-filter or backward-data) over {@code batch} samples of {@code shape}. */
    static double flops(String shape, int batch) {
        String[] s = shape.split(":");
        int h = Integer.parseInt(s[0]);
        int w = Integer.parseInt(s[1]);
        int c = Integer.parseInt(s[2]);
        int f = Integer.parseInt(s[3]);
        Padding p = Padding.of(s[4]);
        return 2.0 * batch * p.outputLength(h, 3, 1) * p.outputLength(w, 3, 1) * 9 * c * f;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] s = shape.split(":");
        int h = Integer.parseInt(s[0]);
        int w = Integer.parseInt(s[1]);
        int c = Integer.parseInt(s[2]);
        int f = Integer.parseInt(s[3]);
        Padding p = Padding.of(s[4]);
        conv = new Conv2D(f, 3, 3, 1, 1, p, Activation.RELU, true, null);
        conv.build(new int[]{h, w, c}, new Rng(1));
        convFilterOnly = new Conv2D(f, 3, 3, 1, 1, p, Activation.RELU, true, null);
        convFilterOnly.build(new int[]{h, w, c}, new Rng(1));
        convFilterOnly.setInputGradientNeeded(false);
        Rng rng = new Rng(2);
        x = Tensor.zeros(BATCH, h, w, c);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) rng.uniform(-1, 1);
        }
        xDirect = x.slice(0, DIRECT_BATCH);
        Tensor y = conv.forward(x, true);
        convFilterOnly.forward(x, true);
        dy = Tensor.zeros(y.shape());
        for (int i = 0; i < dy.size(); i++) {
            dy.data()[i] = (float) rng.uniform(-1, 1);
        }
        checkAgainstDirectLoop(y);
        g = conv.window();
        kernel = conv.params().get(0).value().data();
        long perSample = 4L * g.positions() * g.patchLength();
        chunk = (int) Math.max(1, Math.min(BATCH, Conv2D.DEFAULT_PATCH_BUDGET_BYTES / perSample));
        cols = new float[chunk * g.positions() * g.patchLength()];
        out = new float[chunk * g.positions() * f];
        dCols = new float[cols.length];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = (float) rng.uniform(-1, 1);
        }
    }

    /** A fast wrong layer must not post a number: its first two samples against the direct loop. */
    private void checkAgainstDirectLoop(Tensor y) {
        glassbox.nn.Param k = conv.params().get(0);
        double[] ref = ReferenceConv2D.forward(x.data(), DIRECT_BATCH, conv.window(), k.value().data(),
                conv.params().get(1).value().data(), conv.filters());
        for (int i = 0; i < ref.length; i++) {
            double expected = Math.max(0, ref[i]);
            if (Math.abs(y.data()[i] - expected) > 1e-4 * Math.max(1, Math.abs(expected))) {
                throw new IllegalStateException("Conv2D " + shape + " disagrees with the direct loop at " + i
                        + ": " + y.data()[i] + " vs " + expected);
            }
        }
    }

    @Benchmark
    public Tensor forward() {
        return conv.forward(x, true);
    }

    @Benchmark
    public Tensor backwardFilter() {
        convFilterOnly.backward(dy);
        return convFilterOnly.params().get(0).grad();
    }

    @Benchmark
    public Tensor backwardFilterAndData() {
        return conv.backward(dy);
    }

    @Benchmark
    public float[] gemmForward() {
        for (int first = 0; first < BATCH; first += chunk) {
            int rows = Math.min(chunk, BATCH - first) * g.positions();
            Blas.sgemm(false, false, rows, conv.filters(), g.patchLength(), 1f, cols, g.patchLength(), kernel,
                    conv.filters(), 0f, out, conv.filters());
        }
        return out;
    }

    @Benchmark
    public float[] gemmFilter() {
        float[] dw = conv.params().get(0).grad().data();
        for (int first = 0; first < BATCH; first += chunk) {
            int rows = Math.min(chunk, BATCH - first) * g.positions();
            Blas.sgemm(true, false, g.patchLength(), conv.filters(), rows, 1f, cols, g.patchLength(), out,
                    conv.filters(), 1f, dw, conv.filters());
        }
        return dw;
    }

    @Benchmark
    public float[] gemmData() {
        for (int first = 0; first < BATCH; first += chunk) {
            int rows = Math.min(chunk, BATCH - first) * g.positions();
            Blas.sgemm(false, true, rows, g.patchLength(), conv.filters(), 1f, out, conv.filters(), kernel,
                    conv.filters(), 0f, dCols, g.patchLength());
        }
        return dCols;
    }

    @Benchmark
    public double[] directForward() {
        return ReferenceConv2D.forward(xDirect.data(), DIRECT_BATCH, g, kernel, null, conv.filters());
    }
}
