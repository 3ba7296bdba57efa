package glassbox.nn;

/**
 * Hooks into {@link Sequential#fit}: Keras's {@code keras.callbacks.Callback}, with primitive arguments
 * so that the per-batch hook allocates nothing. Epochs and steps count from 1, as Keras prints them.
 *
 * <p>Before {@link #onTrainBegin}, {@code fit} hands every callback the model it trains
 * ({@link #setModel}, Keras's {@code self.model}); a callback ends training early by calling
 * {@link Sequential#stopTraining()} (Keras's {@code self.model.stop_training = True}). Ready-made ones
 * are in {@code glassbox.nn.callbacks}.
 */
public interface Callback {
    /** Called by {@code fit} before {@link #onTrainBegin}, with the model being trained. */
    default void setModel(Sequential model) {
    }

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

    /**
     * After each epoch, with that epoch's record (training means and validation figures, if any;
     * {@link History.Epoch#metrics()} gives them as Keras's {@code logs}).
     */
    default void onEpochEnd(int epoch, History.Epoch record) {
    }

    /** After the last epoch, or after the epoch in which training was stopped. */
    default void onTrainEnd(History history) {
    }
}
