package glassbox.nn;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.List;
import java.util.Map;

/**
 * A test fixture whose gradients can be made wrong on purpose: {@code y = w ⊙ x} per sample, with a weight
 * {@code "weight"} shaped like one sample. Its backward multiplies the true input gradient by
 * {@code inputFactor} and the true weight gradient by {@code weightFactor}: 1 and 1 give a correct layer,
 * anything else a layer the gradient check must reject.
 */
public final class ScaleLayer extends Layer {
    private final double inputFactor;
    private final double weightFactor;
    private Param weight;
    private Tensor x;

    public ScaleLayer(double inputFactor, double weightFactor) {
        super("scale");
        this.inputFactor = inputFactor;
        this.weightFactor = weightFactor;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        Tensor w = Tensor.zeros(inputShape);
        for (int i = 0; i < w.size(); i++) {
            w.data()[i] = (float) rng.uniform(0.5, 1.5);
        }
        weight = new Param("weight", w, true);
        return inputShape;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        this.x = x;
        Tensor y = Tensor.zeros(x.shape());
        int sample = weight.value().size();
        for (int i = 0; i < x.size(); i++) {
            y.data()[i] = x.data()[i] * weight.value().data()[i % sample];
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        int sample = weight.value().size();
        Tensor dx = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) {
            dx.data()[i] = (float) (inputFactor * dOut.data()[i] * weight.value().data()[i % sample]);
            weight.grad().data()[i % sample] += (float) (weightFactor * dOut.data()[i] * x.data()[i]);
        }
        return inputGradientNeeded() ? dx : null;
    }

    @Override
    public List<Param> params() {
        return weight == null ? List.of() : List.of(weight);
    }

    @Override
    public String kind() {
        return "scale";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("name", name());
    }
}
