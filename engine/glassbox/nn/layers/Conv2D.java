package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.nn.init.Initializer;
import glassbox.tensor.ConvPlan;
import glassbox.tensor.Im2col;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
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
 *   forward   Y  = f(X̂·W + b)           (batch·P, F) = (batch·P, L)·(L, F)
 *   filter    dW += X̂ᵀ·dZ              (L, F)       = (L, batch·P)·(batch·P, F)
 *   data      dX̂  = dZ·Wᵀ, then col2im  (batch·P, L) = (batch·P, F)·(F, L)
 *   bias      db += Σ_rows dZ
 * </pre>
 * For stride 1, {@code dX} is also a convolution of {@code dZ} with the kernel rotated by 180°, channel axes
 * swapped; the plan uses it where it moves fewer bytes than col2im.
 *
 * For one input channel or one filter, the plan may compute {@code X̂·W} and {@code X̂ᵀ·dZ} by direct loops
 * that read the image where the window lies, without the patch matrix: the same sums.
 *
 * <p>How it runs — tasks and chunks of samples (the 100 MB patch matrix of a whole batch is never built),
 * buffers, which route for each product, threads — is the {@link ConvPlan}'s, built with the layer
 * ({@link #plan()}); its chunks run the body of {@link #forward} and {@link #backward} on their samples.
 * A frozen Conv2D ({@code setTrainable(false)}) skips the patch matrix, the filter GEMM and the bias sums:
 * its backward is {@code dZ} and the input gradient only.
 *
 * <p>Keras: {@code layers.Conv2D(filters, kernel_size, strides=(1, 1), padding="valid", activation=None,
 * use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros")}, channels_last. Glorot's
 * fans for a conv kernel are {@code kh·kw·C} and {@code kh·kw·F}, as Keras computes them.
 */
public final class Conv2D extends Layer {
    private final int filters;
    private final int kh;
    private final int kw;
    private final int sh;
    private final int sw;
    private final Padding padding;
    private final Activation activation;
    private final boolean useBias;

    private Window2D g;
    private ConvPlan plan;
    private Param kernel;
    private Param bias;

    // Cache of the last forward, and buffers reused while the batch size holds.
    private Tensor x;
    private Tensor y;
    private Tensor dX;

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
        plan = ConvPlan.of(g, filters);
        int patch = g.patchLength();
        Tensor k = Tensor.zeros(kh, kw, g.channels(), filters);
        Initializer.glorotUniform().fill(k, patch, kh * kw * filters, rng);
        kernel = new Param("kernel", k, true);
        if (useBias) {
            bias = new Param("bias", Tensor.zeros(filters), true);
        }
        return new int[]{g.outH(), g.outW(), filters};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        y = reuse(y, x.dim(0), g.outH(), g.outW(), filters);
        float[] w = kernel.value().data();
        float[] b = useBias ? bias.value().data() : null;
        plan.forEachChunk(x.dim(0), c -> {
            // Z = X̂·W : (rows, F), X̂ = im2col(x) : (rows, L), rows = the chunk's samples · P; or, for thin
            // shapes, the same sums by a direct loop (the plan's choice)
            float[] z = c.direct() ? c.convolve(x.data(), w) : c.gemm(c.im2col(x.data()), w);
            activation.forward(z, 0, b, y.data(), c.at, c.rows, filters); // its rows of Y = f(Z + b)
        });
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        boolean wantDx = inputGradientNeeded();
        boolean frozen = !isTrainable(); // then no filter GEMM, no bias sums: only dX, if wanted
        if (frozen && !wantDx) {
            return null;
        }
        if (wantDx) {
            dX = reuse(dX, x.shape());
        }
        float[] w = kernel.value().data();
        float[] dw = kernel.grad().data();
        float[] db = useBias && !frozen ? bias.grad().data() : null;
        plan.forEachChunk(x.dim(0), c -> {
            float[] dz = c.rows();                 // dZ = dY·f'(Y) : (rows, F)
            activation.backward(y.data(), c.at, dOut.data(), c.at, dz, 0, c.rows, filters);
            if (db != null) {
                c.addColumnSums(dz, db);           // db += Σ_rows dZ
            }
            if (!frozen && c.direct()) {
                c.filterGradient(x.data(), dz, dw);   // dW += X̂ᵀ·dZ, by a direct loop
            } else if (!frozen) {
                c.gemmTN(c.im2col(x.data()), dz, dw); // dW += X̂ᵀ·dZ
            }
            if (wantDx && plan.inputGradientByConvolution()) {
                c.inputGradientAsConvolution(dz, w, dX.data()); // dX = im2col(dZ)·W̃
            } else if (wantDx) {
                c.col2im(c.gemmNT(dz, w), dX.data());          // dX = col2im(dZ·Wᵀ)
            }
        });
        return wantDx ? dX : null;
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

    /** How this layer runs (tasks, chunks, buffers, routes) and its window geometry, once built. */
    public ConvPlan plan() {
        return plan;
    }
}
