package glassbox.nn;

import glassbox.tensor.Tensor;

/**
 * One parameter of a layer: its value, the gradient that {@code backward} accumulates into it, and whether
 * an optimiser may change it (BatchNormalization's moving statistics are parameters that are saved with the
 * weights but never trained).
 *
 * <p>The name is unique within its layer ({@code "kernel"}, {@code "bias"}, as Keras names them).
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean trainable;

    public Param(String name, Tensor value, boolean trainable) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
        this.trainable = trainable;
    }

    public String name() {
        return name;
    }

    public Tensor value() {
        return value;
    }

    public Tensor grad() {
        return grad;
    }

    public boolean trainable() {
        return trainable;
    }

    /** Sets the gradient to zero; the training loop calls this before each backward pass. */
    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }
}
