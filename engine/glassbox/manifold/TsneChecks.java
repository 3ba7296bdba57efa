package glassbox.manifold;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;

/**
 * {@link Tsne#fit}'s argument checks: scikit-learn 1.2's {@code _parameter_constraints} and
 * {@code _check_params_vs_input}, each failure an {@code IllegalArgumentException} naming the parameter, its
 * value and what was expected.
 */
final class TsneChecks {
    private TsneChecks() {
    }

    static void validate(Tensor x, Tsne.Options o) {
        if (o == null) {
            throw new IllegalArgumentException("Tsne: options is null; expected Tsne.Options (e.g. Options.defaults())");
        }
        PairwiseDistances.requireFiniteMatrix("Tsne: x", x);
        int n = x.dim(0);
        if (n < 2) {
            throw new IllegalArgumentException("Tsne: x has " + n + " sample; expected at least 2");
        }
        if (o.nComponents() < 1) {
            fail("nComponents", o.nComponents(), "≥ 1");
        }
        if (!(o.perplexity() > 0) || Double.isInfinite(o.perplexity())) {
            fail("perplexity", o.perplexity(), "a finite value > 0");
        }
        if (o.perplexity() >= n) {
            throw new IllegalArgumentException("Tsne: perplexity is " + o.perplexity() + " but x has " + n
                    + " samples; expected perplexity < n_samples");
        }
        if (!(o.earlyExaggeration() >= 1) || Double.isInfinite(o.earlyExaggeration())) {
            fail("earlyExaggeration", o.earlyExaggeration(), "a finite value ≥ 1");
        }
        if (!Double.isNaN(o.learningRate()) && !(o.learningRate() > 0 && Double.isFinite(o.learningRate()))) {
            fail("learningRate", o.learningRate(), "a finite value > 0, or NaN for 'auto'");
        }
        if (o.maxIter() < Tsne.EXPLORATION_N_ITER) {
            fail("maxIter", o.maxIter(), "≥ " + Tsne.EXPLORATION_N_ITER + " (the early-exaggeration phase alone runs 250)");
        }
        if (o.nIterWithoutProgress() < -1) {
            fail("nIterWithoutProgress", o.nIterWithoutProgress(), "≥ -1");
        }
        if (!(o.minGradNorm() >= 0)) {
            fail("minGradNorm", o.minGradNorm(), "≥ 0");
        }
        if (!(o.angle() >= 0 && o.angle() <= 1)) {
            fail("angle", o.angle(), "a value in [0, 1]");
        }
        if (o.method() == null) {
            fail("method", null, "BARNES_HUT or EXACT");
        }
        if (o.init() == null) {
            fail("init", null, "PCA or RANDOM");
        }
        if (o.method() == Tsne.Method.BARNES_HUT && o.nComponents() > 3) {
            throw new IllegalArgumentException("Tsne: nComponents is " + o.nComponents()
                    + " with method BARNES_HUT; expected ≤ 3 (its space-partitioning tree is a quad- or oct-tree), "
                    + "or method EXACT");
        }
        if (o.init() == Tsne.Init.PCA && o.nComponents() > Math.min(n, x.dim(1))) {
            throw new IllegalArgumentException("Tsne: nComponents is " + o.nComponents() + " with init PCA but x is "
                    + n + " × " + x.dim(1) + "; expected nComponents ≤ min(n_samples, n_features), or init RANDOM");
        }
    }

    private static void fail(String parameter, Object value, String expected) {
        throw new IllegalArgumentException("Tsne: " + parameter + " is " + value + "; expected " + expected);
    }
}
