package glassbox.nn;

import glassbox.tensor.Tensor;

import java.util.List;

/**
 * The arguments of {@link Sequential#fit}, with Keras's defaults: {@code epochs=1, batch_size=32,
 * shuffle=True}, no validation data, {@code validation_split=0}. Immutable; each {@code withX} returns a
 * changed copy.
 *
 * @param verbose         print Keras-style progress ({@code verbose=1})
 * @param validationX     Keras's {@code validation_data=(x, y)}: scored after every epoch; {@code null} for none
 * @param validationSplit Keras's {@code validation_split}: the fraction of the training rows, taken from the
 *                        <em>end</em> and before any shuffling, held out and scored after every epoch instead
 *                        of trained on; see {@link #withValidationSplit}
 * @param validationFreq  Keras's {@code validation_freq}: validate after every {@code validationFreq}-th epoch
 *                        (epochs 1-based: those with {@code epoch % validationFreq == 0}); the others record
 *                        no {@code val_} figures ({@code NaN} in {@link History#get})
 * @param callbacks       extra hooks, called after the progress display: Keras's {@code callbacks=[…]}, where
 *                        {@code --profile} puts a {@link Profile} (first, so that it times the phases alone) and
 *                        {@code --inspect} an {@link Inspector}
 */
public record FitOptions(int epochs, int batchSize, boolean shuffle, boolean verbose, Tensor validationX,
                         Tensor validationY, double validationSplit,
                         int validationFreq, List<Callback> callbacks) {

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
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + validationSplit);
        }
        if (validationFreq < 1) {
            throw new IllegalArgumentException("validationFreq must be >= 1 (validate every N epochs), got "
                    + validationFreq);
        }
        callbacks = List.copyOf(callbacks);
    }

    public static FitOptions defaults() {
        return new FitOptions(1, 32, true, true, null, null, 0, 1, List.of());
    }

    public FitOptions withEpochs(int epochs) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    public FitOptions withBatchSize(int batchSize) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    public FitOptions withShuffle(boolean shuffle) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    public FitOptions withVerbose(boolean verbose) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    /** Keras's {@code validation_data=(x, y)}. When given, it is used and any {@link #validationSplit} is ignored. */
    public FitOptions withValidation(Tensor x, Tensor y) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, x, y, validationSplit,
                validationFreq, callbacks);
    }

    /**
     * Keras's {@code validation_split}: with {@code n} rows, {@code fit} trains on rows
     * {@code [0, splitAt)} and validates on rows {@code [splitAt, n)}, where
     * {@code splitAt = floor(n·(1 − validationSplit))}. The split is taken before shuffling, so the held-out
     * rows are always the last ones: shuffle the data first if its order means something (sorted by
     * class, say). {@code fit} rejects a split that leaves either side empty, as Keras 3 does.
     *
     * <p>As in Keras, explicit validation data ({@link #withValidation}) takes precedence: when both are
     * given, the split is ignored and every row is trained on.
     *
     * @param validationSplit in [0, 1); 0 (the default) holds nothing out
     */
    public FitOptions withValidationSplit(double validationSplit) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    public FitOptions withCallbacks(List<Callback> callbacks) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, validationFreq, callbacks);
    }

    /** Keras's {@code validation_freq}: score the validation data only after every {@code n}-th epoch. */
    public FitOptions withValidationFreq(int n) {
        return new FitOptions(epochs, batchSize, shuffle, verbose, validationX, validationY,
                validationSplit, n, callbacks);
    }
}
