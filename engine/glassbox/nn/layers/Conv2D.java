package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.nn.init.Initializer;
import glassbox.tensor.Blas;
import glassbox.tensor.Im2col;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Parallel;
import glassbox.util.Rng;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * 2-D convolution over NHWC images: {@code y = f(conv(x, K) + b)}, as im2col + one GEMM.
 *
 * <pre>
 *   x : (batch, inH, inW, C)     K "kernel" : (kh, kw, C, F)     b "bias" : (F)     y : (batch, outH, outW, F)
 *   y[n, oh, ow, f] = b[f] + Σ_{i, j, c} x[n, oh·sh − padTop + i, ow·sw − padLeft + j, c] · K[i, j, c, f]
 * </pre>
 *
 * With {@code P = outH·outW} window positions and patch length {@code L = kh·kw·C}, {@link Im2col} writes a
 * patch matrix {@code X̂ : (batch·P, L)} and the kernel, read as {@code W : (L, F)}, gives the output in
 * NHWC order with one product. Backward, with {@code dZ = dY·f'} and the patch matrix rebuilt:
 * <pre>
 *   forward   Y  = X̂·W                 (batch·P, F) = (batch·P, L)·(L, F)
 *   filter    dW += X̂ᵀ·dZ              (L, F)       = (L, batch·P)·(batch·P, F)
 *   data      dX̂  = dZ·Wᵀ, then col2im  (batch·P, L) = (batch·P, F)·(F, L)
 *   bias      db += Σ_rows dZ
 * </pre>
 *
 * <p><b>Chunks.</b> A whole batch's patch matrix is large — the seed-002 custom model's second convolution
 * at batch 128 would need {@code 128·676·288} floats, 100 MB — and jblas copies every operand across JNI on
 * each call. So the batch is processed in chunks of whole samples whose patch matrix fits a budget of
 * {@value #DEFAULT_PATCH_BUDGET_BYTES} bytes (at least one sample per chunk): small enough to stay in this
 * machine's caches between im2col writing it and BLAS (and jblas's copy) reading it, large enough that a
 * GEMM has thousands of rows and the per-call costs vanish. The budget was chosen by measuring seconds per
 * per batch of the seed CNNs' convolutions at several budgets and the whole batch (README,
 * "Convolutional networks"); {@link #setPatchBudgetBytes} changes it for such measurements (and for tests
 * of the chunked path). Backward rebuilds each chunk's patches rather than keeping the forward's:
 * recomputing costs one memory pass, keeping would cost the 100 MB.
 *
 * <p><b>The input gradient as a convolution.</b> For stride 1, {@code dX} is also a convolution — of
 * {@code dZ} with the kernel rotated by 180° and its channel axes swapped — which needs no col2im; where it
 * moves fewer bytes (through jblas's copies, which dominate these GEMMs) it replaces {@code dZ·Wᵀ} + col2im
 * ({@link #inputGradientByConvolution()}).
 *
 * <p>A frozen Conv2D ({@code setTrainable(false)}) skips the patch matrix, the filter GEMM and the bias
 * sums: its backward is {@code dZ} and the input gradient only.
 *
 * <p>Keras: {@code layers.Conv2D(filters, kernel_size, strides=(1, 1), padding="valid", activation=None,
 * use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros")}, channels_last. Glorot's
 * fans for a conv kernel are {@code kh·kw·C} and {@code kh·kw·F}, as Keras computes them.
 */
public final class Conv2D extends Layer {
    /** The default patch-matrix budget per chunk. */
    public static final long DEFAULT_PATCH_BUDGET_BYTES = 4L << 20;

    private final int filters;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final Padding padding;
    private final Activation activation;
    private final boolean useBias;
    private long patchBudgetBytes = DEFAULT_PATCH_BUDGET_BYTES;

    private Window2D g;
    private Param kernel;
    private Param bias;

    // Cache of the last forward and buffers reused while the batch size holds.
    private Tensor x;
    private Tensor y;
    private Tensor dX;
    private float[] cols;     // one chunk's patch matrix (chunk·P, L)
    private float[] rowsOut;  // one chunk's rows of an (·, F) matrix, when the chunk is not the whole batch
    private float[] dCols;    // one chunk's gradient of the patch matrix
    private float[] dbPerSample; // one chunk's bias gradient, sample by sample
    private Window2D transposed; // the input gradient as a convolution of dZ (stride 1), when that is cheaper
    private float[] flipped;  // the kernel for it, (kh·kw·F, C)
    private float[] tCols;    // one chunk's patch matrix of dZ
    private float[] dxRows;   // one chunk's rows of dX

    /** {@code Conv2D(filters, kernelSize)} with stride 1, {@code "valid"}, no activation. */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, 1, "valid", null);
    }

    /** A square kernel, stride 1: e.g. {@code new Conv2D(32, 3, "same", "relu")}. */
    public Conv2D(int filters, int kernelSize, String padding, String activation) {
        this(filters, kernelSize, 1, padding, activation);
    }

    /** A square kernel and equal strides: e.g. {@code new Conv2D(8, 3, 2, "same", "relu")}. */
    public Conv2D(int filters, int kernelSize, int strides, String padding, String activation) {
        this(filters, kernelSize, kernelSize, strides, strides, Padding.of(padding), Activation.of(activation), true,
                null);
    }

    public Conv2D(int filters, int kh, int kw, int sh, int sw, Padding padding, Activation activation,
                  boolean useBias, String name) {
        super(name);
        String who = "Conv2D" + (name == null ? "" : " layer '" + name + "'");
        if (filters <= 0) {
            throw new IllegalArgumentException(who + ": filters must be positive, got " + filters);
        }
        SlidingWindows.requirePositive(who, "kernel_size", kh, kw);
        SlidingWindows.requirePositive(who, "strides", sh, sw);
        this.filters = filters;
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.padding = padding;
        this.activation = activation;
        this.useBias = useBias;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        String who = "Conv2D layer '" + (name() == null ? kind() : name()) + "'";
        g = SlidingWindows.over(who, "kernel", inputShape, kh, kw, sh, sw, padding,
                ": reshape grey images to (h, w, 1)");
        transposed = chooseTransposed();
        int patch = g.patchLength();
        Tensor k = Tensor.zeros(kh, kw, g.channels(), filters);
        Initializer.glorotUniform().fill(k, patch, kh * kw * filters, rng);
        kernel = new Param("kernel", k, true);
        if (useBias) {
            bias = new Param("bias", Tensor.zeros(filters), true);
        }
        return new int[]{g.outH(), g.outW(), filters};
    }

    /**
     * Samples per im2col chunk for a batch of {@code batch}: as many as fit the patch budget, at least one;
     * once built. Public so that benchmarks can name the GEMM shapes this layer really calls.
     */
    public int chunkSamples(int batch) {
        long perSample = 4L * g.positions() * g.patchLength();
        return (int) Math.max(1, Math.min(batch, patchBudgetBytes / perSample));
    }

    /**
     * Sets the patch-matrix budget per chunk (bytes; at least one sample per chunk whatever it is). It
     * changes the speed and the memory used; the results only by float rounding (the kernel gradient is
     * summed chunk by chunk). Fixed for a given model, so the same seed still gives the same numbers.
     */
    public void setPatchBudgetBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("patch budget must be positive, got " + bytes + " bytes");
        }
        this.patchBudgetBytes = bytes;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int batch = x.dim(0);
        int p = g.positions();
        int l = g.patchLength();
        y = reuse(y, batch, g.outH(), g.outW(), filters);
        int chunk = chunkSamples(batch);
        cols = buffer(cols, chunk * p * l);
        float[] w = kernel.value().data();
        for (int first = 0; first < batch; first += chunk) {
            int samples = Math.min(chunk, batch - first);
            int rows = samples * p;
            Im2col.im2col(x.data(), first, samples, g, cols);
            boolean whole = samples == batch; // then BLAS writes y itself, else this chunk's rows of it
            float[] out = whole ? y.data() : (rowsOut = buffer(rowsOut, chunk * p * filters));
            Blas.sgemm(false, false, rows, filters, l, 1f, cols, l, w, filters, 0f, out, filters);
            // bias and activation while the chunk is still in cache, on its way into y; sample by sample
            // on every core
            int at = first * p * filters;
            Parallel.forEach(samples, (long) p * filters,
                    s -> addBiasAndActivate(out, s * p * filters, p, y.data(), at + s * p * filters));
        }
        return y;
    }

    /** {@code y[at + r·F + f] = act(z[from + r·F + f] + b[f])} for {@code rows} rows ({@code z} may be {@code y}). */
    private void addBiasAndActivate(float[] z, int from, int rows, float[] y, int at) {
        int n = rows * filters;
        if (useBias) {
            float[] b = bias.value().data();
            for (int r = 0; r < n; r += filters) {
                for (int f = 0; f < filters; f++) {
                    y[at + r + f] = z[from + r + f] + b[f];
                }
            }
            activation.forward(y, at, y, at, rows, filters);
        } else {
            activation.forward(z, from, y, at, rows, filters);
        }
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int batch = x.dim(0);
        int p = g.positions();
        int l = g.patchLength();
        boolean wantDx = inputGradientNeeded();
        boolean frozen = !isTrainable(); // then no filter GEMM, no bias sums: only dX, if wanted
        if (frozen && !wantDx) {
            return null;
        }
        if (wantDx) {
            dX = reuse(dX, x.shape());
        }
        int chunk = chunkSamples(batch);
        cols = buffer(cols, chunk * p * l);
        float[] dz = rowsOut = buffer(rowsOut, chunk * p * filters);
        float[] w = kernel.value().data();
        float[] dw = kernel.grad().data();
        float[] db = useBias && !frozen ? bias.grad().data() : null;
        for (int first = 0; first < batch; first += chunk) {
            int samples = Math.min(chunk, batch - first);
            int rows = samples * p;
            int at = first * p * filters;
            // dZ = dY·f'(z) for this chunk's rows (through the cached output y), and each sample's Σ_rows dZ,
            // sample by sample on every core; the bias gradient then adds those sums in sample order
            float[] dbSample = db == null ? null : (dbPerSample = buffer(dbPerSample, chunk * filters));
            Parallel.forEach(samples, (long) p * filters, s -> {
                int from = s * p * filters;
                activation.backward(y.data(), at + from, dOut.data(), at + from, dz, from, p, filters);
                if (dbSample != null) {
                    java.util.Arrays.fill(dbSample, s * filters, (s + 1) * filters, 0f);
                    for (int r = from, end = from + p * filters; r < end; r += filters) {
                        for (int f = 0; f < filters; f++) {
                            dbSample[s * filters + f] += dz[r + f];
                        }
                    }
                }
            });
            if (db != null) {
                for (int i = 0; i < samples * filters; i++) {
                    db[i % filters] += dbSample[i];
                }
            }
            if (!frozen) {
                Im2col.im2col(x.data(), first, samples, g, cols);
                Blas.sgemm(true, false, l, filters, rows, 1f, cols, l, dz, filters, 1f, dw, filters);
            }
            if (wantDx && transposed != null) {
                inputGradientAsConvolution(dz, first, samples, chunk);
            } else if (wantDx) {
                dCols = buffer(dCols, chunk * p * l);
                Blas.sgemm(false, true, rows, l, filters, 1f, dz, filters, w, filters, 0f, dCols, l);
                Im2col.col2im(dCols, first, samples, g, dX.data());
            }
        }
        return wantDx ? dX : null;
    }

    /**
     * {@code dX} of samples {@code first…} as a convolution of their {@code dZ} (rows of {@code dz}, from
     * index 0) with the flipped kernel: {@code dX = im2col(dZ)·W̃}, for stride 1 only.
     */
    private void inputGradientAsConvolution(float[] dz, int first, int samples, int chunk) {
        int c = g.channels();
        int lt = transposed.patchLength();
        int rowsIn = samples * g.inH() * g.inW();
        if (first == 0) { // the kernel is fixed during a backward pass: flip it once per batch
            flipKernel();
        }
        tCols = buffer(tCols, chunk * transposed.positions() * lt);
        Im2col.im2col(dz, 0, samples, transposed, tCols);
        boolean whole = samples == x.dim(0);
        float[] out = whole ? dX.data() : (dxRows = buffer(dxRows, chunk * g.inputSize()));
        Blas.sgemm(false, false, rowsIn, c, lt, 1f, tCols, lt, flipped, c, 0f, out, c);
        if (!whole) {
            System.arraycopy(out, 0, dX.data(), first * g.inputSize(), rowsIn * c);
        }
    }

    /** {@code W̃[i', j', f, c] = K[kh−1−i', kw−1−j', c, f]}: the kernel rotated by 180°, channel axes swapped. */
    private void flipKernel() {
        int c = g.channels();
        float[] k = kernel.value().data();
        flipped = buffer(flipped, k.length);
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int f = 0; f < filters; f++) {
                        flipped[(((kh - 1 - i) * kw + (kw - 1 - j)) * filters + f) * c + ch] =
                                k[((i * kw + j) * c + ch) * filters + f];
                    }
                }
            }
        }
    }

    /**
     * The transposed window for {@link #inputGradientAsConvolution}, or {@code null} where col2im moves fewer
     * bytes. With stride 1,
     * {@code dX[h, w, c] = Σ_{i', j', f} dZ[h − (kh−1−padTop) + i', w − (kw−1−padLeft) + j', f] · W̃[i', j', f, c]}: a convolution over the output image with "padding" {@code kh−1−padTop} (the parts of
     * dZ outside it read as 0). Per sample, the col2im route copies about {@code P·(F + 3L) + 2·inH·inW·C}
     * floats through jblas and memory; this one {@code inH·inW·(2·kh·kw·F + 3C)}; the smaller wins (the
     * seed-002 default model's second conv and the custom model's last one go this way).
     */
    private Window2D chooseTransposed() {
        if (sh != 1 || sw != 1) {
            return null;
        }
        int in = g.inH() * g.inW();
        long viaCol2im = (long) g.positions() * (filters + 3L * g.patchLength()) + 2L * in * g.channels();
        long viaConvolution = (long) in * (2L * kh * kw * filters + 3L * g.channels());
        if (viaConvolution >= viaCol2im) {
            return null;
        }
        return new Window2D(g.outH(), g.outW(), filters, kh, kw, 1, 1, g.inH(), g.inW(),
                kh - 1 - g.padTop(), kw - 1 - g.padLeft());
    }

    private static float[] buffer(float[] buf, int size) {
        return buf != null && buf.length == size ? buf : new float[size];
    }

    @Override
    public long forwardFlops(int batch) {
        return 2L * batch * g.positions() * g.patchLength() * filters;
    }

    /**
     * {@code "x"}, the input, and {@code "y"}, the output after the activation (the patch matrix is not kept:
     * backward rebuilds it chunk by chunk).
     */
    @Override
    public Map<String, Tensor> cache() {
        return cacheOf("x", x, "y", y);
    }

    @Override
    public List<Param> params() {
        return useBias ? List.of(kernel, bias) : List.of(kernel);
    }

    /**
     * Keras's {@code get_config()}: {@code name}, {@code filters}, {@code kernel_size}, {@code strides},
     * {@code padding}, {@code activation}, {@code use_bias}. The initialisers are not saved (a saved model
     * carries its weights).
     */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("filters", filters);
        config.put("kernel_size", List.of(kh, kw));
        config.put("strides", List.of(sh, sw));
        config.put("padding", padding.kerasName());
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        return config;
    }

    /** Rebuilds a Conv2D from {@link #config()}. */
    public static Conv2D fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("Conv2D", config);
        List<Integer> k = c.intList("kernel_size");
        List<Integer> s = c.intList("strides");
        if (k.size() != 2 || s.size() != 2) {
            throw new IllegalArgumentException("Conv2D config: kernel_size and strides need two values each, got "
                    + k + " and " + s);
        }
        return new Conv2D(c.intValue("filters"), k.get(0), k.get(1), s.get(0), s.get(1),
                Padding.of(c.string("padding")), c.activation("activation"), c.booleanValue("use_bias"), c.name());
    }

    @Override
    public String kind() {
        return "conv2d";
    }

    public int filters() {
        return filters;
    }

    public Padding padding() {
        return padding;
    }

    public Activation activation() {
        return activation;
    }

    /** Whether backward computes the input gradient as a convolution of dZ (else through col2im); once built. */
    public boolean inputGradientByConvolution() {
        return transposed != null;
    }

    /** The window geometry, once built. */
    public Window2D window() {
        return g;
    }
}
