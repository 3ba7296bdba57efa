package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inverted dropout (Srivastava et al. 2014): while training, each value is zeroed with probability
 * {@code rate} and the survivors are scaled by {@code 1/(1 − rate)}, so the expected output equals the
 * input and inference needs no rescaling — it is the identity.
 *
 * <pre>
 *   x : (batch, …)  →  y : same shape
 *   training:   mask_i = 1/(1 − rate) with probability 1 − rate, else 0;   y = x·mask,  dx = dy·mask
 *   inference:  y = x
 * </pre>
 *
 * The masks come from a generator split off the model's seed when the layer is built, one draw per value
 * in order, so the same seed gives the same masks. Keras: {@code layers.Dropout(rate)}.
 */
public final class Dropout extends Layer {
    private final double rate;
    private Rng rng;
    private float[] mask;
    private boolean holdMask;
    private boolean lastWasTraining;
    private Tensor y;
    private Tensor dX;

    public Dropout(double rate) {
        this(rate, null);
    }

    public Dropout(double rate, String name) {
        super(name);
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        this.rng = rng;
        return inputShape;
    }

    /**
     * While held, training-mode forwards reuse the last mask instead of drawing a new one: what a numerical
     * gradient check needs, since it evaluates the same function many times.
     */
    public void holdMask(boolean hold) {
        this.holdMask = hold;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        lastWasTraining = training;
        if (!training || rate == 0) {
            return x;
        }
        float[] in = x.data();
        if (mask == null || mask.length != in.length || !holdMask) {
            mask = mask != null && mask.length == in.length ? mask : new float[in.length];
            drawMask();
        }
        y = reuse(y, x.shape());
        float[] out = y.data();
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * mask[i];
        }
        return y;
    }

    /**
     * One Bernoulli draw per value: a 32-bit uniform {@code u} (two per {@code nextLong}) is dropped when
     * {@code u < rate·2³²}. Done with integer masks rather than a branch, which random outcomes would make
     * the CPU mispredict half the time.
     */
    private void drawMask() {
        int keepBits = Float.floatToRawIntBits((float) (1 / (1 - rate)));
        long threshold = (long) Math.floor(rate * 4294967296.0); // rate·2³², in [0, 2³²)
        for (int i = 0; i < mask.length; i += 2) {
            long bits = rng.nextLong();
            mask[i] = keepOrZero(bits >>> 32, threshold, keepBits);
            if (i + 1 < mask.length) {
                mask[i + 1] = keepOrZero(bits & 0xFFFFFFFFL, threshold, keepBits);
            }
        }
    }

    /** {@code 1/(1 − rate)} when the uniform {@code u} (in [0, 2³²)) is at least the threshold, else 0. */
    private static float keepOrZero(long u, long threshold, int keepBits) {
        int dropped = (int) ((u - threshold) >> 63); // all ones when u < threshold, else 0
        return Float.intBitsToFloat(keepBits & ~dropped);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded()) {
            return null;
        }
        if (!lastWasTraining || rate == 0) {
            return dOut;
        }
        dX = reuse(dX, dOut.shape());
        float[] dy = dOut.data();
        float[] dx = dX.data();
        for (int i = 0; i < dy.length; i++) {
            dx[i] = dy[i] * mask[i];
        }
        return dX;
    }

    /** The mask generator, once built: what a resumed fit puts back to draw the same masks. */
    @Override
    public java.util.List<Rng> generators() {
        return rng == null ? java.util.List.of() : java.util.List.of(rng);
    }

    /** Keras's {@code get_config()}: {@code name}, {@code rate}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("rate", rate);
        return config;
    }

    /** Rebuilds a Dropout from {@link #config()} (its masks come from the loading model's seed). */
    public static Dropout fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("Dropout", config);
        return new Dropout(c.doubleValue("rate"), c.name());
    }

    /**
     * {@code "mask"}: {@code 1/(1 − rate)} where the last training forward kept a value, 0 where it dropped
     * one, shaped like that forward's input; empty after an inference forward (which keeps nothing).
     */
    @Override
    public Map<String, Tensor> cache() {
        if (!lastWasTraining || mask == null || y == null) {
            return Map.of();
        }
        return cacheOf("mask", new Tensor(mask, y.shape()));
    }

    @Override
    public String kind() {
        return "dropout";
    }

    public double rate() {
        return rate;
    }
}
