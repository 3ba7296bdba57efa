package glassbox.nn.loss;

import glassbox.tensor.Tensor;

/**
 * Binary cross-entropy per element, {@code −[t·log p + (1 − t)·log(1 − p)]}, averaged over the last axis
 * and then over the batch (Keras's {@code binary_crossentropy}).
 *
 * <pre>
 *   pred   : (batch, k)   probabilities (default, clipped to [1e-7, 1 − 1e-7]) or logits (fromLogits)
 *   target : (batch, k)   values in [0, 1]
 * </pre>
 *
 * Images work too — an autoencoder's {@code (batch, 28, 28, 1)} against its input: Keras averages over the
 * last axis and then over every other one, which, each position having as many elements, is the mean over
 * all {@code N} elements computed here. Gradient with {@code N = batch·k} (all elements): probabilities {@code (p − t) / (p(1 − p)) / N} (0 where clipped);
 * logits, via the stable form {@code max(z, 0) − z·t + log(1 + e^−|z|)}, {@code (σ(z) − t) / N}.
 */
public final class BinaryCrossentropy implements Loss {
    private final boolean fromLogits;

    public BinaryCrossentropy() {
        this(false);
    }

    public BinaryCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public double compute(Tensor pred, Tensor target, Tensor grad) {
        if (pred.rank() < 2 || pred.dim(0) == 0) {
            throw new IllegalArgumentException(name() + " expects predictions of shape (batch, …) with at least one "
                    + "axis after the batch, got " + Tensor.shapeString(pred.shape()));
        }
        if (grad != null && !grad.sameShape(pred)) {
            throw new IllegalArgumentException(name() + ": gradient buffer " + Tensor.shapeString(grad.shape())
                    + " does not match predictions " + Tensor.shapeString(pred.shape()));
        }
        if (!target.sameShape(pred)) {
            throw new IllegalArgumentException(name() + " expects targets shaped like the predictions "
                    + Tensor.shapeString(pred.shape()) + ", got " + Tensor.shapeString(target.shape()));
        }
        float[] p = pred.data();
        float[] t = target.data();
        float[] g = grad == null ? null : grad.data();
        int size = p.length;
        double invN = 1.0 / size;
        double total = 0;
        for (int i = 0; i < size; i++) {
            if (fromLogits) {
                double z = p[i];
                total += Math.max(z, 0) - z * t[i] + Math.log1p(Math.exp(-Math.abs(z)));
                if (g != null) {
                    g[i] = (float) ((1.0 / (1.0 + Math.exp(-z)) - t[i]) * invN);
                }
            } else {
                double q = Math.min(Math.max(p[i], Loss.EPSILON), 1 - Loss.EPSILON);
                total -= t[i] * Math.log(q) + (1 - t[i]) * Math.log(1 - q);
                if (g != null) {
                    boolean clipped = !(p[i] > Loss.EPSILON && p[i] < 1 - Loss.EPSILON);
                    g[i] = clipped ? 0f : (float) ((q - t[i]) / (q * (1 - q)) * invN);
                }
            }
        }
        return total * invN;
    }

    /** Keras's {@code binary_accuracy}: the fraction of elements with {@code [p > 0.5] = t}, per sample. */
    @Override
    public double correct(Tensor pred, Tensor target) {
        int batch = pred.dim(0);
        int k = pred.rowLength();
        float threshold = fromLogits ? 0f : 0.5f;
        double sum = 0;
        for (int i = 0; i < pred.size(); i++) {
            sum += (pred.data()[i] > threshold ? 1f : 0f) == target.data()[i] ? 1 : 0;
        }
        return batch == 0 ? 0 : sum / k;
    }

    @Override
    public String name() {
        return "binary_crossentropy";
    }
}
