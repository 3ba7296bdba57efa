package glassbox.board;

import glassbox.experiments.SyntheticMnist;
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
import java.util.Arrays;

/**
 * What the board's model tests look at: small synthetic test sets ({@link SyntheticMnist}'s: class {@code c}
 * a vertical bar at column {@code 3 + 2c}), and small models of every layer kind the board shows, trained for
 * an epoch on such images so that no weight, and no moving statistic of BatchNormalization, is initial.
 */
final class BoardModels {
    private BoardModels() {
    }

    /** The fashion-twist run of {@link #writeHome}, with its classifier and a corrupt model file. */
    static final String TWIST = "fashion-twist/20260101-000000";
    /** The autoencoder run of {@link #writeHome}. */
    static final String AE = "autoencoder/20260101-000000";

    /**
     * A project home for a board: {@code testImages} synthetic Fashion-MNIST test images and 20 MNIST ones
     * under {@code data/}, and under {@code runs/} a fashion-twist run holding {@code classifier(5)} as
     * {@code custom-model.gbx} and a truncated copy as {@code broken.gbx}, and an autoencoder run holding
     * {@code autoencoder()} as {@code autoencoder.gbx}. Returns the classifier.
     */
    static Sequential writeHome(Path home, int testImages) throws IOException {
        SyntheticMnist.write(home, "fashion-mnist", 0, testImages, 21);
        SyntheticMnist.write(home, "mnist", 0, 20, 22);
        Path runs = home.resolve("runs");
        Sequential classifier = classifier(5);
        save(runs, TWIST, "custom-model.gbx", classifier);
        Path broken = save(runs, TWIST, "broken.gbx", classifier);
        byte[] bytes = Files.readAllBytes(broken);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length - 10));
        save(runs, AE, "autoencoder.gbx", autoencoder());
        return classifier;
    }

    /** {@code n} images of classes {@code i % classes} as {@code (n, 28, 28, 1)} / 255, and their labels. */
    static Tensor[] data(int n, int classes, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 28, 28, 1);
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            int[] image = SyntheticMnist.image(i % classes, rng);
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

    /** Saves {@code model} as {@code runs/<run>/<name>} ({@code run}: experiment/stamp); returns the file. */
    static Path save(Path runs, String run, String name, Sequential model) throws IOException {
        Path dir = runs.resolve(run);
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        ModelFiles.save(model, file);
        return file;
    }
}
