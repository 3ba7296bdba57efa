package glassbox.nn;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A layer: a function of a batch with explicit forward and backward passes.
 *
 * <p>The contract (convnetjs's, in Keras's words):
 * <ol>
 *   <li>{@link #build} is called once with the shape of one sample (no batch axis); the layer allocates its
 *       parameters from the seeded generator and returns the shape of one output sample.</li>
 *   <li>{@link #forward} maps a batch {@code (batch, …inputShape)} to {@code (batch, …outputShape)} and
 *       caches exactly what {@link #backward} needs.</li>
 *   <li>{@link #backward} takes {@code dL/dOut} for the last forward batch, <em>adds</em> each parameter's
 *       gradient into {@link Param#grad()} and returns {@code dL/dIn}. It never changes a weight: only an
 *       optimiser does.</li>
 * </ol>
 *
 * <p>For speed, a layer may return the same output (and input-gradient) tensor from call to call while
 * the batch size is unchanged: a caller that keeps a result across calls copies it.
 *
 * <p><b>Freezing.</b> {@link #setTrainable(boolean) setTrainable(false)} is Keras's {@code layer.trainable =
 * False}: every parameter of the layer becomes non-trainable ({@link Param#trainable()} is false, so no
 * optimiser touches it and its values stay bit-identical through training), backward skips the parameter
 * gradients (for Dense and Conv2D the filter GEMM: a third to a half of the layer's backward arithmetic) and
 * computes only {@code dL/dIn}, when a trainable layer before it needs it. A layer may be frozen before or
 * after it is built, and thawed again; a {@link Sequential} reads the flags at every training step.
 *
 * <p>Around the contract, what Keras's {@code Layer} offers for saving and restoring: {@link #config()}
 * (the constructor arguments, Keras's {@code get_config()}; {@code glassbox.nn.layers.Layers.fromConfig}
 * rebuilds a layer from them) and {@link #getWeights()} / {@link #setWeights(List)}.
 */
public abstract class Layer {
    private String name;
    private int[] inputShape;
    private int[] outputShape;
    private boolean inputGradientNeeded = true;
    private boolean trainable = true;

    /** @param name the layer's name, as Keras's {@code name=}; {@code null} lets {@link Sequential} choose one */
    protected Layer(String name) {
        this.name = name;
    }

    /** Builds the layer for samples of shape {@code inputShape}; returns the output sample shape. */
    public final int[] build(int[] inputShape, Rng rng) {
        if (this.inputShape != null) {
            throw new IllegalStateException("layer '" + name + "' is already built for input "
                    + Tensor.shapeString(this.inputShape));
        }
        this.outputShape = doBuild(inputShape.clone(), rng);
        this.inputShape = inputShape.clone();
        for (Param p : params()) {
            p.setFrozen(!trainable);
        }
        return outputShape.clone();
    }

    /** Allocates parameters for {@code inputShape} and returns the output sample shape. */
    protected abstract int[] doBuild(int[] inputShape, Rng rng);

    /** {@code x} is {@code (batch, …inputShape)}; {@code training} switches Dropout and BatchNormalization. */
    public abstract Tensor forward(Tensor x, boolean training);

    /** {@code dOut} is {@code dL/d(output)} of the last forward; returns {@code dL/d(input)}. */
    public abstract Tensor backward(Tensor dOut);

    /**
     * What the last forward kept for backward — cs231n's {@code cache} — by the names the layer's comment
     * uses ({@code "x"}, {@code "y"}, {@code "x_hat"}, {@code "mask"}, …), each a copy: for looking inside a
     * layer ({@code ./glassbox shell}), never for computing. Empty before the first forward and for layers
     * that keep nothing (Flatten, Reshape: backward needs only shapes).
     */
    public Map<String, Tensor> cache() {
        return Map.of();
    }

    /**
     * A {@link #cache()} map from name, tensor pairs, in that order, each tensor copied; pairs whose tensor
     * is {@code null} (nothing cached yet) are left out.
     */
    protected static Map<String, Tensor> cacheOf(Object... namesAndTensors) {
        Map<String, Tensor> cache = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            if (namesAndTensors[i + 1] instanceof Tensor t) {
                cache.put((String) namesAndTensors[i], t.copy());
            }
        }
        return java.util.Collections.unmodifiableMap(cache);
    }

    /**
     * The random generators this layer draws from while training (Dropout's mask generator), in a fixed
     * order; empty for layers that draw nothing (most). A resumed fit restores their states
     * ({@link glassbox.util.Rng#restore}), so that the masks after the resume are those an uninterrupted run
     * draws.
     */
    public List<Rng> generators() {
        return List.of();
    }

    /** This layer's parameters (trainable or not), in a fixed order; empty for parameter-free layers. */
    public List<Param> params() {
        return List.of();
    }

    public String name() {
        return name;
    }

    void assignName(String name) {
        if (this.name == null) {
            this.name = name;
        }
    }

    /**
     * Keras's {@code layer.trainable}: {@code false} once the layer is frozen. Layers without parameters are
     * trainable unless frozen too, as in Keras, and behave the same either way (BatchNormalization is the
     * exception: frozen, it runs in inference mode).
     */
    public boolean isTrainable() {
        return trainable;
    }

    /**
     * Freezes ({@code false}) or thaws ({@code true}) the layer: Keras's {@code layer.trainable = …}. A frozen
     * layer's parameters are not trainable ({@link Param#trainable()}), its backward computes no parameter
     * gradient, and {@code summary()} counts its parameters as non-trainable. Takes effect at the next
     * training step (Keras needs a new {@code compile()} for it; glassbox reads the flag at every step).
     */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        if (isBuilt()) {
            for (Param p : params()) {
                p.setFrozen(!trainable);
            }
        }
    }

    /** Whether this layer has a parameter an optimiser may change now (trainable by kind, layer not frozen). */
    public boolean hasTrainableParams() {
        if (!trainable || !isBuilt()) {
            return false;
        }
        for (Param p : params()) {
            if (p.trainable()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@link #backward} must return {@code dL/dIn}. A model's first layer is told {@code false}:
     * nothing consumes the gradient with respect to the data, and for a Dense layer skipping it saves a
     * quarter of the layer's arithmetic. Such a layer's {@code backward} returns {@code null}.
     */
    public boolean inputGradientNeeded() {
        return inputGradientNeeded;
    }

    public void setInputGradientNeeded(boolean needed) {
        this.inputGradientNeeded = needed;
    }

    /**
     * Floating-point operations of one forward pass over {@code batch} samples, counting the matrix products
     * (two per multiply-add) and nothing else; 0 for layers without one. {@code --profile} turns it into
     * GFLOP/s per layer.
     */
    public long forwardFlops(int batch) {
        return 0;
    }

    /**
     * The same for backward: the parameter gradient's product unless the layer is frozen, plus the input
     * gradient's when it is wanted (each as large as the forward's).
     */
    public long backwardFlops(int batch) {
        return forwardFlops(batch) * ((trainable ? 1 : 0) + (inputGradientNeeded() ? 1 : 0));
    }

    /** The Keras-style base name used for automatic naming ({@code dense}, {@code flatten}, …). */
    public abstract String kind();

    /**
     * Keras's {@code get_config()}: the constructor arguments that rebuild this layer, under Keras's
     * snake_case keys ({@code "name"}, {@code "units"}, {@code "activation"} as the Keras name string,
     * {@code "use_bias"}, {@code "kernel_size"} as a list, …), in a new mutable map in a fixed order.
     * Values are only {@code Integer}, {@code Long}, {@code Double}, {@code String}, {@code Boolean},
     * {@code List} and {@code Map} (and {@code null} for a name not chosen yet), so the map can be
     * written as JSON as it is. Weights are not part of it: {@link #getWeights()} holds them.
     * The layer's class is the other half of a saved layer: {@code getClass().getSimpleName()}, Keras's
     * {@code class_name}.
     */
    public abstract Map<String, Object> config();

    /**
     * Keras's {@code get_weights()}: a copy of every parameter's value, in {@link #params()} order,
     * trainable or not (BatchNormalization's moving statistics are included, as in Keras). Changing the
     * copies changes nothing in the layer.
     */
    public List<Tensor> getWeights() {
        requireBuilt();
        List<Tensor> weights = new ArrayList<>();
        for (Param p : params()) {
            weights.add(p.value().copy());
        }
        return weights;
    }

    /**
     * Keras's {@code set_weights(weights)}: copies {@code weights} (one tensor per parameter, in
     * {@link #params()} order, shaped like the parameter) into the layer. Every count and shape is
     * checked before anything is written, so a wrong list leaves the weights as they were; the layer never
     * keeps a reference to the given tensors.
     */
    public void setWeights(List<Tensor> weights) {
        checkWeights(weights);
        List<Param> params = params();
        for (int i = 0; i < params.size(); i++) {
            float[] src = weights.get(i).data();
            System.arraycopy(src, 0, params.get(i).value().data(), 0, src.length);
        }
    }

    /**
     * Throws unless {@code weights} match this layer's parameters in number and shape; the message names
     * the layer, the parameter, the shape given and the one expected.
     */
    void checkWeights(List<Tensor> weights) {
        requireBuilt();
        List<Param> params = params();
        if (weights.size() != params.size()) {
            throw new IllegalArgumentException("layer '" + name + "' has " + params.size() + " weights "
                    + params.stream().map(Param::name).toList() + " but setWeights was given " + weights.size());
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor w = weights.get(i);
            int[] expected = params.get(i).value().shape();
            if (w == null || !Arrays.equals(w.shape(), expected)) {
                throw new IllegalArgumentException("layer '" + name + "': weight '" + params.get(i).name()
                        + "' was given shape " + (w == null ? "null" : Tensor.shapeString(w.shape()))
                        + " but the layer expects " + Tensor.shapeString(expected));
            }
        }
    }

    public boolean isBuilt() {
        return inputShape != null;
    }

    public int[] inputShape() {
        requireBuilt();
        return inputShape.clone();
    }

    public int[] outputShape() {
        requireBuilt();
        return outputShape.clone();
    }

    /** Throws unless {@code x} is a batch of this layer's input samples. */
    protected final void checkInput(Tensor x) {
        requireBuilt();
        int[] s = x.shape();
        boolean ok = s.length == inputShape.length + 1;
        for (int i = 0; ok && i < inputShape.length; i++) {
            ok = s[i + 1] == inputShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("layer '" + name + "' expects input of shape (batch, "
                    + Tensor.shapeString(inputShape).substring(1) + " but got " + Tensor.shapeString(s));
        }
    }

    private void requireBuilt() {
        if (inputShape == null) {
            throw new IllegalStateException("layer '" + name + "' is not built yet: add it to a model and build it");
        }
    }

    /** The number of elements of one sample of {@code shape}. */
    protected static int sampleSize(int[] shape) {
        return (int) Tensor.sizeOf(shape);
    }

    /** Returns {@code buf} when it already has {@code shape}, else a new zero tensor of that shape. */
    protected static Tensor reuse(Tensor buf, int... shape) {
        return buf != null && java.util.Arrays.equals(buf.shape(), shape) ? buf : Tensor.zeros(shape);
    }

    /** {@code (batch, …sample)} as one int array. */
    protected static int[] batchShape(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }
}
