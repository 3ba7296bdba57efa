package glassbox.bench;

import glassbox.kernels.BlasGemm;
import glassbox.kernels.Conv;
import glassbox.kernels.ConvLadder;
import glassbox.kernels.EngineConv;
import glassbox.kernels.Im2colConv;
import glassbox.tensor.ConvPlan;
import glassbox.tensor.Blas;
import glassbox.tensor.Padding;
import glassbox.tensor.ReferenceConv2D;
import glassbox.tensor.Window2D;
import glassbox.util.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The convolution ladder ({@link ConvLadder}) on every Conv2D of the seed CNNs at batch {@value #BATCH}:
 * forward, backward-filter and backward-data of each rung, plus the ceiling — {@link Blas#sgemm} alone on
 * the engine's GEMMs.
 *
 * <p>Shapes are {@code "H:W:C:F:padding"} (3×3 kernels, stride 1, as every seed convolution is), listed in
 * {@link #SHAPES}: seed 002's default and custom models, seed 001's MNIST CNN, seed 003's autoencoder and
 * classifier (duplicates once). Each pass does {@link Conv#flops} FLOPs, so GFLOP/s compare across passes
 * and rungs. Rungs are {@code @Param rung}, by {@link #key}: {@code direct-loops}, one
 * {@code im2col-…} per {@link GemmRungs} entry, {@code engine-conv2d}, and {@value #GEMM_ONLY} (the ceiling:
 * the engine's chunks' GEMMs on prepared operands, its tasks in parallel — for backward-data the col2im
 * route's GEMM, which the engine replaces by a convolution of dY on some stride-1 shapes; for one input
 * channel or one filter the GEMMs of im2col + GEMM, which the engine replaces by direct loops).
 *
 * <p><b>Samples.</b> The engine, im2col on the BLAS facade and the ceiling run the whole batch. The slow rungs
 * (the direct loops, im2col on the Java GEMMs) run as many whole samples as fit {@value #FLOP_BOUND} FLOPs
 * per call (at least one; {@link #samples}): a call of a few tenths of a second, with still thousands of
 * patch rows per GEMM. Their GFLOP/s, not their times, compare.
 *
 * <p>Before timing, each rung's three passes are checked on two samples against {@link ReferenceConv2D}:
 * a fast wrong rung must not post a number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ConvLadderBenchmark {
    static final int BATCH = 128;
    static final double FLOP_BOUND = 4e8;
    static final String GEMM_ONLY = "blas-gemm-only";

    /** Every seed Conv2D, in model order: 002 default, 002 custom, 001 MNIST, 003 autoencoder, 003 classifier. */
    static final String[] SHAPES = {"28:28:1:32:same", "14:14:32:32:same", "28:28:32:128:valid",
        "13:13:128:64:same", "28:28:1:32:valid", "26:26:32:32:valid", "12:12:32:64:valid", "10:10:64:64:valid",
        "28:28:1:16:same", "14:14:16:8:same", "7:7:8:8:same", "4:4:8:8:same", "8:8:8:8:same", "16:16:8:16:valid",
        "28:28:16:1:same", "26:26:32:64:valid"};

    /** What {@code ./glassbox bench conv} runs without {@code --all-shapes}: one of each kind of shape. */
    static final String[] DEFAULT_SHAPES = {"28:28:1:32:same", "28:28:32:128:valid", "13:13:128:64:same",
        "14:14:16:8:same"};

    @Param({"28:28:1:32:same", "14:14:32:32:same", "28:28:32:128:valid", "13:13:128:64:same", "28:28:1:32:valid",
        "26:26:32:32:valid", "12:12:32:64:valid", "10:10:64:64:valid", "28:28:1:16:same", "14:14:16:8:same",
        "7:7:8:8:same", "4:4:8:8:same", "8:8:8:8:same", "16:16:8:16:valid", "28:28:16:1:same",
        "26:26:32:64:valid"})
    public String shape;

    /**
     * The ladder on a 2-core JVM without the Vector API (what the JMH jar runs by default); {@code ./glassbox
     * bench conv} passes {@link #rungKeys()}, this machine's own list.
     */
    @Param({"direct-loops", "im2col-naive-ijk", "im2col-ikj", "im2col-blocked", "im2col-packed",
        "im2col-packed-2-threads", "im2col-blas-facade", "engine-conv2d", GEMM_ONLY})
    public String rung;

    private Supplier<float[]> forwardPass;
    private Supplier<float[]> filterPass;
    private Supplier<float[]> dataPass;

    /** A shape string's geometry: {@code H:W:C:F:padding}, a 3×3 window at stride 1. */
    static Window2D window(String shape) {
        String[] s = parts(shape);
        return Window2D.of(Integer.parseInt(s[0]), Integer.parseInt(s[1]), Integer.parseInt(s[2]), 3, 3, 1, 1,
                Padding.of(s[4]));
    }

    static int filters(String shape) {
        return Integer.parseInt(parts(shape)[3]);
    }

    private static String[] parts(String shape) {
        String[] s = shape.split(":");
        if (s.length != 5) {
            throw new IllegalArgumentException("conv shape '" + shape + "' is not H:W:C:F:padding, e.g. 28:28:32:128:valid");
        }
        return s;
    }

    /** A rung's parameter value: its name in lower case, every run of other characters one '-'. */
    static String key(Conv rung) {
        return rung.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** The ladder measured: {@link ConvLadder#rungs} over {@link GemmRungs#all()}. */
    static List<Conv> ladder() {
        return ConvLadder.rungs(GemmRungs.all());
    }

    /** Every rung's key in ladder order, then {@value #GEMM_ONLY}. */
    static List<String> rungKeys() {
        List<String> keys = new ArrayList<>();
        for (Conv c : ladder()) {
            keys.add(key(c));
        }
        keys.add(GEMM_ONLY);
        return keys;
    }

    /** Whether a rung runs the whole batch (the BLAS-backed ones) rather than the FLOP-bounded slice. */
    static boolean fullBatch(String rungKey) {
        if (rungKey.equals(GEMM_ONLY)) {
            return true;
        }
        Conv c = find(rungKey);
        return c instanceof EngineConv || c instanceof Im2colConv i && i.gemm() instanceof BlasGemm;
    }

    /** Samples per call for {@code rungKey} on {@code shape}: the batch, or what fits {@value #FLOP_BOUND} FLOPs. */
    static int samples(String shape, String rungKey) {
        if (fullBatch(rungKey)) {
            return BATCH;
        }
        double perSample = Conv.flops(1, window(shape), filters(shape));
        return (int) Math.max(1, Math.min(BATCH, Math.floor(FLOP_BOUND / perSample)));
    }

    static Conv find(String rungKey) {
        for (Conv c : ladder()) {
            if (key(c).equals(rungKey)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no conv rung '" + rungKey + "': expected one of " + rungKeys());
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        Window2D g = window(shape);
        int f = filters(shape);
        int n = samples(shape, rung);
        Rng rng = new Rng(1);
        float[] x = random(rng, n * g.inputSize());
        float[] kernel = random(rng, g.patchLength() * f);
        float[] dy = random(rng, n * g.positions() * f);
        if (rung.equals(GEMM_ONLY)) {
            gemmOnly(g, f, kernel, rng);
        } else {
            Conv conv = find(rung);
            checkAgainstReference(conv, g, f, kernel, rng);
            forwardPass = () -> conv.forward(x, n, g, kernel, f);
            filterPass = () -> conv.backwardFilter(x, dy, n, g, f);
            dataPass = () -> conv.backwardData(dy, n, g, kernel, f);
            forwardPass.get(); // the engine's backward-filter reuses this forward of x, as training does
        }
        // One call of the pass to be timed, so that loading the native BLAS and allocating the rung's buffers
        // fall before the first warm-up iteration, whatever its length.
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        switch (method) {
            case "forward" -> forwardPass.get();
            case "backwardFilter" -> filterPass.get();
            default -> dataPass.get();
        }
    }

    /**
     * The engine's GEMMs alone, as {@link ConvPlan} issues them, on prepared random operands: the batch cut
     * into the plan's tasks, run in parallel, each calling one-thread GEMMs chunk by chunk into buffers of its
     * own. (Where the plan runs direct loops instead, these are the GEMMs im2col + GEMM would run.)
     */
    private void gemmOnly(Window2D g, int f, float[] kernel, Rng rng) {
        ConvPlan plan = ConvPlan.of(g, f);
        plan.setThinConv(null);
        int tasks = plan.tasks(BATCH);
        int chunk = plan.chunkSamples(BATCH);
        int l = g.patchLength();
        int p = g.positions();
        float[] cols = random(rng, chunk * p * l);
        float[] dz = random(rng, chunk * p * f);
        float[][] out = new float[tasks][chunk * p * f];
        float[][] dCols = new float[tasks][chunk * p * l];
        float[][] dw = new float[tasks][l * f];
        forwardPass = () -> {
            eachChunk(tasks, chunk, (t, rows, first) ->
                    Blas.sgemmInBands(1, false, false, rows, f, l, 1f, cols, l, kernel, f, 0f, out[t], f), p);
            return out[0];
        };
        filterPass = () -> {
            eachChunk(tasks, chunk, (t, rows, first) -> Blas.sgemmInBands(1, true, false, l, f, rows, 1f, cols, l,
                    dz, f, first ? 0f : 1f, dw[t], f), p);
            return dw[0];
        };
        dataPass = () -> {
            eachChunk(tasks, chunk, (t, rows, first) ->
                    Blas.sgemmInBands(1, false, true, rows, l, f, 1f, dz, f, kernel, f, 0f, dCols[t], l), p);
            return dCols[0];
        };
    }

    private interface ChunkGemm {
        void run(int task, int rows, boolean firstOfTask);
    }

    /** The plan's walk: {@code tasks} runs of the batch in parallel, each in chunks of {@code chunk} samples. */
    private static void eachChunk(int tasks, int chunk, ChunkGemm gemm, int positions) {
        glassbox.util.Parallel.forEach(tasks, Integer.MAX_VALUE, t -> { // always on every core, as the plan
            for (int first = t * BATCH / tasks, end = (t + 1) * BATCH / tasks; first < end; first += chunk) {
                gemm.run(t, Math.min(chunk, end - first) * positions, first == t * BATCH / tasks);
            }
        });
    }

    /** The rung's three passes on two fresh samples against the double-precision definition. */
    private void checkAgainstReference(Conv conv, Window2D g, int f, float[] kernel, Rng rng) {
        int n = 2;
        float[] x = random(rng, n * g.inputSize());
        float[] dy = random(rng, n * g.positions() * f);
        compare("forward", ReferenceConv2D.forward(x, n, g, kernel, null, f), conv.forward(x, n, g, kernel, f));
        compare("backward-filter", ReferenceConv2D.backwardFilter(x, dy, n, g, f), conv.backwardFilter(x, dy, n, g, f));
        compare("backward-data", ReferenceConv2D.backwardData(dy, n, g, kernel, f), conv.backwardData(dy, n, g, kernel, f));
    }

    private void compare(String pass, double[] expected, float[] actual) {
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4 * scale) {
                throw new IllegalStateException(rung + " " + pass + " on " + shape + " disagrees with the definition at "
                        + i + ": " + actual[i] + " vs " + expected[i]);
            }
        }
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.uniform(-1, 1);
        }
        return a;
    }

    @Benchmark
    public float[] forward() {
        return forwardPass.get();
    }

    @Benchmark
    public float[] backwardFilter() {
        return filterPass.get();
    }

    @Benchmark
    public float[] backwardData() {
        return dataPass.get();
    }
}
