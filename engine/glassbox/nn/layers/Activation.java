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
        public void forward(float[] z, float[] y, int rows, int cols) {
            if (z != y) {
                System.arraycopy(z, 0, y, 0, rows * cols);
            }
        }

        @Override
        public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
            if (dy != dz) {
                System.arraycopy(dy, 0, dz, 0, rows * cols);
            }
        }
    },
    /** {@code y = max(0, z)}; {@code dz = dy·[y > 0]} (the kink at 0 takes derivative 0, as TensorFlow). */
    RELU {
        @Override
        public void forward(float[] z, float[] y, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[i] = Math.max(z[i], 0f);
            }
        }

        @Override
        public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                dz[i] = y[i] > 0f ? dy[i] : 0f;
            }
        }
    },
    /** {@code y = 1 / (1 + e^-z)}; {@code dz = dy·y·(1 − y)}. */
    SIGMOID {
        @Override
        public void forward(float[] z, float[] y, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[i] = (float) (1.0 / (1.0 + Math.exp(-z[i])));
            }
        }

        @Override
        public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                dz[i] = dy[i] * y[i] * (1f - y[i]);
            }
        }
    },
    /** {@code y = tanh(z)}; {@code dz = dy·(1 − y²)}. */
    TANH {
        @Override
        public void forward(float[] z, float[] y, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                y[i] = (float) Math.tanh(z[i]);
            }
        }

        @Override
        public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
            for (int i = 0, n = rows * cols; i < n; i++) {
                dz[i] = dy[i] * (1f - y[i] * y[i]);
            }
        }
    },
    /**
     * Row-wise {@code y_j = e^(z_j − max z) / Σ_k e^(z_k − max z)} (subtracting the max changes nothing
     * mathematically and keeps {@code exp} from overflowing); {@code dz_j = y_j·(dy_j − Σ_k dy_k·y_k)}.
     */
    SOFTMAX {
        @Override
        public void forward(float[] z, float[] y, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    max = Math.max(max, z[o + j]);
                }
                double sum = 0;
                for (int j = 0; j < cols; j++) {
                    float e = (float) Math.exp(z[o + j] - max);
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
        public void backward(float[] y, float[] dy, float[] dz, int rows, int cols) {
            for (int r = 0; r < rows; r++) {
                int o = r * cols;
                double dot = 0;
                for (int j = 0; j < cols; j++) {
                    dot += dy[o + j] * y[o + j];
                }
                for (int j = 0; j < cols; j++) {
                    dz[o + j] = y[o + j] * (dy[o + j] - (float) dot);
                }
            }
        }
    };

    /** {@code y = f(z)} for a {@code rows×cols} block; {@code y} may be {@code z}. */
    public abstract void forward(float[] z, float[] y, int rows, int cols);

    /** {@code dz = dy·f'(z)}, expressed through the forward output {@code y}; {@code dz} may be {@code dy}. */
    public abstract void backward(float[] y, float[] dy, float[] dz, int rows, int cols);

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
