package glassbox.board;

import glassbox.data.Datasets;
import glassbox.data.IdxFiles;
import glassbox.nn.FitOptions;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.layers.UpSampling2D;
import glassbox.nn.loss.BinaryCrossentropy;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the board's model tests look at: small synthetic test sets written as IDX files (class {@code c} a
 * vertical bar at column {@code 3 + 2c}, as the experiments' tests draw them), and small models of every
 * layer kind the board shows, trained for an epoch on those images so that no weight, and no moving
 * statistic of BatchNormalization, is initial.
 */
final class BoardModels {
    private BoardModels() {
    }

    /** Writes {@code n} test images of {@code dataset} under {@code home/data/<dataset>/}. */
    static void writeTestSet(Path home, String dataset, int n, long seed) throws IOException {
        Path dir = home.resolve("data").resolve(dataset);
        Files.createDirectories(dir);
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        Rng rng = new Rng(seed);
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            float[] image = image(i % 10, rng);
            for (int k = 0; k < image.length; k++) {
                pixels[i * 784 + k] = (byte) image[k];
            }
        }
        Files.write(dir.resolve(Datasets.TEST_IMAGES), IdxFiles.idx(0x00000803, new int[]{n, 28, 28}, pixels));
        Files.write(dir.resolve(Datasets.TEST_LABELS), IdxFiles.idx(0x00000801, new int[]{n}, labels));
    }

    /** One image of class {@code c}, pixels 0..255. */
    static float[] image(int c, Rng rng) {
        float[] image = new float[784];
        int brightness = 150 + rng.nextInt(106);
        int top = 2 + rng.nextInt(6);
        for (int r = 0; r < 28; r++) {
            for (int col = 0; col < 28; col++) {
                boolean bar = col >= 3 + 2 * c && col < 5 + 2 * c && r >= top && r < top + 18;
                image[r * 28 + col] = bar ? brightness : (rng.nextInt(10) == 0 ? rng.nextInt(60) : 0);
            }
        }
        return image;
    }

    /** {@code n} images of classes {@code i % classes} as {@code (n, 28, 28, 1)} / 255, and their labels. */
    static Tensor[] data(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 28, 28, 1);
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            float[] image = image(i % classes, rng);
            for (int k = 0; k < 784; k++) {
                x.data()[i * 784 + k] = image[k] / 255f;
            }
            y.data()[i] = i % classes;
        }
        return new Tensor[]{x, y};
    }

    /**
     * Conv2D 4 → BatchNormalization → MaxPooling2D → Conv2D 3 (4 input channels) → Dropout → Flatten →
     * Dense 16 relu → Dense {@code classes} softmax, trained one epoch.
     */
    static Sequential classifier(int classes) {
        Sequential model = new Sequential(5,
                new Conv2D(4, 3, "valid", "relu"),
                new BatchNormalization(),
                new MaxPooling2D(),
                new Conv2D(3, 3, "same", "relu"),
                new Dropout(0.3),
                new Flatten(),
                new Dense(16, "relu"),
                new Dense(classes, "softmax")).build(28, 28, 1);
        model.compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        Tensor[] d = data(200, classes, 3);
        model.fit(d[0], d[1], FitOptions.defaults().withEpochs(1).withBatchSize(32).withVerbose(false));
        return model;
    }

    /** A small conv autoencoder: 28 → 14 → 7 (the 7×7×2 code) → 14 → 28, sigmoid out; one epoch. */
    static Sequential autoencoder() {
        Sequential model = new Sequential(6,
                new Conv2D(4, 3, "same", "relu"),
                new MaxPooling2D(2, "same"),
                new Conv2D(2, 3, "same", "relu"),
                new MaxPooling2D(2, "same"),
                new Conv2D(2, 3, "same", "relu"),
                new UpSampling2D(),
                new Conv2D(4, 3, "same", "relu"),
                new UpSampling2D(),
                new Conv2D(1, 3, "same", "sigmoid")).build(28, 28, 1);
        model.compile(new BinaryCrossentropy(), new Adam(0.01f));
        Tensor x = data(64, 10, 4)[0];
        model.fit(x, x, FitOptions.defaults().withEpochs(1).withBatchSize(32).withVerbose(false));
        return model;
    }

    /** Saves {@code model} as {@code runs/<experiment>/<stamp>/<name>}; returns the file. */
    static Path save(Path runs, String experiment, String stamp, String name, Sequential model) throws IOException {
        Path dir = runs.resolve(experiment).resolve(stamp);
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ModelFiles.save(model, file);
        return file;
    }
}
