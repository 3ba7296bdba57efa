package glassbox.data;

import glassbox.tensor.Tensor;

/**
 * Element-wise and per-axis preprocessing of image data, as the seed notebooks apply it before training.
 *
 * <p>Every method is pure: it returns a new tensor of the input's shape and never writes to its input, so
 * the same loaded dataset can feed several variants of an experiment.
 */
public final class Transforms {
    private Transforms() {
    }

    /**
     * Divides every slice along {@code axis} by its L2 norm: Keras's
     * {@code tf.keras.utils.normalize(x, axis, order=2)}.
     *
     * <p>For each position of all the other axes, the vector {@code v} running along {@code axis} becomes
     * {@code v / ||v||₂}; a vector whose norm is 0 is divided by 1 (left as zeros), as Keras does. Negative
     * axes count from the end.
     *
     * <p>Mind what the seeds' {@code normalize(x_train, axis=1)} means on MNIST's {@code (n, 28, 28)} array:
     * axis 1 is the <em>rows</em> axis, so each image's each <em>column</em> {@code x[n, :, w]} is scaled to
     * unit length over its 28 rows — not each image, and not each row. This method does exactly that.
     *
     * <p>The norm is accumulated in {@code double} and each element divided in {@code double}, then rounded
     * once to float: NumPy computes this in float64 for the integer images Keras hands the notebooks, so the
     * result is the float32 rounding of NumPy's.
     *
     * @param x    a tensor of any rank ≥ 1
     * @param axis the axis to normalise along, in {@code [-rank, rank)}
     */
    public static Tensor normalizeL2(Tensor x, int axis) {
        int rank = x.rank();
        if (rank == 0 || axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("normalizeL2: axis " + axis + " is out of range for a tensor of shape "
                    + Tensor.shapeString(x.shape()) + "; expected an axis in [" + (-rank) + ", " + rank + ")");
        }
        int a = axis < 0 ? axis + rank : axis;
        int[] shape = x.shape();
        // View the tensor as (outer, len, inner): element (o, j, i) lives at (o·len + j)·inner + i, and
        // the vector to normalise is j = 0..len-1 for fixed (o, i), a stride of `inner` apart.
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= shape[d];
        }
        int len = shape[a];
        int inner = 1;
        for (int d = a + 1; d < rank; d++) {
            inner *= shape[d];
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int o = 0; o < outer; o++) {
            int base = o * len * inner;
            for (int i = 0; i < inner; i++) {
                double sumSquares = 0;
                for (int j = 0; j < len; j++) {
                    double v = in[base + j * inner + i];
                    sumSquares += v * v;
                }
                double norm = Math.sqrt(sumSquares);
                if (norm == 0) {
                    norm = 1;
                }
                for (int j = 0; j < len; j++) {
                    int k = base + j * inner + i;
                    out[k] = (float) (in[k] / norm);
                }
            }
        }
        return new Tensor(out, shape);
    }

    /** {@code x · factor}, element-wise (computed in double, rounded once). */
    public static Tensor scale(Tensor x, double factor) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            out[k] = (float) (in[k] * factor);
        }
        return new Tensor(out, x.shape());
    }

    /**
     * {@code x / divisor}, element-wise: the notebooks' {@code x_train / 255.0}. Divides in double and
     * rounds once, as NumPy's {@code uint8 / 255.0} (float64) followed by a cast to float32 does; multiplying
     * by a rounded {@code 1/255f} instead can land one float step away.
     */
    public static Tensor divide(Tensor x, double divisor) {
        if (divisor == 0) {
            throw new IllegalArgumentException("divide: divisor is 0; expected a non-zero number");
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            out[k] = (float) (in[k] / divisor);
        }
        return new Tensor(out, x.shape());
    }

    /** {@code 1} where {@code x > t}, else {@code 0}: binarises images ({@code (x > t).astype('float32')}). */
    public static Tensor threshold(Tensor x, double t) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            out[k] = in[k] > t ? 1f : 0f;
        }
        return new Tensor(out, x.shape());
    }

    /**
     * {@code x ^ p}, element-wise, by {@link Math#pow} in double (so {@code 0^0 = 1} and a negative base
     * with a fractional {@code p} gives NaN, as {@code np.power} on floats does).
     */
    public static Tensor power(Tensor x, double p) {
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int k = 0; k < in.length; k++) {
            out[k] = (float) Math.pow(in[k], p);
        }
        return new Tensor(out, x.shape());
    }

    /**
     * Class indices as one-hot rows, Keras's {@code to_categorical(y, num_classes)}: shape
     * {@code (n, numClasses)}, row {@code i} all zero but a 1 at column {@code y[i]}.
     */
    public static Tensor oneHot(int[] y, int numClasses) {
        Tensor out = Tensor.zeros(y.length, numClasses);
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("oneHot: y[" + i + "] = " + y[i] + " is outside [0, " + numClasses
                        + ")");
            }
            out.data()[i * numClasses + y[i]] = 1f;
        }
        return out;
    }
}
