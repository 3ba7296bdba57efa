package glassbox.manifold;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exact gradient against a numerical derivative, and Barnes-Hut against the exact gradient. */
class GradientTest {
    private static final int N = 40;

    /** A random symmetric P with zero diagonal summing to 1, dense n×n. */
    private static double[] randomP(long seed, int n) {
        Rng rng = new Rng(seed);
        double[] p = new double[n * n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = rng.nextDouble() < 0.3 ? rng.nextDouble() : 0.0;
                p[i * n + j] = v;
                p[j * n + i] = v;
                sum += 2 * v;
            }
        }
        for (int e = 0; e < p.length; e++) {
            p[e] /= sum;
        }
        return p;
    }

    private static double[] randomEmbedding(long seed, int n, int dims, double scale) {
        Rng rng = new Rng(seed);
        double[] y = new double[n * dims];
        for (int c = 0; c < y.length; c++) {
            y[c] = scale * rng.nextGaussian();
        }
        return y;
    }

    /** KL(P‖Q) straight from the definition, Student-t with α degrees of freedom. */
    private static double kl(double[] p, double[] y, int n, int dims, double alpha) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    z += Math.pow(1 + sqDist(y, i, j, dims) / alpha, -(alpha + 1) / 2);
                }
            }
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double pij = p[i * n + j];
                if (i != j && pij > 0) {
                    double q = Math.pow(1 + sqDist(y, i, j, dims) / alpha, -(alpha + 1) / 2) / z;
                    kl += pij * Math.log(pij / q);
                }
            }
        }
        return kl;
    }

    private static double sqDist(double[] y, int i, int j, int dims) {
        double s = 0;
        for (int ax = 0; ax < dims; ax++) {
            double d = y[i * dims + ax] - y[j * dims + ax];
            s += d * d;
        }
        return s;
    }

    @Test
    void exactGradientMatchesCentralDifferencesOfTheKlDivergence() {
        for (int dims = 1; dims <= 3; dims++) {
            double alpha = Math.max(dims - 1, 1);                     // 3-D: α = 2, where scikit-learn's formula is off
            double[] p = randomP(10 + dims, N);
            double[] y = randomEmbedding(20 + dims, N, dims, 1.5);
            ExactGradient objective = new ExactGradient(p, N, dims, alpha);
            double[] grad = new double[N * dims];
            double value = objective.gradient(y, 1.0, grad, true);
            assertEquals(kl(p, y, N, dims, alpha), value, 1e-12, "KL, dims " + dims);
            double h = 1e-6;
            for (int c = 0; c < y.length; c++) {
                double keep = y[c];
                y[c] = keep + h;
                double up = kl(p, y, N, dims, alpha);
                y[c] = keep - h;
                double down = kl(p, y, N, dims, alpha);
                y[c] = keep;
                double numeric = (up - down) / (2 * h);
                assertEquals(numeric, grad[c], 1e-7 + 1e-5 * Math.abs(numeric), "dims " + dims + ", coordinate " + c);
            }
        }
    }

    /** P as the sparse CSR form Barnes-Hut takes. */
    private static Affinities.SparseP sparse(double[] dense, int n) {
        int[] ptr = new int[n + 1];
        java.util.List<Integer> idx = new java.util.ArrayList<>();
        java.util.List<Double> val = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (dense[i * n + j] != 0) {
                    idx.add(j);
                    val.add(dense[i * n + j]);
                }
            }
            ptr[i + 1] = idx.size();
        }
        return new Affinities.SparseP(n, ptr, idx.stream().mapToInt(Integer::intValue).toArray(),
                val.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double relativeError(double[] approx, double[] exact) {
        double num = 0;
        double den = 0;
        for (int c = 0; c < exact.length; c++) {
            num += (approx[c] - exact[c]) * (approx[c] - exact[c]);
            den += exact[c] * exact[c];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void barnesHutGradientTendsToTheExactOneAsTheAngleShrinks() {
        int n = 300;
        for (int dims = 1; dims <= 3; dims++) {
            double alpha = Math.max(dims - 1, 1);
            double[] p = randomP(30 + dims, n);
            double[] y = randomEmbedding(40 + dims, n, dims, 5);
            double[] exact = new double[n * dims];
            double exactKl = new ExactGradient(p, n, dims, alpha).gradient(y, 12.0, exact, true);
            double previous = Double.POSITIVE_INFINITY;
            for (double angle : new double[]{0.8, 0.5, 0.2, 0.0}) {
                double[] bh = new double[n * dims];
                double bhKl = new BarnesHutGradient(sparse(p, n), dims, angle, alpha).gradient(y, 12.0, bh, true);
                double error = relativeError(bh, exact);
                String what = "dims " + dims + ", angle " + angle + ": relative error " + error;
                if (angle == 0.0) {
                    assertTrue(error < 1e-12, what);
                    assertEquals(exactKl, bhKl, 1e-12 * Math.abs(exactKl), "KL at angle 0, dims " + dims);
                } else {
                    assertTrue(error < 0.05 && error > 0, what);
                    assertTrue(error <= previous * 1.5, what + " vs " + previous);  // shrinks, give or take
                }
                previous = error;
            }
        }
    }

    @Test
    void exactGradientScalesTheAttractionByTheExaggeration() {
        int dims = 2;
        double[] p = randomP(5, N);
        double[] y = randomEmbedding(6, N, dims, 1);
        double[] g1 = new double[N * dims];
        double[] g12 = new double[N * dims];
        double[] attraction = new double[N * dims];
        ExactGradient objective = new ExactGradient(p, N, dims, 1);
        objective.gradient(y, 1.0, g1, false);
        objective.gradient(y, 12.0, g12, false);
        // ∂/∂y_i of the attraction alone: 4 Σ_j p_ij (1 + d²)⁻¹ (y_i − y_j), computed here
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                double t = 1 / (1 + sqDist(y, i, j, dims));
                for (int ax = 0; ax < dims; ax++) {
                    attraction[i * dims + ax] += 4 * p[i * N + j] * t * (y[i * dims + ax] - y[j * dims + ax]);
                }
            }
        }
        for (int c = 0; c < g1.length; c++) {
            assertEquals(g1[c] + 11 * attraction[c], g12[c], 1e-12);
        }
    }
}
