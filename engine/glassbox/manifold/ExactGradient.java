package glassbox.manifold;

import glassbox.util.Parallel;

/**
 * t-SNE's exact O(n²) objective and gradient over a dense {@code P} (scikit-learn's {@code _kl_divergence},
 * {@code method='exact'}), in double: the oracle the Barnes-Hut gradient is tested against.
 *
 * <pre>
 *   w_ij = (1 + ‖y_i − y_j‖²/α)^(−(α+1)/2),   t_ij = (1 + ‖y_i − y_j‖²/α)⁻¹,   Z = Σ_{k≠l} w_kl,   q_ij = w_ij / Z
 *   KL   = Σ_{i≠j} p_ij·ln(max(p_ij, ε) / max(q_ij, ε))                     ε = machine epsilon, as scikit-learn
 *   ∂KL/∂y_i = (2(α+1)/α)·Σ_j (p_ij − q_ij)·t_ij·(y_i − y_j)
 * </pre>
 * For {@code α = 1} (1-D and 2-D embeddings) {@code t_ij = w_ij} and this is scikit-learn's formula; for
 * {@code α ≠ 1} scikit-learn multiplies by {@code w_ij} instead of {@code t_ij}, which is not the derivative
 * of its KL divergence — glassbox uses the derivative (the numerical-gradient test checks it for α = 2).
 *
 * <p>Two passes over all pairs, each row on its own core: the row sums of {@code w} (added up in index
 * order to give {@code Z}), then each row's gradient and KL share.
 */
final class ExactGradient implements GradientDescent.Objective {
    private final double[] p;
    private final int n;
    private final int dims;
    private final double alpha;
    private final double[] rowW;
    private final double[] rowKl;

    /** {@code p}: the dense {@code n×n} joint probabilities, zero diagonal. */
    ExactGradient(double[] p, int n, int dims, double alpha) {
        this.p = p;
        this.n = n;
        this.dims = dims;
        this.alpha = alpha;
        this.rowW = new double[n];
        this.rowKl = new double[n];
    }

    private double kernelT(double[] y, int i, int j) {
        double d2 = 0;
        for (int ax = 0; ax < dims; ax++) {
            double diff = y[i * dims + ax] - y[j * dims + ax];
            d2 += diff * diff;
        }
        return alpha / (alpha + d2);
    }

    private double kernelW(double t) {
        return alpha == 1.0 ? t : Math.pow(t, (alpha + 1) / 2);
    }

    @Override
    public double gradient(double[] y, double exaggeration, double[] grad, boolean computeError) {
        Parallel.forEach(n, (long) n * dims, i -> {
            double s = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    s += kernelW(kernelT(y, i, j));
                }
            }
            rowW[i] = s;
        });
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += rowW[i];
        }
        double sumW = z;
        double c = 2.0 * (alpha + 1.0) / alpha;
        Parallel.forEach(n, 2L * n * dims, i -> {
            double[] g = new double[dims];
            double kl = 0;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double t = kernelT(y, i, j);
                double q = kernelW(t) / sumW;
                double pij = exaggeration * p[i * n + j];
                double mult = (pij - q) * t;
                for (int ax = 0; ax < dims; ax++) {
                    g[ax] += mult * (y[i * dims + ax] - y[j * dims + ax]);
                }
                if (computeError) {
                    kl += pij * Math.log(Math.max(pij, Affinities.MACHINE_EPSILON)
                            / Math.max(q, Affinities.MACHINE_EPSILON));
                }
            }
            for (int ax = 0; ax < dims; ax++) {
                grad[i * dims + ax] = c * g[ax];
            }
            rowKl[i] = kl;
        });
        if (!computeError) {
            return Double.NaN;
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            kl += rowKl[i];
        }
        return kl;
    }
}
