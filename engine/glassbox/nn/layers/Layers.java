package glassbox.nn.layers;

import glassbox.nn.Layer;

import java.util.List;
import java.util.Map;

/**
 * Rebuilds a layer from its class name and config, Keras's {@code keras.layers.deserialize(
 * {"class_name": …, "config": …})}: the other half of {@link Layer#config()}. The class name is the Java
 * simple class name ({@code "Dense"}, {@code "Flatten"}, {@code "ActivationLayer"}), which is Keras's
 * {@code class_name} except for {@code ActivationLayer} (Keras's {@code Activation}: that name is taken here by
 * the enum of functions).
 *
 * <p>A plain switch on purpose: a new layer adds its class name to {@link #CLASS_NAMES} and one
 * {@code case} that calls its own {@code static fromConfig(Map)}.
 */
public final class Layers {
    /** Every class {@link #fromConfig} knows, in the order the error message lists them. */
    public static final List<String> CLASS_NAMES = List.of("Dense", "Flatten", "ActivationLayer", "Conv2D",
            "MaxPooling2D", "UpSampling2D", "BatchNormalization", "Dropout", "Reshape");

    private Layers() {
    }

    /**
     * A new, unbuilt layer of class {@code className} from {@code config} (as {@link Layer#config()} wrote
     * it; numbers may come back from JSON as doubles). An unknown class, or a key missing or of the wrong
     * type, gives an {@link IllegalArgumentException} naming the class, the key and what was expected.
     */
    public static Layer fromConfig(String className, Map<String, Object> config) {
        return switch (className == null ? "" : className) {
            case "Dense" -> Dense.fromConfig(config);
            case "Flatten" -> Flatten.fromConfig(config);
            case "ActivationLayer" -> ActivationLayer.fromConfig(config);
            case "Conv2D" -> Conv2D.fromConfig(config);
            case "MaxPooling2D" -> MaxPooling2D.fromConfig(config);
            case "UpSampling2D" -> UpSampling2D.fromConfig(config);
            case "BatchNormalization" -> BatchNormalization.fromConfig(config);
            case "Dropout" -> Dropout.fromConfig(config);
            case "Reshape" -> Reshape.fromConfig(config);
            default -> throw new IllegalArgumentException("unknown layer class '" + className
                    + "': expected one of " + String.join(", ", CLASS_NAMES));
        };
    }
}
