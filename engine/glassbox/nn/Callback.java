package glassbox.nn;

/**
 * Hooks into {@link Sequential#fit}: Keras's {@code keras.callbacks.Callback}, with primitive arguments
 * so that the per-batch hook allocates nothing. Epochs and steps count from 1, as Keras prints them.
 */
public interface Callback {
    default void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
    }

    default void onEpochBegin(int epoch) {
    }

    /**
     * After each batch: the running mean of the loss and accuracy over the epoch so far ({@code NaN}
     * accuracy when the loss has none).
     */
    default void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
    }

    /** After each epoch, with that epoch's record (training means and validation figures, if any). */
    default void onEpochEnd(int epoch, History.Epoch record) {
    }

    default void onTrainEnd(History history) {
    }
}
