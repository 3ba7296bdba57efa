package glassbox.nn;

import glassbox.tensor.Tensor;

/**
 * One parameter of a layer: its value, the gradient that {@code backward} accumulates into it, and whether
 * an optimiser may change it.
 *
 * <p>Two things make a parameter non-trainable, as in Keras: its kind (BatchNormalization's moving
 * statistics are saved with the weights but never trained: the constructor's {@code trainable = false}),
 * and its layer being frozen ({@link Layer#setTrainable(boolean) layer.setTrainable(false)}, Keras's
 * {@code layer.trainable = False}), which the layer passes on to each of its parameters. {@link #trainable()}
 * is true only when neither applies; optimisers skip every other parameter, so its value stays bit-identical.
 *
 * <p>The name is unique within its layer ({@code "kernel"}, {@code "bias"}, as Keras names them).
 */
public final class Param {
    private final String name;
    private final Tensor value;
    private final Tensor grad;
    private final boolean trainable;
    private boolean frozen;

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

    /** Whether an optimiser may change this parameter: trainable by kind and its layer not frozen. */
    public boolean trainable() {
        return trainable && !frozen;
    }

    /** Set by the owning layer: {@code true} while the layer is frozen ({@link Layer#setTrainable}). */
    void setFrozen(boolean frozen) {
        this.frozen = frozen;
    }

    /** Sets the gradient to zero; the training loop calls this before each backward pass. */
    public void zeroGrad() {
        java.util.Arrays.fill(grad.data(), 0f);
    }
}
