package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.nn.init.Initializer;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fully connected layer: {@code y = f(x·W + b)}.
 *
 * <pre>
 *   x : (batch, in)      W "kernel" : (in, out)      b "bias" : (out)      y : (batch, out)
 * </pre>
 *
 * Forward is one GEMM plus a bias broadcast and the activation {@code f}. Backward, with
 * {@code dZ = dY·f'} (through the cached output):
 * <pre>
 *   dW += xᵀ·dZ      (in, out)  = (in, batch)·(batch, out)
 *   db += Σ_rows dZ  (out)
 *   dX  = dZ·Wᵀ      (batch, in) = (batch, out)·(out, in)
 * </pre>
 * A frozen Dense ({@code setTrainable(false)}) computes only {@code dX}.
 *
 * <p>Keras: {@code layers.Dense(units, activation=None, use_bias=True,
 * kernel_initializer="glorot_uniform", bias_initializer="zeros")}. Like the seeds' models, glassbox
 * expects a flat input: put a {@link Flatten} in front of image input.
 */
public final class Dense extends Layer {
    private final int units;
    private final Activation activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;

    private Param kernel;
    private Param bias;
    private int in;

    // Cache of the last forward (what backward needs) and buffers reused while the batch size holds.
    private Tensor x;
    private Tensor y;
    private Tensor dZ;
    private Tensor dX;

    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    public Dense(int units, String activation) {
        this(units, Activation.of(activation));
    }

    public Dense(int units, Activation activation) {
        this(units, activation, true, Initializer.glorotUniform(), Initializer.zeros(), null);
    }

    public Dense(int units, Activation activation, boolean useBias, Initializer kernelInitializer,
                 Initializer biasInitializer, String name) {
        super(name);
        if (units <= 0) {
            throw new IllegalArgumentException("Dense units must be positive, got " + units);
        }
        this.units = units;
        this.activation = activation;
        this.useBias = useBias;
        this.kernelInitializer = kernelInitializer;
        this.biasInitializer = biasInitializer;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        if (inputShape.length != 1) {
            throw new IllegalArgumentException("Dense expects flat samples (features,) but got "
                    + Tensor.shapeString(inputShape) + ": add a Flatten layer before it");
        }
        in = inputShape[0];
        Tensor w = Tensor.zeros(in, units);
        kernelInitializer.fill(w, in, units, rng);
        kernel = new Param("kernel", w, true);
        if (useBias) {
            Tensor b = Tensor.zeros(units);
            biasInitializer.fill(b, in, units, rng);
            bias = new Param("bias", b, true);
        }
        return new int[]{units};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int batch = x.dim(0);
        this.x = x;
        y = reuse(y, batch, units);
        float[] out = y.data();
        if (useBias) { // pre-fill every row with b, then let GEMM accumulate x·W on top (beta = 1)
            float[] b = bias.value().data();
            for (int n = 0; n < batch; n++) {
                System.arraycopy(b, 0, out, n * units, units);
            }
        }
        Blas.sgemm(false, false, batch, units, in, 1f, x.data(), in, kernel.value().data(), units,
                useBias ? 1f : 0f, out, units);
        activation.forward(out, out, batch, units);
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        boolean frozen = !isTrainable(); // then no dW, db: only dX, if wanted
        if (frozen && !inputGradientNeeded()) {
            return null;
        }
        int batch = x.dim(0);
        dZ = reuse(dZ, batch, units);
        activation.backward(y.data(), dOut.data(), dZ.data(), batch, units);
        float[] dz = dZ.data();

        if (!frozen) {
            Blas.sgemm(true, false, in, units, batch, 1f, x.data(), in, dz, units, 1f, kernel.grad().data(), units);
        }
        if (useBias && !frozen) {
            float[] db = bias.grad().data();
            for (int n = 0; n < batch; n++) {
                int row = n * units;
                for (int j = 0; j < units; j++) {
                    db[j] += dz[row + j];
                }
            }
        }
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, batch, in);
        Blas.sgemm(false, true, batch, in, units, 1f, dz, units, kernel.value().data(), units, 0f, dX.data(), in);
        return dX;
    }

    @Override
    public long forwardFlops(int batch) {
        return 2L * batch * in * units;
    }

    /** {@code "x"}, the input, and {@code "y"}, the output after the activation (backward's {@code f'} reads it). */
    @Override
    public Map<String, Tensor> cache() {
        return cacheOf("x", x, "y", y);
    }

    @Override
    public List<Param> params() {
        return useBias ? List.of(kernel, bias) : List.of(kernel);
    }

    @Override
    public String kind() {
        return "dense";
    }

    /**
     * Keras's {@code get_config()}: {@code name}, {@code units}, {@code activation} (the Keras name) and
     * {@code use_bias}. The initialisers are not saved: they only decide fresh weights, and a saved model
     * carries its weights.
     */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("units", units);
        config.put("activation", activation.kerasName());
        config.put("use_bias", useBias);
        return config;
    }

    /** Rebuilds a Dense from {@link #config()}, with Keras's default initialisers (weights are loaded over them). */
    public static Dense fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("Dense", config);
        return new Dense(c.intValue("units"), c.activation("activation"), c.booleanValue("use_bias"),
                Initializer.glorotUniform(), Initializer.zeros(), c.name());
    }

    public int units() {
        return units;
    }

    public Activation activation() {
        return activation;
    }
}
