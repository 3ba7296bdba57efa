package glassbox.nn.loss;

import glassbox.tensor.Tensor;

/**
 * Cross-entropy against integer class labels: {@code L = −log p_y}, averaged over the batch.
 *
 * <pre>
 *   pred   : (batch, classes)   probabilities (default) or raw logits (fromLogits)
 *   target : (batch,)           class index of each sample, stored as float
 * </pre>
 *
 * <b>Probability input</b> (Keras's default, {@code from_logits=False}), exactly as TF 2's tf.keras — the
 * framework the seed notebooks ran — computes it: each probability is clipped to {@code [1e-7, 1 − 1e-7]},
 * and the clipped row is treated as unnormalised, {@code c = clip(p)}, {@code L = −log(c_y / Σ_j c_j)}.
 * So outputs that are not a distribution (a sigmoid output layer, as in seed 000), and even an all-zero
 * row, give a finite loss. Gradient: {@code dL/dp_j = 1/Σc − [j = y]/c_y} where {@code p_j} is inside the
 * clip range, 0 where it was clipped (as clipping's derivative). (Keras 3 rescales before it clips; the
 * two agree unless a probability is within 1e-7 of 0 or 1.)
 *
 * <p><b>Logit input</b> ({@code fromLogits = true}, Keras {@code from_logits=True}): a fused, stable
 * log-softmax, {@code L = log Σ_j e^(z_j − m) + m − z_y} with {@code m = max z}; gradient
 * {@code softmax(z) − onehot(y)}.
 */
public final class SparseCategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    public SparseCategoricalCrossentropy() {
        this(false);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public double compute(Tensor pred, Tensor target, Tensor grad) {
        Loss.checkPrediction(name(), pred, grad);
        int batch = pred.dim(0);
        int classes = pred.dim(1);
        if (target.size() != batch) {
            throw new IllegalArgumentException(name() + " expects one class index per sample: predictions are "
                    + Tensor.shapeString(pred.shape()) + " but targets are " + Tensor.shapeString(target.shape()));
        }
        float[] p = pred.data();
        float[] t = target.data();
        float[] g = grad == null ? null : grad.data();
        double total = 0;
        float invBatch = 1f / batch;
        for (int n = 0; n < batch; n++) {
            int y = label(t[n], classes, n);
            int o = n * classes;
            total += fromLogits ? logitsRow(p, g, o, classes, y, invBatch) : probabilityRow(p, g, o, classes, y, invBatch);
        }
        return total / batch;
    }

    private static double probabilityRow(float[] p, float[] g, int o, int classes, int y, float invBatch) {
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += clip(p[o + j]);
        }
        double cy = clip(p[o + y]);
        if (g != null) {
            float common = (float) (invBatch / sum);
            for (int j = 0; j < classes; j++) {
                g[o + j] = clipped(p[o + j]) ? 0f : common;
            }
            if (!clipped(p[o + y])) {
                g[o + y] -= (float) (invBatch / cy);
            }
        }
        return Math.log(sum) - Math.log(cy);
    }

    private static double clip(float p) {
        return Math.min(Math.max(p, Loss.EPSILON), 1 - Loss.EPSILON);
    }

    private static boolean clipped(float p) {
        return !(p > Loss.EPSILON && p < 1 - Loss.EPSILON);
    }

    private static double logitsRow(float[] z, float[] g, int o, int classes, int y, float invBatch) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, z[o + j]);
        }
        double sumExp = 0;
        for (int j = 0; j < classes; j++) {
            sumExp += Math.exp(z[o + j] - max);
        }
        if (g != null) {
            for (int j = 0; j < classes; j++) {
                g[o + j] = (float) (Math.exp(z[o + j] - max) / sumExp) * invBatch;
            }
            g[o + y] -= invBatch;
        }
        return Math.log(sumExp) + max - z[o + y];
    }

    private int label(float value, int classes, int n) {
        int y = (int) value;
        if (y != value || y < 0 || y >= classes) {
            throw new IllegalArgumentException(name() + ": target of sample " + n + " is " + value
                    + " but must be a class index in [0, " + (classes - 1) + "]");
        }
        return y;
    }

    @Override
    public double correct(Tensor pred, Tensor target) {
        int batch = pred.dim(0);
        int classes = pred.dim(1);
        float[] p = pred.data();
        float[] t = target.data();
        int hits = 0;
        for (int n = 0; n < batch; n++) {
            hits += Loss.argmax(p, n, classes) == (int) t[n] ? 1 : 0;
        }
        return hits;
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }

    public boolean fromLogits() {
        return fromLogits;
    }
}
