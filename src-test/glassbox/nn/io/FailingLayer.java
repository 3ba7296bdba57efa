package glassbox.nn.io;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parameter-free identity layer that simulates a crash while a model is being written: once {@link #arm}ed,
 * {@link #params()} throws. Put behind a large layer, the failure comes after that layer's weights (more than
 * the 64 KiB write buffer) have reached the temporary file.
 */
public final class FailingLayer extends Layer {
    private boolean armed;

    public FailingLayer() {
        super(null);
    }

    public void arm() {
        armed = true;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return x;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return dOut;
    }

    @Override
    public List<Param> params() {
        if (armed) {
            throw new IllegalStateException("simulated crash half-way through writing the weights");
        }
        return List.of();
    }

    @Override
    public String kind() {
        return "failing";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        return config;
    }
}
