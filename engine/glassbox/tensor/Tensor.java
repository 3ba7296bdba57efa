package glassbox.tensor;

import glassbox.util.Preview;
import java.util.Arrays;

/**
 * A dense, contiguous, row-major block of {@code float}s with a shape.
 *
 * <p>The element at index {@code (i0, i1, …, ik)} of a tensor of shape {@code (d0, d1, …, dk)} lives at
 * {@code data[((i0·d1 + i1)·d2 + i2)… ]}: the last axis varies fastest, as in NumPy's default order.
 * Images are NHWC (Keras's {@code channels_last}), so {@code (n, h, w, c)} lives at
 * {@code ((n·H + h)·W + w)·C + c}.
 *
 * <p>A tensor owns its own {@code float[]} from index 0: jblas copies whole Java arrays across JNI, so
 * an offset view into a larger buffer would copy the whole buffer on every BLAS call.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    /** Wraps {@code data} (not copied) with {@code shape}; the sizes must agree. */
    public Tensor(float[] data, int... shape) {
        this.shape = shape.clone();
        long size = sizeOf(this.shape);
        if (size != data.length) {
            throw new IllegalArgumentException("data has " + data.length + " elements but shape "
                    + Arrays.toString(shape) + " needs " + size);
        }
        this.data = data;
    }

    /** A new tensor of zeros. */
    public static Tensor zeros(int... shape) {
        long size = sizeOf(shape);
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return new Tensor(new float[(int) size], shape);
    }

    /** The number of elements of a shape; every dimension must be non-negative. */
    public static long sizeOf(int... shape) {
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            size *= d;
        }
        return size;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of axis {@code axis}; negative axes count from the end, as in NumPy. */
    public int dim(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    public int size() {
        return data.length;
    }

    /** The backing array itself (not a copy): hot loops index it directly. */
    public float[] data() {
        return data;
    }

    /** The product of every axis but the first: the length of one sample's row. */
    public int rowLength() {
        return shape.length == 0 || shape[0] == 0 ? 0 : data.length / shape[0];
    }

    /** The same data seen with another shape of the same size (no copy). */
    public Tensor reshape(int... newShape) {
        return new Tensor(data, newShape);
    }

    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive) along axis 0, copied. */
    public Tensor slice(int from, int to) {
        if (from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for axis 0 of size " + shape[0]);
        }
        int row = rowLength();
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(Arrays.copyOfRange(data, from * row, to * row), s);
    }

    /** The rows named by {@code index} along axis 0, copied in that order. */
    public Tensor gather(int[] index) {
        int row = rowLength();
        int[] s = shape.clone();
        s[0] = index.length;
        float[] out = new float[index.length * row];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[0]) {
                throw new IllegalArgumentException("row index " + index[i] + " out of range for axis 0 of size " + shape[0]);
            }
            System.arraycopy(data, index[i] * row, out, i * row, row);
        }
        return new Tensor(out, s);
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** The shape as Keras prints it, e.g. {@code (32, 28, 28)}. */
    public static String shapeString(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /**
     * PyTorch's repr in one line — shape, dtype, the first values — e.g.
     * {@code Tensor(shape=(60000, 28, 28, 1), float32, [0.0, 0.0, 0.1, …])}: enough in the shell to see
     * what a tensor holds without printing all of it.
     */
    @Override
    public String toString() {
        return "Tensor(shape=" + shapeString(shape) + ", float32, " + Preview.values(data) + ")";
    }
}
