package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A standalone activation, Keras's {@code layers.Activation(name)} (and {@code layers.ReLU()},
 * {@code layers.Softmax()}): {@code y = f(x)} element-wise, softmax over the last axis. Any input shape.
 */
public final class ActivationLayer extends Layer {
    private final Activation activation;
    private int cols;
    private Tensor y;
    private Tensor dX;

    public ActivationLayer(Activation activation) {
        this(activation, null);
    }

    public ActivationLayer(Activation activation, String name) {
        super(name);
        this.activation = activation;
    }

    public static ActivationLayer relu() {
        return new ActivationLayer(Activation.RELU);
    }

    public static ActivationLayer sigmoid() {
        return new ActivationLayer(Activation.SIGMOID);
    }

    public static ActivationLayer softmax() {
        return new ActivationLayer(Activation.SOFTMAX);
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        cols = inputShape.length == 0 ? 1 : inputShape[inputShape.length - 1];
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x.shape());
        activation.forward(x.data(), y.data(), x.size() / cols, cols);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, dOut.shape());
        activation.backward(y.data(), dOut.data(), dX.data(), dOut.size() / cols, cols);
        return dX;
    }

    /** {@code "y"}, the output: every derivative here is written through it. */
    @Override
    public Map<String, Tensor> cache() {
        return cacheOf("y", y);
    }

    @Override
    public String kind() {
        return activation.kerasName();
    }

    /** Keras's {@code get_config()} of {@code layers.Activation}: {@code name} and {@code activation}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("activation", activation.kerasName());
        return config;
    }

    public static ActivationLayer fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("ActivationLayer", config);
        return new ActivationLayer(c.activation("activation"), c.name());
    }
}
