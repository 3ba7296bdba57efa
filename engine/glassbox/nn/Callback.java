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
    /** The phases of {@link Sequential#fit}, each announced by {@link #onPhaseBegin} and {@link #onPhaseEnd}. */
    enum Phase {
        /** Shuffling at the start of an epoch, and gathering each batch. */
        BATCHING,
        /** One layer's training forward. */
        FORWARD,
        /** The loss, its gradient, and zeroing the parameters' gradients. */
        LOSS,
        /** One layer's backward. */
        BACKWARD,
        /** The optimiser's step. */
        OPTIMIZER,
        /** Scoring the validation data after an epoch. */
        VALIDATION
    }

    /**
     * Before {@code phase}; {@code layer} is the layer's index for {@code FORWARD} and {@code BACKWARD}, else −1.
     * Callbacks nest like scopes: the first one listed hears of a phase last before it and first after it, so a
     * {@link Profile} listed first times the phase alone.
     */
    default void onPhaseBegin(Phase phase, int layer) {
    }

    /**
     * After {@code phase}: {@code output} is the layer's output after {@code FORWARD}, its {@code dL/dIn} after
     * {@code BACKWARD} ({@code null} when no layer below needs it), {@code dL/d(output)} after {@code LOSS}, the
     * batch's inputs after gathering them ({@code BATCHING}), otherwise {@code null}. Read it, never change it.
     */
    default void onPhaseEnd(Phase phase, int layer, glassbox.tensor.Tensor output) {
    }

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
