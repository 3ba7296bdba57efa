package glassbox.data;

import glassbox.tensor.Tensor;
import glassbox.util.Preview;
import java.util.Arrays;

/**
 * A labelled dataset held in memory: samples along axis 0 of {@code x}, one class index per sample in
 * {@code y}.
 *
 * <p>For the MNIST family {@code x} has shape {@code (n, 28, 28)} and holds the raw pixel values 0..255 as
 * floats, exactly what {@code keras.datasets.mnist.load_data()} returns before a notebook divides by 255
 * or normalises (see {@link Transforms}); add a channel axis with {@code x.reshape(n, 28, 28, 1)} for a
 * Conv2D. Labels are integer class indices, as Keras's {@code y_train}, ready for a sparse categorical
 * loss; {@link #yAsTensor()} gives them as a float tensor.
 *
 * <p>A record holding arrays: it does not copy them, and {@code equals} compares them by identity.
 * {@link #slice} and {@link #subset} return copies, so a training loop may shuffle or slice freely.
 *
 * @param x          the samples, shape {@code (n, …)}
 * @param y          the class index of each sample, length {@code n}, each in {@code [0, numClasses)}
 * @param numClasses the number of classes (10 for MNIST), which may exceed the largest label present
 * @param name       a name for messages and plots, e.g. {@code "mnist-train"}
 */
public record Dataset(Tensor x, int[] y, int numClasses, String name) {
    public Dataset {
        if (x == null || y == null || name == null) {
            throw new IllegalArgumentException("Dataset: x, y and name must not be null");
        }
        if (x.rank() == 0 || x.dim(0) != y.length) {
            throw new IllegalArgumentException("Dataset " + name + ": x has shape " + Tensor.shapeString(x.shape())
                    + " but y has " + y.length + " labels; expected one label per sample along axis 0");
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Dataset " + name + ": numClasses is " + numClasses
                    + "; expected a positive count");
        }
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException("Dataset " + name + ": label y[" + i + "] = " + y[i]
                        + " is outside [0, " + numClasses + ")");
            }
        }
    }

    /** The number of samples, {@code n}. */
    public int size() {
        return y.length;
    }

    /** The shape of one sample, e.g. {@code [28, 28]}. */
    public int[] sampleShape() {
        int[] shape = x.shape();
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied: Python's {@code x[from:to]}. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("Dataset " + name + ": slice [" + from + ", " + to
                    + ") is out of range for " + size() + " samples");
        }
        return new Dataset(x.slice(from, to), Arrays.copyOfRange(y, from, to), numClasses, name);
    }

    /**
     * The samples named by {@code index}, copied in that order (repeats allowed): NumPy's fancy indexing
     * {@code x[index]}, the way a shuffled permutation or a train/validation split is applied.
     */
    public Dataset subset(int[] index) {
        int[] labels = new int[index.length];
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= size()) {
                throw new IllegalArgumentException("Dataset " + name + ": index[" + i + "] = " + index[i]
                        + " is out of range for " + size() + " samples");
            }
            labels[i] = y[index[i]];
        }
        return new Dataset(x.gather(index), labels, numClasses, name);
    }

    /** The labels as a float tensor of class indices, shape {@code (n,)}: Keras's {@code y_train} as floats. */
    public Tensor yAsTensor() {
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i];
        }
        return new Tensor(out, y.length);
    }

    /** How many samples each class has, indexed by class: a quick check of balance. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : y) {
            counts[label]++;
        }
        return counts;
    }

    /** e.g. {@code Dataset[mnist-train: x (60000, 28, 28) float32, y int[60000] [5, 0, 4, …], 10 classes]}. */
    @Override
    public String toString() {
        return "Dataset[" + name + ": x " + Tensor.shapeString(x.shape()) + " float32, y " + Preview.of(y) + ", "
                + numClasses + " classes]";
    }
}
