/**
 * Whole-model files: {@link glassbox.nn.io.ModelFiles} saves a {@code Sequential}'s architecture (each
 * layer's class and {@code config()}, as Keras's model config) and its weights in one file, and rebuilds
 * the model from it, as Keras's {@code model.save} / {@code load_model}.
 *
 * <p>A package of its own because rebuilding needs the layer classes ({@code glassbox.nn.layers.Layers}):
 * {@code glassbox.nn} itself stays independent of {@code glassbox.nn.layers}.
 *
 * <p>Choices made here: one binary file (a JSON header people can read with {@code head}, then the same
 * parameter section as a weights file); written atomically; the loss and optimiser are not saved
 * (Keras's {@code compile=False}); the loaded model's seed is an argument, since only further training
 * draws random numbers from it.
 */
package glassbox.nn.io;
