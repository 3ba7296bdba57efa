package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Parallel;
import glassbox.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * 2-D max-pooling over NHWC images: each output is the largest input under its window, channel by channel.
 *
 * <pre>
 *   x : (batch, inH, inW, C)  →  y : (batch, outH, outW, C)
 *   y[n, oh, ow, c] = max_{i, j} x[n, oh·sh − padTop + i, ow·sw − padLeft + j, c]   (padding skipped)
 *   dx[n, h, w, c]  = Σ dy[n, oh, ow, c] over the windows whose maximum sat at (h, w)
 * </pre>
 *
 * Backward routes each gradient to the one input its maximum came from (the first one in row-major
 * window order on a tie). With {@code "same"} padding a window hanging over the
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
    private Tensor x;
    private Tensor y;
    private Tensor dX;

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
        String who = "MaxPooling2D" + (name == null ? "" : " layer '" + name + "'");
        SlidingWindows.requirePositive(who, "pool_size", ph, pw);
        SlidingWindows.requirePositive(who, "strides", sh, sw);
        this.ph = ph;
        this.pw = pw;
        this.sh = sh;
        this.sw = sw;
        this.padding = padding;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        String who = "MaxPooling2D layer '" + (name() == null ? kind() : name()) + "'";
        g = SlidingWindows.over(who, "pool", inputShape, ph, pw, sh, sw, padding, "");
        return new int[]{g.outH(), g.outW(), g.channels()};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        int batch = x.dim(0);
        y = reuse(y, batch, g.outH(), g.outW(), g.channels());
        float[] in = x.data();
        float[] out = y.data();
        Parallel.forEach(batch, (long) g.positions() * g.channels() * ph * pw, n -> poolSample(in, out, n));
        return y;
    }

    /** The window of output (oh, ow), clipped to the image: {@code [hFrom, hTo) × [wFrom, wTo)}. */
    private int hFrom(int oh) {
        return Math.max(0, oh * sh - g.padTop());
    }

    private int hTo(int oh) {
        return Math.min(g.inH(), oh * sh - g.padTop() + ph);
    }

    private int wFrom(int ow) {
        return Math.max(0, ow * sw - g.padLeft());
    }

    private int wTo(int ow) {
        return Math.min(g.inW(), ow * sw - g.padLeft() + pw);
    }

    private void poolSample(float[] in, float[] out, int n) {
        int c = g.channels();
        int o = n * g.positions() * c;
        for (int oh = 0; oh < g.outH(); oh++) {
            for (int ow = 0; ow < g.outW(); ow++, o += c) {
                // start from the window's first position, then keep the larger value channel by channel
                System.arraycopy(in, ((n * g.inH() + hFrom(oh)) * g.inW() + wFrom(ow)) * c, out, o, c);
                for (int h = hFrom(oh); h < hTo(oh); h++) {
                    for (int w = wFrom(ow); w < wTo(ow); w++) {
                        int base = ((n * g.inH() + h) * g.inW() + w) * c;
                        for (int ch = 0; ch < c; ch++) {
                            out[o + ch] = Math.max(out[o + ch], in[base + ch]);
                        }
                    }
                }
            }
        }
    }

    /**
     * Routes each output's gradient to the input its maximum came from: the first position of its window,
     * in row-major order, holding the same value. Found again rather than remembered (as TensorFlow does),
     * and without a branch: where the maximum sits is random, so a branch would be mispredicted often.
     * Each window hands its gradient {@code g} to the positions in order, each taking {@code g} if it holds
     * the maximum and passing on what is left — so only the first such position gets it.
     */
    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, x.shape());
        float[] in = x.data();
        float[] out = y.data();
        float[] dx = dX.data();
        float[] dy = dOut.data();
        int c = g.channels();
        Parallel.forEach(x.dim(0), (long) g.positions() * c * ph * pw, n -> {
            java.util.Arrays.fill(dx, n * g.inputSize(), (n + 1) * g.inputSize(), 0f);
            float[] left = new float[c]; // the gradient each channel's window has not handed out yet
            int o = n * g.positions() * c;
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++, o += c) {
                    System.arraycopy(dy, o, left, 0, c);
                    for (int h = hFrom(oh); h < hTo(oh); h++) {
                        for (int w = wFrom(ow); w < wTo(ow); w++) {
                            int base = ((n * g.inH() + h) * g.inW() + w) * c;
                            for (int ch = 0; ch < c; ch++) {
                                // out − in ≥ 0, and is +0 exactly at a maximum: its bits are then 0
                                int below = -Float.floatToRawIntBits(out[o + ch] - in[base + ch]) >>> 31;
                                int takes = below - 1; // all ones at a maximum, else 0
                                float give = Float.intBitsToFloat(Float.floatToRawIntBits(left[ch]) & takes);
                                dx[base + ch] += give;
                                left[ch] -= give;
                            }
                        }
                    }
                }
            }
        });
        return dX;
    }

    /** Keras's {@code get_config()}: {@code name}, {@code pool_size}, {@code strides}, {@code padding}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("pool_size", List.of(ph, pw));
        config.put("strides", List.of(sh, sw));
        config.put("padding", padding.kerasName());
        return config;
    }

    /** Rebuilds a MaxPooling2D from {@link #config()}. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("MaxPooling2D", config);
        List<Integer> p = c.intList("pool_size");
        List<Integer> s = c.intList("strides");
        if (p.size() != 2 || s.size() != 2) {
            throw new IllegalArgumentException("MaxPooling2D config: pool_size and strides need two values each, got "
                    + p + " and " + s);
        }
        return new MaxPooling2D(p.get(0), p.get(1), s.get(0), s.get(1), Padding.of(c.string("padding")), c.name());
    }

    /** {@code "x"} and {@code "y"}: backward finds each window's maximum again by comparing the two. */
    @Override
    public Map<String, Tensor> cache() {
        return cacheOf("x", x, "y", y);
    }

    @Override
    public String kind() {
        return "max_pooling2d";
    }
}
