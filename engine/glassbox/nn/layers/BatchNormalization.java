package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch normalisation over the last axis (the channels of NHWC images, the features of a Dense output):
 * Ioffe &amp; Szegedy 2015.
 *
 * <pre>
 *   x : (batch, …, C)  →  y : same shape;  statistics per channel c over all M = batch·(…) values of c
 *   training:   μ = mean(x),  σ² = mean((x − μ)²)           (the batch's own statistics, biased variance)
 *   inference:  μ = moving_mean,  σ² = moving_variance
 *   x̂ = (x − μ) / sqrt(σ² + ε)        y = γ·x̂ + β
 *   after each training batch:  moving = momentum·moving + (1 − momentum)·batch statistic
 * </pre>
 *
 * Backward (training mode; every x̂ depends on the batch's μ and σ²):
 * <pre>
 *   dβ += Σ dy      dγ += Σ dy·x̂      dx = γ / (M·sqrt(σ² + ε)) · (M·dy − Σ dy − x̂·Σ dy·x̂)
 * </pre>
 *
 * <p>Keras: {@code layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True)},
 * weights in Keras's order {@code gamma, beta, moving_mean, moving_variance} — the last two are saved with
 * the weights but never trained. The moving variance is updated with the unbiased batch variance
 * {@code σ²·M/(M−1)}, as TensorFlow's fused kernel (which Keras uses for 4-D input) and PyTorch do; the
 * normalisation itself uses the biased one. Statistics are summed in float within blocks of rows and in
 * double across them.
 *
 * <p><b>Frozen</b> ({@code setTrainable(false)}), the layer runs in inference mode even inside {@code fit}:
 * it normalises with the moving statistics, never updates them, and its backward is the affine map's,
 * {@code dx = dy·γ/sqrt(moving_variance + ε)}, with no γ, β gradients. That is tf.keras's rule since
 * TensorFlow 2.0 ("setting {@code trainable = False} on a BatchNormalization layer means the layer will run
 * in inference mode"), the one fine-tuning needs. Standalone Keras 2.1.3 only stopped a frozen layer's
 * moving-statistics updates: in training it still normalised with each batch's own statistics, and TF 1.x
 * kept that; glassbox follows TF 2.
 */
public final class BatchNormalization extends Layer {
    private final double momentum;
    private final double epsilon;

    private int channels;
    private Param gamma;
    private Param beta;
    private Param movingMean;
    private Param movingVariance;

    // Cache of the last training forward: x̂, and 1/sqrt(σ² + ε) per channel.
    private Tensor xHat;
    private double[] invStd;
    private Tensor y;
    private Tensor dX;
    // γ/sqrt(moving_variance + ε) of the last inference-mode forward: a frozen layer's backward scale
    private float[] inferenceScale;
    private boolean lastForwardTraining;

    /** Keras's defaults: momentum 0.99, epsilon 1e-3. */
    public BatchNormalization() {
        this(0.99, 1e-3, null);
    }

    public BatchNormalization(double momentum, double epsilon, String name) {
        super(name);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization momentum must be in [0, 1], got " + momentum);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("BatchNormalization epsilon must be positive, got " + epsilon);
        }
        this.momentum = momentum;
        this.epsilon = epsilon;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("BatchNormalization needs samples with at least one axis, got ()");
        }
        channels = inputShape[inputShape.length - 1];
        gamma = new Param("gamma", filled(1f), true);
        beta = new Param("beta", filled(0f), true);
        movingMean = new Param("moving_mean", filled(0f), false);
        movingVariance = new Param("moving_variance", filled(1f), false);
        return inputShape;
    }

    private Tensor filled(float v) {
        Tensor t = Tensor.zeros(channels);
        java.util.Arrays.fill(t.data(), v);
        return t;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        y = reuse(y, x.shape());
        float[] in = x.data();
        float[] out = y.data();
        float[] gm = gamma.value().data();
        float[] bt = beta.value().data();
        int c = channels;
        int m = in.length / c;
        lastForwardTraining = training && isTrainable();
        if (!lastForwardTraining) {
            float[] scale = inferenceScale = new float[c];
            float[] shift = new float[c];
            for (int ch = 0; ch < c; ch++) {
                double inv = 1.0 / Math.sqrt(movingVariance.value().data()[ch] + epsilon);
                scale[ch] = (float) (gm[ch] * inv);
                shift[ch] = (float) (bt[ch] - movingMean.value().data()[ch] * gm[ch] * inv);
            }
            for (int r = 0; r < in.length; r += c) {
                for (int ch = 0; ch < c; ch++) {
                    out[r + ch] = in[r + ch] * scale[ch] + shift[ch];
                }
            }
            return y;
        }
        double[] mean = sums(in, null, null, c);
        float[] meanF = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] /= m;
            meanF[ch] = (float) mean[ch];
        }
        double[] variance = sums(in, meanF, null, c);
        invStd = invStd != null && invStd.length == c ? invStd : new double[c];
        float[] mm = movingMean.value().data();
        float[] mv = movingVariance.value().data();
        float[] scale = new float[c];
        for (int ch = 0; ch < c; ch++) {
            variance[ch] /= m;
            invStd[ch] = 1.0 / Math.sqrt(variance[ch] + epsilon);
            scale[ch] = (float) invStd[ch];
            double unbiased = m > 1 ? variance[ch] * m / (m - 1) : variance[ch];
            mm[ch] = (float) (momentum * mm[ch] + (1 - momentum) * mean[ch]);
            mv[ch] = (float) (momentum * mv[ch] + (1 - momentum) * unbiased);
        }
        xHat = reuse(xHat, x.shape());
        float[] xh = xHat.data();
        for (int r = 0; r < in.length; r += c) {
            for (int ch = 0; ch < c; ch++) {
                float v = (in[r + ch] - meanF[ch]) * scale[ch];
                xh[r + ch] = v;
                out[r + ch] = gm[ch] * v + bt[ch];
            }
        }
        return y;
    }

    /**
     * Per channel, the sum over every row of {@code a} (minus {@code centre[ch]} and squared, when a centre
     * is given; times {@code b}, when it is given). Summed in float within blocks of 64 rows — a loop the
     * JIT vectorises — and in double across blocks, so the error does not grow with the batch.
     */
    private static double[] sums(float[] a, float[] centre, float[] b, int c) {
        double[] total = new double[c];
        float[] block = new float[c];
        int rows = a.length / c;
        for (int r0 = 0; r0 < rows; r0 += 64) {
            java.util.Arrays.fill(block, 0f);
            for (int r = r0, end = Math.min(rows, r0 + 64); r < end; r++) {
                int o = r * c;
                if (centre != null) {
                    for (int ch = 0; ch < c; ch++) {
                        float d = a[o + ch] - centre[ch];
                        block[ch] += d * d;
                    }
                } else if (b != null) {
                    for (int ch = 0; ch < c; ch++) {
                        block[ch] += a[o + ch] * b[o + ch];
                    }
                } else {
                    for (int ch = 0; ch < c; ch++) {
                        block[ch] += a[o + ch];
                    }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                total[ch] += block[ch];
            }
        }
        return total;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!lastForwardTraining && !isTrainable()) {
            return frozenBackward(dOut);
        }
        if (!lastForwardTraining || xHat == null) {
            throw new IllegalStateException("BatchNormalization layer '" + name()
                    + "': backward needs a forward pass in training mode first");
        }
        int c = channels;
        float[] dy = dOut.data();
        float[] xh = xHat.data();
        int m = dy.length / c;
        double[] sumDy = sums(dy, null, null, c);
        double[] sumDyXhat = sums(dy, null, xh, c);
        float[] dGamma = gamma.grad().data();
        float[] dBeta = beta.grad().data();
        for (int ch = 0; ch < c; ch++) {
            dGamma[ch] += (float) sumDyXhat[ch];
            dBeta[ch] += (float) sumDy[ch];
        }
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, dOut.shape());
        float[] dx = dX.data();
        float[] gm = gamma.value().data();
        float[] scale = new float[c];
        float[] meanDy = new float[c];
        float[] meanDyXhat = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) (gm[ch] * invStd[ch]);
            meanDy[ch] = (float) (sumDy[ch] / m);
            meanDyXhat[ch] = (float) (sumDyXhat[ch] / m);
        }
        for (int r = 0; r < dy.length; r += c) {
            for (int ch = 0; ch < c; ch++) {
                dx[r + ch] = scale[ch] * (dy[r + ch] - meanDy[ch] - xh[r + ch] * meanDyXhat[ch]);
            }
        }
        return dX;
    }

    /** A frozen layer's backward: {@code y = x·scale + shift} with fixed scale, so {@code dx = dy·scale}. */
    private Tensor frozenBackward(Tensor dOut) {
        if (inferenceScale == null) {
            throw new IllegalStateException("BatchNormalization layer '" + name()
                    + "' (frozen): backward needs a forward pass first");
        }
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, dOut.shape());
        float[] dy = dOut.data();
        float[] dx = dX.data();
        int c = channels;
        for (int r = 0; r < dy.length; r += c) {
            for (int ch = 0; ch < c; ch++) {
                dx[r + ch] = dy[r + ch] * inferenceScale[ch];
            }
        }
        return dX;
    }

    /**
     * {@code "x_hat"}, the normalised input, and {@code "inv_std"}, {@code 1/sqrt(σ² + ε)} per channel, of the
     * last training forward (an inference forward normalises with the moving statistics and keeps neither).
     */
    @Override
    public Map<String, Tensor> cache() {
        Tensor inv = null;
        if (invStd != null) {
            inv = Tensor.zeros(invStd.length);
            for (int c = 0; c < invStd.length; c++) {
                inv.data()[c] = (float) invStd[c];
            }
        }
        return cacheOf("x_hat", xHat, "inv_std", inv);
    }

    @Override
    public List<Param> params() {
        return List.of(gamma, beta, movingMean, movingVariance);
    }

    /** Keras's {@code get_config()}: {@code name}, {@code momentum}, {@code epsilon}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        return config;
    }

    /** Rebuilds a BatchNormalization from {@link #config()}. */
    public static BatchNormalization fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("BatchNormalization", config);
        return new BatchNormalization(c.doubleValue("momentum"), c.doubleValue("epsilon"), c.name());
    }

    @Override
    public String kind() {
        return "batch_normalization";
    }

    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return epsilon;
    }
}
