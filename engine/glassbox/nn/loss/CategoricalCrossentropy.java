package glassbox.nn.loss;

import glassbox.tensor.Tensor;

/**
 * Cross-entropy against one-hot (or soft) targets: {@code L = −Σ_j t_j·log q_j}, averaged over the batch.
 *
 * <pre>
 *   pred   : (batch, classes)   probabilities (default) or logits (fromLogits)
 *   target : (batch, classes)   one-hot rows (any distribution works)
 * </pre>
 *
 * Probability input follows Keras: {@code q = clip(p / Σp, 1e-7, 1 − 1e-7)}; the gradient where
 * {@code q_j} is unclipped is {@code dL/dp_j = −t_j/p_j + (Σ_k t_k [q_k unclipped]) / Σp}. Logit input uses
 * the fused log-softmax, gradient {@code softmax(z)·Σt − t}.
 */
public final class CategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    public CategoricalCrossentropy() {
        this(false);
    }

    public CategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public double compute(Tensor pred, Tensor target, Tensor grad) {
        Loss.checkPrediction(name(), pred, grad);
        if (!target.sameShape(pred)) {
            throw new IllegalArgumentException(name() + " expects one-hot targets shaped like the predictions "
                    + Tensor.shapeString(pred.shape()) + ", got " + Tensor.shapeString(target.shape()));
        }
        int batch = pred.dim(0);
        int classes = pred.dim(1);
        float[] p = pred.data();
        float[] t = target.data();
        float[] g = grad == null ? null : grad.data();
        double invBatch = 1.0 / batch;
        double total = 0;
        for (int n = 0; n < batch; n++) {
            int o = n * classes;
            if (fromLogits) {
                float max = Float.NEGATIVE_INFINITY;
                double tSum = 0;
                for (int j = 0; j < classes; j++) {
                    max = Math.max(max, p[o + j]);
                    tSum += t[o + j];
                }
                double sumExp = 0;
                for (int j = 0; j < classes; j++) {
                    sumExp += Math.exp(p[o + j] - max);
                }
                double logZ = Math.log(sumExp) + max;
                for (int j = 0; j < classes; j++) {
                    total -= t[o + j] * (p[o + j] - logZ);
                    if (g != null) {
                        g[o + j] = (float) ((Math.exp(p[o + j] - logZ) * tSum - t[o + j]) * invBatch);
                    }
                }
            } else {
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += p[o + j];
                }
                double unclippedMass = 0;
                for (int j = 0; j < classes; j++) {
                    double q = p[o + j] / sum;
                    boolean clipped = !(q > Loss.EPSILON && q < 1 - Loss.EPSILON);
                    total -= t[o + j] * Math.log(Math.min(Math.max(q, Loss.EPSILON), 1 - Loss.EPSILON));
                    if (g != null) {
                        g[o + j] = clipped ? 0f : (float) (-t[o + j] / p[o + j] * invBatch);
                    }
                    unclippedMass += clipped ? 0 : t[o + j];
                }
                if (g != null) {
                    for (int j = 0; j < classes; j++) {
                        g[o + j] += (float) (unclippedMass / sum * invBatch);
                    }
                }
            }
        }
        return total / batch;
    }

    @Override
    public double correct(Tensor pred, Tensor target) {
        int batch = pred.dim(0);
        int classes = pred.dim(1);
        int hits = 0;
        for (int n = 0; n < batch; n++) {
            hits += Loss.argmax(pred.data(), n, classes) == Loss.argmax(target.data(), n, classes) ? 1 : 0;
        }
        return hits;
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }
}
