package glassbox.kernels;

import glassbox.nn.layers.Activation;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Rng;

/**
 * The top rung: what training really runs — a {@link Conv2D} layer with no bias and no activation, fed the
 * given kernel, so every pass is the engine's own code rather than a copy of it that could drift.
 *
 * <p>What it teaches: the same im2col + GEMM as {@link Im2colConv} on the BLAS facade, plus the work on
 * memory and cores that the seed models' shapes reward (its plan, {@link glassbox.tensor.ConvPlan}, says why):
 * <ul>
 *   <li><b>tasks</b>: the batch cut into runs of samples that run in parallel, each on one core with
 *       one-thread GEMMs, their kernel gradients added in a fixed order;</li>
 *   <li><b>chunks</b> of whole samples whose patch matrix and output rows fit about one core's L2 cache, so
 *       im2col's output is still there when the GEMM reads it, instead of a 100 MB matrix going through
 *       memory twice;</li>
 *   <li>in training, the bias and activation applied to each chunk on its way out, in one pass (here both
 *       are off: the ladder compares the convolution alone);</li>
 *   <li>for stride 1, the input gradient as a convolution of {@code dY} with the kernel rotated by 180°,
 *       chosen per layer where it moves fewer bytes than {@code dY·Wᵀ} + col2im;</li>
 *   <li>for one input channel or one filter, direct Vector API loops ({@link glassbox.tensor.ThinConv})
 *       instead of im2col + GEMM, when the JVM has the module.</li>
 * </ul>
 *
 * <p>How it drives the layer. The layer's kernels are private to it, by design (one concept, one file), so
 * this rung runs the layer through its public contract: one layer per geometry, its kernel parameter
 * overwritten with the given kernel before each pass. A layer's backward reads the input its forward cached,
 * so backward-filter first runs a forward when the given {@code x} is not the array the last forward read (as
 * training always has), and backward-data, whose result does not depend on {@code x} without an activation,
 * runs one on zeros when the batch size changed. Backward-filter is the layer with no input gradient wanted;
 * backward-data is the layer frozen ({@code setTrainable(false)}: no filter GEMM). So repeated calls on the
 * same arrays — a benchmark's — time exactly the layer's pass. The window must be one of Keras's paddings
 * ({@code "valid"} or {@code "same"}), the only ones {@code Conv2D} takes.
 */
public final class EngineConv extends Conv {
    private Conv2D layer;
    private Window2D layerWindow;
    private int layerFilters;
    private float[] lastInput;   // the array the layer's last forward read
    private int lastBatch;

    @Override
    public String name() {
        return "engine (Conv2D)";
    }

    @Override
    protected float[] computeForward(float[] x, int batch, Window2D g, float[] kernel, int filters) {
        Conv2D conv = layerFor(g, filters);
        setKernel(conv, kernel);
        return runForward(conv, x, batch, g);
    }

    @Override
    protected float[] computeBackwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters) {
        Conv2D conv = layerFor(g, filters);
        if (x != lastInput || batch != lastBatch) {
            runForward(conv, x, batch, g);
        }
        conv.setTrainable(true);
        conv.setInputGradientNeeded(false);
        conv.params().get(0).zeroGrad(); // backward accumulates; this pass returns the gradient alone
        conv.backward(new Tensor(dy, batch, g.outH(), g.outW(), filters));
        return conv.params().get(0).grad().data();
    }

    @Override
    protected float[] computeBackwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters) {
        Conv2D conv = layerFor(g, filters);
        if (batch != lastBatch) {
            runForward(conv, new float[batch * g.inputSize()], batch, g);
        }
        setKernel(conv, kernel);
        conv.setTrainable(false);
        conv.setInputGradientNeeded(true);
        try {
            return conv.backward(new Tensor(dy, batch, g.outH(), g.outW(), filters)).data();
        } finally {
            conv.setTrainable(true);
        }
    }

    private float[] runForward(Conv2D conv, float[] x, int batch, Window2D g) {
        lastInput = x;
        lastBatch = batch;
        return conv.forward(new Tensor(x, batch, g.inH(), g.inW(), g.channels()), true).data();
    }

    /** The layer for this geometry, built once (its own random kernel is overwritten before use). */
    private Conv2D layerFor(Window2D g, int filters) {
        if (layer == null || !g.equals(layerWindow) || filters != layerFilters) {
            Conv2D conv = new Conv2D(filters, g.kh(), g.kw(), g.sh(), g.sw(), kerasPadding(g), Activation.LINEAR,
                    false, "engine_conv");
            conv.build(new int[]{g.inH(), g.inW(), g.channels()}, new Rng(0));
            layer = conv;
            layerWindow = g;
            layerFilters = filters;
            lastInput = null;
            lastBatch = 0;
        }
        return layer;
    }

    private static void setKernel(Conv2D conv, float[] kernel) {
        float[] k = conv.params().get(0).value().data();
        System.arraycopy(kernel, 0, k, 0, k.length);
    }

    /** The Keras padding that gives {@code g}; an error for any other window (Conv2D takes no other). */
    private static Padding kerasPadding(Window2D g) {
        for (Padding p : Padding.values()) {
            if (g.equals(Window2D.of(g.inH(), g.inW(), g.channels(), g.kh(), g.kw(), g.sh(), g.sw(), p))) {
                return p;
            }
        }
        throw new IllegalArgumentException("engine (Conv2D): the window " + g + " is neither Keras's \"valid\" nor"
                + " \"same\" padding, the only ones Conv2D takes");
    }
}
