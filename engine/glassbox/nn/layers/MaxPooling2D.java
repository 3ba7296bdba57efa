package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Parallel;
import glassbox.util.Rng;

/**
 * 2-D max-pooling over NHWC images: each output is the largest input under its window, channel by channel.
 *
 * <pre>
 *   x : (batch, inH, inW, C)  →  y : (batch, outH, outW, C)
 *   y[n, oh, ow, c] = max_{i, j} x[n, oh·sh − padTop + i, ow·sw − padLeft + j, c]   (positions in the padding skipped)
 *   dx[n, h, w, c]  = Σ dy[n, oh, ow, c] over the windows whose maximum sat at (h, w)
 * </pre>
 *
 * Forward remembers where each maximum came from (the first one in row-major window order on a tie),
 * so backward routes each gradient to that one input. With {@code "same"} padding a window hanging over the
 * border takes the maximum of the positions inside it (TensorFlow's rule), e.g. 7×7 → 4×4 with a 2×2 pool.
 *
 * <p>Keras: {@code layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid")}; strides default to
 * the pool size.
 */
public final class MaxPooling2D extends Layer {
    private final int ph;
    private final int pw;
    private final int sh;
    private final int sw;
    private final Padding padding;

    private Window2D g;
    private Tensor y;
    private Tensor dX;
    private int[] argmax; // flat index into x of each output's maximum
    private int[] xShape;

    /** Keras's default: a 2×2 pool, strides 2, {@code "valid"}. */
    public MaxPooling2D() {
        this(2, 2, 2, 2, Padding.VALID, null);
    }

    /** A square pool with strides equal to it, e.g. {@code new MaxPooling2D(2, "same")}. */
    public MaxPooling2D(int poolSize, String padding) {
        this(poolSize, poolSize, poolSize, poolSize, Padding.of(padding), null);
    }

    public MaxPooling2D(int ph, int pw, int sh, int sw, Padding padding, String name) {
        super(name);
        if (ph <= 0 || pw <= 0) {
            throw new IllegalArgumentException("MaxPooling2D pool_size must be positive, got (" + ph + ", " + pw + ")");
        }
        if (sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException("MaxPooling2D strides must be positive, got (" + sh + ", " + sw + ")");
        }
        this.ph = ph;
        this.pw = pw;
        this.sh = sh;
        this.sw = sw;
        this.padding = padding;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        String who = "MaxPooling2D layer '" + (name() == null ? kind() : name()) + "'";
        if (inputShape.length != 3) {
            throw new IllegalArgumentException(who + " expects images (height, width, channels) but got samples of shape "
                    + Tensor.shapeString(inputShape));
        }
        if (padding == Padding.VALID && (inputShape[0] < ph || inputShape[1] < pw)) {
            throw new IllegalArgumentException(who + ": pool " + ph + "×" + pw + " is larger than its input "
                    + Tensor.shapeString(inputShape) + " with padding \"valid\"; expected an input of at least "
                    + ph + "×" + pw + ", or padding \"same\"");
        }
        g = Window2D.of(inputShape[0], inputShape[1], inputShape[2], ph, pw, sh, sw, padding);
        return new int[]{g.outH(), g.outW(), g.channels()};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int batch = x.dim(0);
        xShape = x.shape();
        y = reuse(y, batch, g.outH(), g.outW(), g.channels());
        if (argmax == null || argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        float[] in = x.data();
        float[] out = y.data();
        int perSample = g.positions() * g.channels();
        Parallel.forEach(batch, (long) perSample * ph * pw, n -> poolSample(in, out, n));
        return y;
    }

    private void poolSample(float[] in, float[] out, int n) {
        int c = g.channels();
        int o = n * g.positions() * c;
        for (int oh = 0; oh < g.outH(); oh++) {
            int hFrom = Math.max(0, oh * sh - g.padTop());
            int hTo = Math.min(g.inH(), oh * sh - g.padTop() + ph);
            for (int ow = 0; ow < g.outW(); ow++, o += c) {
                int wFrom = Math.max(0, ow * sw - g.padLeft());
                int wTo = Math.min(g.inW(), ow * sw - g.padLeft() + pw);
                int first = ((n * g.inH() + hFrom) * g.inW() + wFrom) * c;
                for (int ch = 0; ch < c; ch++) { // start from the window's first position
                    out[o + ch] = in[first + ch];
                    argmax[o + ch] = first + ch;
                }
                for (int h = hFrom; h < hTo; h++) {
                    for (int w = wFrom; w < wTo; w++) {
                        int base = ((n * g.inH() + h) * g.inW() + w) * c;
                        for (int ch = 0; ch < c; ch++) {
                            if (in[base + ch] > out[o + ch]) {
                                out[o + ch] = in[base + ch];
                                argmax[o + ch] = base + ch;
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, xShape);
        float[] dx = dX.data();
        float[] dy = dOut.data();
        int batch = xShape[0];
        int perSample = g.positions() * g.channels();
        int inPerSample = g.inputSize();
        // Each sample's windows route only into that sample's input, so samples run in parallel.
        Parallel.forEach(batch, perSample, n -> {
            java.util.Arrays.fill(dx, n * inPerSample, (n + 1) * inPerSample, 0f);
            for (int i = n * perSample, end = i + perSample; i < end; i++) {
                dx[argmax[i]] += dy[i];
            }
        });
        return dX;
    }

    @Override
    public String kind() {
        return "max_pooling2d";
    }
}
