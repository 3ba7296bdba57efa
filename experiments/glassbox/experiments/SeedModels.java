package glassbox.experiments;

import glassbox.nn.Sequential;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.layers.UpSampling2D;

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

    /** The layer whose output is seed 003's 4×4×8 = 128-value code (Keras 2's automatic name for it). */
    public static final String AUTOENCODER_CODE_LAYER = "max_pooling2d_2";

    /**
     * Seed 003's convolutional autoencoder, on 28×28×1 images: encoder Conv 16 same → MaxPool same → Conv 8
     * same → MaxPool same → Conv 8 same → MaxPool same (28 → 14 → 7 → 4: the code, 4×4×8 = 128 values, the
     * output of {@value #AUTOENCODER_CODE_LAYER}); decoder Conv 8 same → Conv 8 same → UpSampling → Conv 8
     * same → UpSampling → Conv 16 <em>valid</em> (16 → 14, what brings 4·2·2 = 16 back to 28) → UpSampling
     * → Conv 1 same sigmoid. Every Conv is 3×3, relu except the last; 4,969 parameters.
     */
    public static Sequential convAutoencoder(long seed) {
        return new Sequential(seed,
                new Conv2D(16, 3, "same", "relu"),
                new MaxPooling2D(2, "same"),
                new Conv2D(8, 3, "same", "relu"),
                new MaxPooling2D(2, "same"),
                new Conv2D(8, 3, "same", "relu"),
                new MaxPooling2D(2, "same"),
                new Conv2D(8, 3, "same", "relu"),
                new Conv2D(8, 3, "same", "relu"),
                new UpSampling2D(),
                new Conv2D(8, 3, "same", "relu"),
                new UpSampling2D(),
                new Conv2D(16, 3, "valid", "relu"),
                new UpSampling2D(),
                new Conv2D(1, 3, "same", "sigmoid")).build(28, 28, 1);
    }

    /**
     * Seed 003's classifier (Keras's {@code examples/mnist_cnn.py}): Conv 32 valid → Conv 64 valid → MaxPool
     * → Dropout 0.25 → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax (Convs 3×3 relu), on 28×28×1
     * images; 1,199,882 parameters.
     */
    public static Sequential mnistKerasCnn(long seed) {
        return new Sequential(seed,
                new Conv2D(32, 3, "valid", "relu"),
                new Conv2D(64, 3, "valid", "relu"),
                new MaxPooling2D(),
                new Dropout(0.25),
                new Flatten(),
                new Dense(128, "relu"),
                new Dropout(0.5),
                new Dense(10, "softmax")).build(28, 28, 1);
    }

    /**
     * The dense head of {@link #mnistKerasCnn} — Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax —
     * on samples of {@code inputShape}: seed 003's classifier for inputs its convolutions cannot take (the
     * 4×4×8 code, too small for two valid 3×3 convolutions), and the same classifier on raw pixels.
     */
    public static Sequential denseHead(long seed, int... inputShape) {
        return new Sequential(seed,
                new Flatten(),
                new Dense(128, "relu"),
                new Dropout(0.5),
                new Dense(10, "softmax")).build(inputShape);
    }
}
