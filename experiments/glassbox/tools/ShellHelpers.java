package glassbox.tools;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.nn.FitOptions;
import glassbox.nn.Sequential;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.io.IOException;
import java.util.Locale;

/**
 * What {@code ./glassbox shell} imports statically beside the engine's packages: loading a slice of a
 * dataset, one training step, and one-line summaries of a tensor. Each is a few lines over the engine's own
 * API, so a learner who reads them sees the calls to make without the shell.
 */
public final class ShellHelpers {
    private ShellHelpers() {
    }

    /**
     * The first {@code n} training samples of dataset {@code name} ({@code "mnist"}, {@code "fashion-mnist"}),
     * as the seed notebooks prepare them: pixels divided by 255, images shaped {@code (n, rows, cols, 1)}
     * (channels-last, so they feed a {@code Conv2D} directly and a {@code Dense} after a {@code Flatten}).
     * Loading fetches the dataset the first time, as {@code ./glassbox run} does; when that fails (offline,
     * say) the message says how to fetch it, and that {@link #synthetic} needs no download.
     */
    public static Dataset data(String name, int n) {
        Dataset train;
        try {
            train = Datasets.load(name).train();
        } catch (IOException e) {
            throw new IllegalStateException("could not load '" + name + "': " + e.getMessage()
                    + ". Fetch it with data/fetch.sh " + name + " (from the project root; it needs the network),"
                    + " or try synthetic(" + n + ") for a made-up MNIST-shaped set that needs no download", e);
        }
        if (n <= 0 || n > train.size()) {
            throw new IllegalArgumentException("data(\"" + name + "\", n): n must be in [1, " + train.size()
                    + "], got " + n);
        }
        Dataset slice = train.slice(0, n);
        return new Dataset(images(slice.x()), slice.y(), slice.numClasses(), slice.name());
    }

    /** {@code (n, rows, cols)} pixels 0..255 → {@code (n, rows, cols, 1)} in [0, 1]. */
    private static Tensor images(Tensor x) {
        Tensor out = Tensor.zeros(x.dim(0), x.dim(1), x.dim(2), 1);
        for (int i = 0; i < x.size(); i++) {
            out.data()[i] = x.data()[i] / 255f;
        }
        return out;
    }

    /**
     * {@code n} made-up 28 × 28 images in 10 classes, shaped like {@link #data}'s: class {@code c} is a
     * vertical bar two pixels wide at column {@code 3 + 2c}, of random brightness and height, over faint
     * noise. Learnable in a few steps; for trying things without the real download.
     */
    public static Dataset synthetic(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("synthetic(n): n must be positive, got " + n);
        }
        Rng rng = new Rng(n);
        Tensor x = Tensor.zeros(n, 28, 28, 1);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            y[i] = c;
            float brightness = (float) rng.uniform(0.6, 1);
            int top = 2 + rng.nextInt(6);
            for (int r = 0; r < 28; r++) {
                for (int col = 0; col < 28; col++) {
                    boolean bar = col >= 3 + 2 * c && col < 5 + 2 * c && r >= top && r < top + 18;
                    x.data()[(i * 28 + r) * 28 + col] = bar ? brightness : (float) (rng.uniform(0, 1) < 0.1
                            ? rng.uniform(0, 0.25) : 0);
                }
            }
        }
        return new Dataset(x, y, 10, "synthetic");
    }

    /**
     * One training step on the batch {@code (x, y)} — Keras's {@code model.train_on_batch(x, y)}: forward,
     * loss, backward, one optimiser step — returning the batch's loss. Afterwards every layer's
     * {@code cache()} holds this batch's activations and every {@code params().get(i).grad()} its gradients
     * (taken before the step). The model must be compiled.
     */
    public static double trainOnBatch(Sequential model, Tensor x, Tensor y) {
        FitOptions once = FitOptions.defaults().withEpochs(1).withBatchSize(x.dim(0)).withShuffle(false)
                .withVerbose(false);
        return model.fit(x, y, once).last().loss();
    }

    /** The Euclidean norm of all of {@code t}'s values, summed in double. */
    public static double norm(Tensor t) {
        double sum = 0;
        for (float v : t.data()) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** One line: shape, min, mean, max, norm and how many values are exactly zero (dead ReLUs, dropped values). */
    public static String stats(Tensor t) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        double sum = 0;
        int zeros = 0;
        for (float v : t.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            zeros += v == 0 ? 1 : 0;
        }
        return String.format(Locale.ROOT, "%s min %.4g mean %.4g max %.4g norm %.4g zeros %d of %d",
                Tensor.shapeString(t.shape()), min, sum / t.size(), max, norm(t), zeros, t.size());
    }
}
