package glassbox.manifold;

/**
 * scikit-learn's {@code _t_sne._gradient_descent}: batch gradient descent with momentum and per-coordinate
 * adaptive gains (Jacobs 1988, as in van der Maaten's implementations).
 *
 * <pre>
 *   for i in [it, nIter):
 *       error, grad = objective(p)                   (the error only every nIterCheck-th step and at the last)
 *       gains  = update·grad &lt; 0 ? gains + 0.2 : gains·0.8,   then gains = max(gains, 0.01)
 *       grad  *= gains
 *       update = momentum·update − learningRate·grad
 *       p     += update
 *       every nIterCheck-th step (i + 1 ≡ 0 mod nIterCheck):
 *           stop if error has not improved on the best for more than nIterWithoutProgress steps,
 *           or if ‖grad‖ (after the gains) ≤ minGradNorm
 * </pre>
 *
 * Each call starts with {@code update = 0} and {@code gains = 1}: t-SNE's two phases (early exaggeration,
 * then the rest) are two calls, so both reset, as in scikit-learn.
 */
final class GradientDescent {
    static final double MIN_GAIN = 0.01;

    /** The KL divergence of the current embedding and its gradient. */
    interface Objective {
        /**
         * Writes {@code ∂KL/∂y} into {@code grad} for the embedding {@code y} (row-major {@code n×dims}), with
         * the input affinities multiplied by {@code exaggeration}; returns the KL divergence when
         * {@code computeError}, else NaN.
         */
        double gradient(double[] y, double exaggeration, double[] grad, boolean computeError);
    }

    /** Told of every check: the iteration count so far ({@code i + 1}), the error and the gradient norm. */
    interface Checkpoint {
        void reached(int iteration, double error, double gradNorm);
    }

    /** The last error computed (or {@code +∞}, as scikit-learn's {@code finfo.max}, if none) and the last index run. */
    record Outcome(double error, int lastIteration) {
    }

    private GradientDescent() {
    }

    static Outcome run(Objective objective, double[] p, int it, int nIter, double momentum, double learningRate,
                       int nIterWithoutProgress, double minGradNorm, double exaggeration, int nIterCheck,
                       Checkpoint checkpoint) {
        double[] update = new double[p.length];
        double[] gains = new double[p.length];
        java.util.Arrays.fill(gains, 1.0);
        double[] grad = new double[p.length];
        double error = Double.POSITIVE_INFINITY;
        double bestError = Double.POSITIVE_INFINITY;
        int bestIter = it;
        int i = it;
        for (; i < nIter; i++) {
            boolean check = (i + 1) % nIterCheck == 0;
            double e = objective.gradient(p, exaggeration, grad, check || i == nIter - 1);
            if (check || i == nIter - 1) {
                error = e;
            }
            double sumSq = 0;
            for (int c = 0; c < p.length; c++) {
                double g = grad[c];
                double gain = update[c] * g < 0.0 ? gains[c] + 0.2 : gains[c] * 0.8;
                gain = Math.max(gain, MIN_GAIN);
                gains[c] = gain;
                g *= gain;
                sumSq += g * g;
                update[c] = momentum * update[c] - learningRate * g;
                p[c] += update[c];
            }
            if (check) {
                double gradNorm = Math.sqrt(sumSq);
                checkpoint.reached(i + 1, error, gradNorm);
                if (error < bestError) {
                    bestError = error;
                    bestIter = i;
                } else if (i - bestIter > nIterWithoutProgress) {
                    break;
                }
                if (gradNorm <= minGradNorm) {
                    break;
                }
            }
        }
        return new Outcome(error, Math.min(i, Math.max(nIter - 1, it)));
    }
}
