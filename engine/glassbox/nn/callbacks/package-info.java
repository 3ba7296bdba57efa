/**
 * Ready-made training callbacks, Keras's {@code keras.callbacks}: {@link glassbox.nn.callbacks.ModelCheckpoint},
 * {@link glassbox.nn.callbacks.EarlyStopping}, {@link glassbox.nn.callbacks.BackupAndRestore} (a fit that resumes
 * after a crash with the bits it would have had) and {@link glassbox.nn.callbacks.EventLog} (what a fit does, as
 * JSON lines for a watcher). Pass them to {@code fit} with
 * {@code FitOptions.withCallbacks}; {@code fit} gives each the model ({@code Callback.setModel}) before
 * training starts.
 *
 * <p>Both monitor a key of the epoch record ({@code History.Epoch.metrics()}: {@code loss},
 * {@code accuracy}, {@code val_loss}, {@code val_accuracy}) with Keras's {@code mode} rules. Choices made
 * where Keras versions differ: EarlyStopping restores the best weights at the end of training whether or not
 * it stopped early (Keras 3); ModelCheckpoint with {@code saveBestOnly} skips the save when the monitored
 * value is missing (Keras 2, early Keras 3), printing one warning; an unknown {@code mode} is an error
 * rather than Keras's warning and fallback.
 */
package glassbox.nn.callbacks;
