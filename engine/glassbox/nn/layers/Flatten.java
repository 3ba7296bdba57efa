package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code (batch, d1, d2, …)} → {@code (batch, d1·d2·…)} without moving data: tensors are row-major, so
 * flattening NHWC images gives the same feature order as Keras's {@code Flatten} on channels_last input.
 * Backward reshapes the gradient back.
 */
public final class Flatten extends Layer {
    private int features;

    public Flatten() {
        this(null);
    }

    public Flatten(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        features = sampleSize(inputShape);
        return new int[]{features};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        return x.reshape(x.dim(0), features);
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return dOut.reshape(batchShape(dOut.dim(0), inputShape()));
    }

    @Override
    public String kind() {
        return "flatten";
    }

    /** Keras's {@code get_config()}: only {@code name} (glassbox flattens NHWC, Keras's channels_last). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        return config;
    }

    public static Flatten fromConfig(Map<String, Object> config) {
        return new Flatten(new LayerConfig("Flatten", config).name());
    }
}
