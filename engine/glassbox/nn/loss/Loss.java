package glassbox.nn.loss;

import glassbox.tensor.Tensor;

/**
 * A training objective: the mean over the batch of a per-sample loss, and its gradient with respect to the
 * predictions (Keras's default reduction, {@code "sum_over_batch_size"}).
 */
public interface Loss {

    /**
     * Computes the batch-mean loss of {@code pred} against {@code target}; if {@code grad} is not null,
     * writes {@code dL/dpred} into it (same shape as {@code pred}, already divided by the batch size).
     *
     * @param pred   the model's output, {@code (batch, …)}
     * @param target what each implementation documents (class indices, one-hot rows, or values)
     * @return the mean loss, in double precision
     */
    double compute(Tensor pred, Tensor target, Tensor grad);

    /**
     * The number of correctly predicted samples in the batch under the accuracy Keras pairs with this
     * loss when asked for {@code metrics=["accuracy"]} (for binary outputs, the per-sample mean of
     * correct elements, summed); {@code NaN} where accuracy has no meaning (regression losses).
     */
    double correct(Tensor pred, Tensor target);

    /** The Keras name, e.g. {@code sparse_categorical_crossentropy}. */
    String name();

    /** Keras's {@code epsilon()}: probabilities are clipped to {@code [EPSILON, 1 − EPSILON]}. */
    float EPSILON = 1e-7f;

    /** Throws unless {@code pred} is a non-empty {@code (batch, k)} matrix and {@code grad}, if any, matches it. */
    static void checkPrediction(String loss, Tensor pred, Tensor grad) {
        if (pred.rank() != 2 || pred.dim(0) == 0) {
            throw new IllegalArgumentException(loss + " expects predictions of shape (batch, classes), got "
                    + Tensor.shapeString(pred.shape()));
        }
        if (grad != null && !grad.sameShape(pred)) {
            throw new IllegalArgumentException(loss + ": gradient buffer " + Tensor.shapeString(grad.shape())
                    + " does not match predictions " + Tensor.shapeString(pred.shape()));
        }
    }

    /** Index of the largest entry of row {@code r} of a {@code rows×cols} block (first one on ties, as NumPy). */
    static int argmax(float[] a, int r, int cols) {
        int best = 0;
        int o = r * cols;
        for (int j = 1; j < cols; j++) {
            if (a[o + j] > a[o + best]) {
                best = j;
            }
        }
        return best;
    }
}
