package glassbox.nn;

import glassbox.tensor.Tensor;

import java.util.List;

/**
 * The arguments of {@link Sequential#fit}, with Keras's defaults: {@code epochs=1, batch_size=32,
 * shuffle=True}, no validation data. Immutable; each {@code withX} returns a changed copy.
 *
 * @param verbose    print Keras-style progress ({@code verbose=1})
 * @param profile    time every phase of every step (adds two clock reads per phase); see {@link Profile}
 * @param callbacks  extra hooks, called after the progress display
 */
public record FitOptions(int epochs, int batchSize, boolean shuffle, boolean verbose, boolean profile,
                         Tensor validationX, Tensor validationY, List<Callback> callbacks) {

    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if ((validationX == null) != (validationY == null)) {
            throw new IllegalArgumentException("validation data needs both x and y");
        }
        callbacks = List.copyOf(callbacks);
    }

    public static FitOptions defaults() {
        return new FitOptions(1, 32, true, true, false, null, null, List.of());
    }

    public FitOptions withEpochs(int epochs) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }

    public FitOptions withBatchSize(int batchSize) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }

    public FitOptions withShuffle(boolean shuffle) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }

    public FitOptions withVerbose(boolean verbose) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }

    public FitOptions withProfile(boolean profile) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }

    public FitOptions withValidation(Tensor x, Tensor y) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, x, y, callbacks);
    }

    public FitOptions withCallbacks(List<Callback> callbacks) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, profile, validationX, validationY, callbacks);
    }
}
