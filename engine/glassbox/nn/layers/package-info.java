/**
 * One class per layer, each with its forward and backward passes in one file and the shapes in its doc:
 * {@link glassbox.nn.layers.Dense}, {@link glassbox.nn.layers.Conv2D}, {@link glassbox.nn.layers.MaxPooling2D},
 * {@link glassbox.nn.layers.UpSampling2D}, {@link glassbox.nn.layers.BatchNormalization},
 * {@link glassbox.nn.layers.Dropout}, {@link glassbox.nn.layers.Flatten}, {@link glassbox.nn.layers.Reshape},
 * {@link glassbox.nn.layers.ActivationLayer}
 * (with the functions in {@link glassbox.nn.layers.Activation}); {@link glassbox.nn.layers.Layers} rebuilds any
 * of them from its saved config.
 *
 * <p>Conventions: Keras's names, defaults and weight order; images NHWC; a layer reuses its output and
 * gradient buffers while the batch size holds (a caller keeping a result across calls copies it). Every
 * layer is checked by {@code LayerContractTest} (shapes, parameter counts, error text, seeds, configs) and
 * by its own test against an independent double-precision reference and central differences.
 *
 * <p>Choices made here, measured (README, "Convolutional networks"): {@code Conv2D} works in chunks of
 * samples whose patch matrix fits 4 MB; for stride 1 it computes the input gradient as a convolution of
 * {@code dZ} where that moves fewer bytes than col2im; inner loops whose branch would follow random data
 * (ReLU's gradient, dropout's mask, max-pooling's routing) are written without one.
 */
package glassbox.nn.layers;
