package glassbox.board;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Transforms;
import glassbox.experiments.FashionTwist;
import glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test images a run's saved models are shown on, chosen by the run's experiment: the one place that
 * knows which data each experiment's models eat ({@link #sourceFor}).
 *
 * <pre>
 *   experiment                          images          labels                          model input
 *   fashion-twist, fashion-embedding    Fashion-MNIST   the five twist classes          x / 255
 *   mnist-mlp, mnist-study              MNIST           digits                          normalize(x, axis=1)
 *   autoencoder, kmeans-labels, other   MNIST           digits                          x / 255
 * </pre>
 *
 * The images are then reshaped to the model's input shape, {@code (28, 28, 1)}, {@code (28, 28)} or
 * {@code (784)}. Only the test split is read, straight from {@code <home>/data/<dataset>/} — never fetched:
 * the board runs nothing but inference, so a missing dataset is a one-line message naming the folder and
 * the command that fetches it. Each dataset is read once per board and kept (10,000 images: 8 MB of bytes,
 * 31 MB as model input).
 */
final class TestImages {
    /** How an experiment turned raw 0..255 pixels into what its models were trained on. */
    enum Preprocessing {
        /** {@code x / 255}: the seed notebooks' {@code astype("float32") / 255}. */
        DIVIDE_255("x / 255"),
        /** Seed 000's {@code tf.keras.utils.normalize(x, axis=1)}: each image column to unit L2 length. */
        NORMALIZE_AXIS_1("normalize(x, axis=1)");

        final String description;

        Preprocessing(String description) {
            this.description = description;
        }

        /** {@code raw} (n, 28, 28) with values 0..255 as the model's input, same shape. */
        Tensor apply(Tensor raw) {
            return this == DIVIDE_255 ? Transforms.divide(raw, 255.0) : Transforms.normalizeL2(raw, 1);
        }
    }

    /** Which dataset, labelled how, preprocessed how. */
    record Source(String dataset, boolean twist, Preprocessing preprocessing) {
        List<String> classNames() {
            return twist ? FashionTwist.CLASS_NAMES : Datasets.classNames(dataset);
        }

        /** E.g. {@code "fashion-mnist test set, the five twist classes, x / 255"}. */
        String describe() {
            return dataset + " test set" + (twist ? ", relabelled to the five twist classes" : "") + ", "
                    + preprocessing.description;
        }
    }

    /** The mapping of the class comment's table. */
    static Source sourceFor(String experiment) {
        return switch (experiment) {
            case "fashion-twist", "fashion-embedding" -> new Source("fashion-mnist", true, Preprocessing.DIVIDE_255);
            case "mnist-mlp", "mnist-study" -> new Source("mnist", false, Preprocessing.NORMALIZE_AXIS_1);
            default -> new Source("mnist", false, Preprocessing.DIVIDE_255);
        };
    }

    /**
     * A source's test split: {@code raw} (n, 28, 28) pixels 0..255 (what the page shows), {@code input} the
     * same images preprocessed (what the models eat), the labels.
     */
    record Split(Source source, Tensor raw, Tensor input, int[] labels) {
        int size() {
            return labels.length;
        }

        /** Image {@code index}'s raw pixels, 784 values 0..255. */
        float[] rawPixels(int index) {
            float[] pixels = new float[28 * 28];
            System.arraycopy(raw.data(), index * pixels.length, pixels, 0, pixels.length);
            return pixels;
        }
    }

    private final Path home;
    private final Map<Source, Split> loaded = new HashMap<>();
    private final Map<String, Tensor> trainImages = new HashMap<>();

    /** @param home the project root whose {@code data/} holds the datasets */
    TestImages(Path home) {
        this.home = home;
    }

    /**
     * The test split of {@code source}, read on first use.
     *
     * @throws IOException when the files are missing or malformed; the message names the folder and says how
     *                     to fetch the data
     */
    synchronized Split split(Source source) throws IOException {
        Split split = loaded.get(source);
        if (split == null) {
            split = read(source);
            loaded.put(source, split);
        }
        return split;
    }

    /**
     * The raw training images (n, 28, 28) of {@code source}'s dataset, read on first use: only for showing
     * them (an embedding of training images, kmeans-labels'), so neither labels nor preprocessing.
     */
    synchronized Tensor trainImages(Source source) throws IOException {
        Tensor images = trainImages.get(source.dataset());
        if (images == null) {
            Path dir = home.resolve("data").resolve(source.dataset());
            Path file = find(dir, Datasets.TRAIN_IMAGES);
            Path labels = find(dir, Datasets.TRAIN_LABELS);
            if (file == null || labels == null) {
                throw new IOException("no training images: " + dir + " lacks " + (file == null
                        ? Datasets.TRAIN_IMAGES : Datasets.TRAIN_LABELS) + " (plain or .gz); run data/fetch.sh "
                        + source.dataset() + " in the project, or give the board --home <project root>");
            }
            images = Datasets.readIdxPair(file, labels, 10, source.dataset() + "-train").x();
            trainImages.put(source.dataset(), images);
        }
        return images;
    }

    private Split read(Source source) throws IOException {
        Path dir = home.resolve("data").resolve(source.dataset());
        Path images = find(dir, Datasets.TEST_IMAGES);
        Path labels = find(dir, Datasets.TEST_LABELS);
        if (images == null || labels == null) {
            throw new IOException("no test images: " + dir + " lacks " + (images == null ? Datasets.TEST_IMAGES
                    : Datasets.TEST_LABELS) + " (plain or .gz); run data/fetch.sh " + source.dataset()
                    + " in the project, or give the board --home <project root>");
        }
        Dataset test = Datasets.readIdxPair(images, labels, 10, source.dataset() + "-test");
        if (source.twist()) {
            test = FashionTwist.relabel(test);
        }
        int[] shape = test.x().shape();
        if (shape.length != 3 || shape[1] != 28 || shape[2] != 28) {
            throw new IOException(images + ": images of shape " + Tensor.shapeString(shape)
                    + ", expected (n, 28, 28)");
        }
        return new Split(source, test.x(), source.preprocessing().apply(test.x()), test.y());
    }

    private static Path find(Path dir, String base) {
        for (String name : List.of(base, base + ".gz")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }
}
