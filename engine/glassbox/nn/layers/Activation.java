package glassbox.nn.layers;

import java.util.Locale;

/**
 * Element-wise (and, for softmax, row-wise) activation functions, each with its derivative written
 * directly below it. Used by {@link Dense}'s {@code activation} argument and by the standalone
 * {@link ActivationLayer} (Keras's {@code layers.Activation}, {@code ReLU}, {@code Softmax}).
 *
 * <p>All backward formulas are expressed through the <em>output</em> {@code y} (or the input {@code z}
 * where simpler), so a layer needs to cache only one array.
 */
public enum Activation {
    /** {@code y = z}. Keras's {@code activation=None} / {@code 'linear'}. */
    LINEAR {
        @Override
        public void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols) {
            if (z != y || zAt != yAt) {
                System.arraycopy(z, zAt, y, yAt, rows * cols);
            }
        }

        @Override
        public void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols) {
            if (dy != dz || dyAt != dzAt) {
                System.arraycopy(dy, dyAt, dz, dzAt, rows * cols);
            }
        }
    },
    /** {@code y = max(0, z)}; {@code dz = dy·[y > 0]} (the kink at 0 takes derivative 0, as TensorFlow). */
    RELU {
        @Override
        public void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[yAt + i] = Math.max(z[zAt + i], 0f);
            }
        }

        @Override
        public void forward(float[] z, int zAt, float[] b, float[] y, int yAt, int rows, int cols) {
            if (b == null) {
                forward(z, zAt, y, yAt, rows, cols);
                return;
            }
            for (int r = 0; r < rows * cols; r += cols) {
                for (int j = 0; j < cols; j++) {
                    y[yAt + r + j] = Math.max(z[zAt + r + j] + b[j], 0f);
                }
            }
        }

        @Override
        public void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols) {
            // Branch-free: y ≥ 0 here, and y > 0 exactly when its bits, read as an int, are positive. With
            // random signs a branch would be mispredicted half the time, which costs more than the arithmetic.
            for (int i = 0, n = rows * cols; i < n; i++) {
                int keep = -(-Float.floatToRawIntBits(y[yAt + i]) >>> 31); // all ones if y > 0, else 0
                dz[dzAt + i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[dyAt + i]) & keep);
            }
        }
    },
    /** {@code y = 1 / (1 + e^-z)}; {@code dz = dy·y·(1 − y)}. */
    SIGMOID {
        @Override
        public void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[yAt + i] = (float) (1.0 / (1.0 + Math.exp(-z[zAt + i])));
            }
        }

        @Override
        public void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                dz[dzAt + i] = dy[dyAt + i] * y[yAt + i] * (1f - y[yAt + i]);
            }
        }
    },
    /** {@code y = tanh(z)}; {@code dz = dy·(1 − y²)}. */
    TANH {
        @Override
        public void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[yAt + i] = (float) Math.tanh(z[zAt + i]);
            }
        }

        @Override
        public void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                dz[dzAt + i] = dy[dyAt + i] * (1f - y[yAt + i] * y[yAt + i]);
            }
        }
    },
    /**
     * Row-wise {@code y_j = e^(z_j − max z) / Σ_k e^(z_k − max z)} (subtracting the max changes nothing
     * mathematically and keeps {@code exp} from overflowing); {@code dz_j = y_j·(dy_j − Σ_k dy_k·y_k)}.
     */
    SOFTMAX {
        @Override
        public void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int zo = zAt + r * cols;
                int o = yAt + r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, z[zo + j]);
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(z[zo + j] - max);
                    y[o + j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j < cols; j++) {
                    y[o + j] *= inv;
                }
            }
        }

        @Override
        public void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int yo = yAt + r * cols;
                int dyo = dyAt + r * cols;
                int dzo = dzAt + r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += dy[dyo + j] * y[yo + j];
                }
                for (int j = 0; j < cols; j++) {
                    dz[dzo + j] = y[yo + j] * (dy[dyo + j] - (float) dot);
                }
            }
        }
    };

    /**
     * {@code y = f(z)} for a {@code rows×cols} block starting at {@code z[zAt]}, written from {@code y[yAt]}
     * (a layer working chunk by chunk applies it to part of an array); {@code y} may be {@code z}.
     */
    public abstract void forward(float[] z, int zAt, float[] y, int yAt, int rows, int cols);

    /** {@code dz = dy·f'(z)} through the forward output {@code y}, each from its offset; {@code dz} may be {@code dy}. */
    public abstract void backward(float[] y, int yAt, float[] dy, int dyAt, float[] dz, int dzAt, int rows, int cols);

    /**
     * {@code y = f(z + b)}, {@code b} added to every row (a layer's bias; {@code null}: none), in one pass over
     * {@code z}: where {@link #forward(float[], int, float[], int, int, int)} after a separate bias loop would
     * read and write the block twice, this adds the bias to a few rows at a time and applies {@code f} to
     * them while they are in the L1 cache (ReLU in the same loop). {@code y} may be {@code z}; the bits are
     * those of the two passes.
     */
    public void forward(float[] z, int zAt, float[] b, float[] y, int yAt, int rows, int cols) {
        if (b == null) {
            forward(z, zAt, y, yAt, rows, cols);
            return;
        }
        int block = Math.max(1, 1024 / cols); // rows per step: 4 KB of y
        for (int first = 0; first < rows; first += block) {
            int n = Math.min(block, rows - first);
            int at = first * cols;
            for (int r = at; r < at + n * cols; r += cols) {
                for (int j = 0; j < cols; j++) {
                    y[yAt + r + j] = z[zAt + r + j] + b[j];
                }
            }
            forward(y, yAt + at, y, yAt + at, n, cols);
        }
    }

    /** {@code y = f(z)} for a whole {@code rows×cols} block; {@code y} may be {@code z}. */
    public void forward(float[] z, float[] y, int rows, int cols) {
        forward(z, 0, y, 0, rows, cols);
    }

    /** {@code dz = dy·f'(z)} for a whole block, through the forward output {@code y}; {@code dz} may be {@code dy}. */
    public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
        backward(y, 0, dy, 0, dz, 0, rows, cols);
    }

    /** The Keras spelling: {@code "relu"}, {@code "sigmoid"}, {@code "softmax"}, {@code "tanh"}, {@code "linear"}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a Keras activation name ({@code null} or {@code "linear"} → {@link #LINEAR}). */
    public static Activation of(String name) {
        if (name == null) {
            return LINEAR;
        }
        for (Activation a : values()) {
            if (a.kerasName().equals(name.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "': expected one of linear, relu, sigmoid, tanh, softmax");
    }
}
