package glassbox.tensor;

import java.util.Locale;

/**
 * How a sliding window (a convolution kernel, a pooling window) treats the border, with TensorFlow's rule
 * (Keras's {@code padding="valid"} / {@code "same"}).
 *
 * <ul>
 *   <li>{@link #VALID}: no padding; the window only visits positions where it fits entirely:
 *       {@code out = ⌈(in − k + 1) / s⌉}.</li>
 *   <li>{@link #SAME}: {@code out = ⌈in / s⌉}; the input is padded by
 *       {@code total = max((out − 1)·s + k − in, 0)} positions, {@code ⌊total/2⌋} before and the rest after —
 *       so an odd total puts the extra row/column at the bottom/right (TensorFlow's choice; PyTorch's
 *       symmetric {@code padding=1} only agrees with it when the total is even).</li>
 * </ul>
 */
public enum Padding {
    VALID, SAME;

    /** The output length along one axis of length {@code in}, for window {@code k} and stride {@code s}. */
    public int outputLength(int in, int k, int s) {
        return this == SAME ? ceilDiv(in, s) : (in < k ? 0 : (in - k) / s + 1);
    }

    /** The padding before the first element (top or left) along one axis. */
    public int padBefore(int in, int k, int s) {
        if (this == VALID) {
            return 0;
        }
        int total = Math.max((outputLength(in, k, s) - 1) * s + k - in, 0);
        return total / 2;
    }

    /** Keras's spelling, {@code "valid"} or {@code "same"}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses Keras's spelling (any case); anything else is an error listing the two choices. */
    public static Padding of(String name) {
        if (name != null) {
            for (Padding p : values()) {
                if (p.kerasName().equals(name.toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("unknown padding '" + name + "': expected \"valid\" or \"same\"");
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
