package glassbox.nn.init;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;

/**
 * Fills a new parameter tensor. Keras's defaults: {@link #glorotUniform()} for kernels, {@link #zeros()}
 * for biases.
 */
@FunctionalInterface
public interface Initializer {
    /**
     * Fills {@code t} in place. {@code fanIn}/{@code fanOut} follow Keras: for a Dense kernel
     * {@code (in, out)} they are {@code in} and {@code out}; for a conv kernel {@code (kh, kw, cin, cout)}
     * they are {@code kh·kw·cin} and {@code kh·kw·cout}.
     */
    void fill(Tensor t, int fanIn, int fanOut, Rng rng);

    /**
     * Glorot (Xavier) uniform: {@code U(−limit, limit)} with {@code limit = sqrt(6 / (fanIn + fanOut))},
     * which keeps the variance of activations and gradients roughly constant across layers
     * (Glorot &amp; Bengio 2010). Keras's default kernel initializer.
     */
    static Initializer glorotUniform() {
        return (t, fanIn, fanOut, rng) -> {
            double limit = Math.sqrt(6.0 / (fanIn + fanOut));
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rng.uniform(-limit, limit);
            }
        };
    }

    /** All zeros: Keras's default bias initializer. */
    static Initializer zeros() {
        return (t, fanIn, fanOut, rng) -> java.util.Arrays.fill(t.data(), 0f);
    }

    /** All ones (BatchNormalization's gamma and moving variance). */
    static Initializer ones() {
        return (t, fanIn, fanOut, rng) -> java.util.Arrays.fill(t.data(), 1f);
    }
}
