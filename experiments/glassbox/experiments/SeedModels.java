package glassbox.experiments;

import glassbox.nn.Sequential;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;

/**
 * The seed notebooks' convolutional networks, written once so that the experiments and the benchmarks
 * ({@code ./glassbox bench cnn}) train exactly the same models. Each is the notebook's Keras code, layer for
 * layer; the model is uncompiled (the caller picks the loss the notebook used).
 */
public final class SeedModels {
    private SeedModels() {
    }

    /**
     * Seed 002, section 2.1, "Default Network": Conv 32 same → MaxPool → Conv 32 same → Flatten → Dense 5
     * softmax, on 28×28×1 images; 40,933 parameters.
     */
    public static Sequential fashionDefault(long seed) {
        return new Sequential(seed,
                new Conv2D(32, 3, "same", "relu"),
                new MaxPooling2D(),
                new Conv2D(32, 3, "same", "relu"),
                new Flatten(),
                new Dense(5, "softmax")).build(28, 28, 1);
    }

    /**
     * Seed 002, section 2.3, "Your Own Network": Conv 32 same → Conv 128 valid → MaxPool → BN → Dropout 0.5
     * → Conv 64 same → MaxPool → BN → Dropout 0.5 → Flatten → Dense 64 relu → Dense 5 softmax; 259,717
     * parameters, 384 of them the BatchNormalizations' moving statistics.
     */
    public static Sequential fashionCustom(long seed) {
        return new Sequential(seed,
                new Conv2D(32, 3, "same", "relu"),
                new Conv2D(128, 3, "valid", "relu"),
                new MaxPooling2D(),
                new BatchNormalization(),
                new Dropout(0.5),
                new Conv2D(64, 3, "same", "relu"),
                new MaxPooling2D(),
                new BatchNormalization(),
                new Dropout(0.5),
                new Flatten(),
                new Dense(64, "relu"),
                new Dense(5, "softmax")).build(28, 28, 1);
    }

    /**
     * Seed 001's MNIST CNN: Conv 32 → Conv 32 → MaxPool → BN → Conv 64 → Conv 64 → MaxPool → BN →
     * Dropout 0.2 → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax (every Conv 3×3 valid relu).
     */
    public static Sequential mnistCnn(long seed) {
        return new Sequential(seed,
                new Conv2D(32, 3, "valid", "relu"),
                new Conv2D(32, 3, "valid", "relu"),
                new MaxPooling2D(),
                new BatchNormalization(),
                new Conv2D(64, 3, "valid", "relu"),
                new Conv2D(64, 3, "valid", "relu"),
                new MaxPooling2D(),
                new BatchNormalization(),
                new Dropout(0.2),
                new Flatten(),
                new Dense(128, "relu"),
                new Dropout(0.5),
                new Dense(10, "softmax")).build(28, 28, 1);
    }
}
