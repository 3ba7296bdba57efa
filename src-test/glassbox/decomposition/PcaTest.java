package glassbox.decomposition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.decomposition.Pca.Options;
import glassbox.decomposition.Pca.Solver;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * PCA against an eigen-decomposition of the covariance computed here by cyclic Jacobi rotations (Golub &amp;
 * Van Loan §8.5), against its defining properties (exact reconstruction with all components, ratios summing
 * to 1), and the randomized solver against the full one.
 */
class PcaTest {

    @Test
    void fullSolverMatchesJacobiEigenDecompositionOfTheCovariance() {
        int n = 60;
        int d = 6;
        Tensor x = anisotropic(n, d, 1);
        double[][] cov = covariance(x);
        double[][] vectors = new double[d][d];
        double[] eigenvalues = jacobi(cov, vectors); // descending, vectors[j] = eigenvector j
        int k = 3;
        Pca.Result r = Pca.fit(x, Options.defaults(k).withSvdSolver(Solver.FULL));
        float[] comp = r.components().data();
        for (int j = 0; j < k; j++) {
            double sign = scoreSign(x, vectors[j]);
            for (int c = 0; c < d; c++) {
                assertEquals(sign * vectors[j][c], comp[j * d + c], 1e-6, "component " + j + ", feature " + c);
            }
            assertEquals(eigenvalues[j], r.explainedVariance()[j], 1e-10 * eigenvalues[0]);
            assertEquals(Math.sqrt(eigenvalues[j] * (n - 1)), r.singularValues()[j], 1e-9);
        }
        double total = 0;
        for (double e : eigenvalues) {
            total += e;
        }
        assertEquals(eigenvalues[0] / total, r.explainedVarianceRatio()[0], 1e-12);
        assertEquals((eigenvalues[3] + eigenvalues[4] + eigenvalues[5]) / 3, r.noiseVariance(), 1e-10);
    }

    @Test
    void allComponentsReconstructTheDataAndExplainAllTheVariance() {
        for (int[] shape : new int[][] {{30, 5}, {5, 8}}) { // tall, and wide (n < d)
            Tensor x = anisotropic(shape[0], shape[1], 2);
            int k = Math.min(shape[0], shape[1]);
            for (Solver solver : new Solver[] {Solver.FULL, Solver.RANDOMIZED}) {
                Pca.Result r = Pca.fit(x, Options.defaults(k).withSvdSolver(solver));
                assertArrayEquals(x.data(), r.inverseTransform(r.transform(x)).data(), 1e-4f, solver + " " + k);
                double sum = 0;
                for (double v : r.explainedVarianceRatio()) {
                    sum += v;
                }
                assertEquals(1.0, sum, 1e-9, solver + ": ratios sum to 1");
                assertEquals(0.0, r.noiseVariance());
                float[] v = r.components().data();
                for (int a = 0; a < k; a++) {
                    for (int b = 0; b < k; b++) {
                        double dot = 0;
                        for (int c = 0; c < shape[1]; c++) {
                            dot += (double) v[a * shape[1] + c] * v[b * shape[1] + c];
                        }
                        assertEquals(a == b ? 1 : 0, dot, 1e-6, solver + ": components orthonormal");
                    }
                }
            }
        }
    }

    @Test
    void transformIsTheCentredProjectionAndInverseTransformItsRightInverse() {
        Tensor x = anisotropic(25, 4, 3);
        Pca.Result r = Pca.fit(x, Options.defaults(2));
        float[] v = r.components().data();
        double[] mean = r.mean();
        Tensor z = r.transform(x);
        for (int i = 0; i < 25; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 0;
                for (int c = 0; c < 4; c++) {
                    s += (x.data()[i * 4 + c] - mean[c]) * v[j * 4 + c];
                }
                assertEquals(s, z.data()[i * 2 + j], 1e-5, "score " + i + "," + j);
            }
        }
        assertArrayEquals(z.data(), r.transform(r.inverseTransform(z)).data(), 1e-4f);
    }

    @Test
    void signMakesTheLargestScoreOfEachComponentPositive() {
        // Points on the x axis around mean 0: scores -3, 1, 2 along ±e_x; the largest |score| is at the
        // first point, so the component must be -e_x to make that score +3.
        Tensor x = new Tensor(new float[] {-3, 0, 1, 0, 2, 0}, 3, 2);
        Pca.Result r = Pca.fit(x, Options.defaults(1).withSvdSolver(Solver.FULL));
        assertArrayEquals(new float[] {-1, 0}, r.components().data(), 1e-6f);
        assertArrayEquals(new float[] {3, -1, -2}, r.transform(x).data(), 1e-5f);
        Tensor big = anisotropic(200, 10, 4);
        for (Solver solver : new Solver[] {Solver.FULL, Solver.RANDOMIZED}) {
            Pca.Result fitted = Pca.fit(big, Options.defaults(4).withSvdSolver(solver));
            float[] scores = fitted.transform(big).data();
            for (int j = 0; j < 4; j++) {
                float best = 0;
                for (int i = 0; i < 200; i++) {
                    best = Math.abs(scores[i * 4 + j]) > Math.abs(best) ? scores[i * 4 + j] : best;
                }
                assertTrue(best > 0, solver + ": largest score of component " + j + " is " + best);
            }
        }
    }

    @Test
    void randomizedMatchesFullOnLowRankData() {
        int n = 300;
        int d = 40;
        int rank = 5;
        Rng rng = new Rng(7);
        double[][] factors = new double[rank][d];
        for (double[] f : factors) {
            for (int c = 0; c < d; c++) {
                f[c] = rng.nextGaussian();
            }
        }
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < rank; f++) {
                double w = rng.nextGaussian() * (rank - f) * 2;
                for (int c = 0; c < d; c++) {
                    v[i * d + c] += (float) (w * factors[f][c]);
                }
            }
            for (int c = 0; c < d; c++) {
                v[i * d + c] += 5;
            }
        }
        Tensor x = new Tensor(v, n, d);
        Pca.Result full = Pca.fit(x, Options.defaults(3).withSvdSolver(Solver.FULL));
        // auto = 7 power iterations multiply by the scatter matrix; 1 iteration passes over the data instead
        assertTrue(RandomizedSvd.formsScatterMatrix(d, 13, 7));
        assertTrue(!RandomizedSvd.formsScatterMatrix(d, 13, 1));
        for (int nIter : new int[] {-1, 1}) {
            Pca.Result randomized = Pca.fit(x, Options.defaults(3).withSvdSolver(Solver.RANDOMIZED)
                    .withNPowerIterations(nIter));
            assertArrayEquals(full.components().data(), randomized.components().data(), 1e-5f);
            assertArrayEquals(full.explainedVariance(), randomized.explainedVariance(),
                    1e-8 * full.explainedVariance()[0]);
            assertArrayEquals(full.explainedVarianceRatio(), randomized.explainedVarianceRatio(), 1e-9);
            assertEquals(full.noiseVariance(), randomized.noiseVariance(), 1e-8 * full.explainedVariance()[0]);
        }
    }

    @Test
    void sameSeedGivesIdenticalResultsAndInputIsLeftUnmodified() {
        Tensor x = anisotropic(120, 30, 5);
        float[] before = x.data().clone();
        Options o = Options.defaults(4).withSvdSolver(Solver.RANDOMIZED).withNPowerIterations(1).withSeed(42);
        Pca.Result a = Pca.fit(x, o);
        Pca.Result b = Pca.fit(x, o);
        assertArrayEquals(a.components().data(), b.components().data());
        assertArrayEquals(a.singularValues(), b.singularValues());
        Pca.Result c = Pca.fit(x, o.withSeed(43));
        assertNotEquals(a.singularValues()[3], c.singularValues()[3], "one power iteration leaves the seed visible");
        assertArrayEquals(before, x.data());
    }

    @Test
    void autoFollowsScikitLearnsPolicy() {
        assertEquals(Solver.FULL, Pca.chosenSolver(500, 300, Options.defaults(2)));
        assertEquals(Solver.RANDOMIZED, Pca.chosenSolver(10_000, 784, Options.defaults(2)));
        assertEquals(Solver.RANDOMIZED, Pca.chosenSolver(10_000, 784, Options.defaults(627)));
        assertEquals(Solver.FULL, Pca.chosenSolver(10_000, 784, Options.defaults(628))); // 628 ≥ 0.8·784
        assertEquals(Solver.FULL, Pca.chosenSolver(10_000, 784, Options.defaults(2).withSvdSolver(Solver.FULL)));
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = anisotropic(10, 4, 6);
        assertMessage(() -> Options.defaults(0), "nComponents is 0");
        assertMessage(() -> Pca.fit(x, Options.defaults(5)), "nComponents is 5", "min(n_samples, n_features) = 4");
        assertMessage(() -> Options.defaults(2).withNOversamples(0), "nOversamples is 0");
        assertMessage(() -> Options.defaults(2).withNPowerIterations(-2), "nPowerIterations is -2");
        assertMessage(() -> Options.defaults(2).withSvdSolver(null), "svdSolver is null");
        assertMessage(() -> Pca.fit(new Tensor(new float[] {1, Float.NaN, 3, 4}, 2, 2), Options.defaults(1)), "NaN");
        assertMessage(() -> Pca.fit(Tensor.zeros(0, 3), Options.defaults(1)), "at least one sample");
        assertMessage(() -> Pca.fit(Tensor.zeros(1, 3), Options.defaults(1)), "expected at least 2");
        Pca.Result r = Pca.fit(x, Options.defaults(2));
        assertMessage(() -> r.transform(Tensor.zeros(3, 5)), "x has 5 columns", "expected 4");
        assertMessage(() -> r.inverseTransform(Tensor.zeros(3, 3)), "z has 3 columns", "expected 2");
    }

    private static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }

    /** Gaussian data whose feature {@code c} has standard deviation {@code 1 + c}, mixed by a rotation-ish mix. */
    static Tensor anisotropic(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < n; i++) {
            double carry = 0;
            for (int c = 0; c < d; c++) {
                double g = rng.nextGaussian() * (1 + c);
                v[i * d + c] = (float) (3 + g + 0.3 * carry);
                carry = g;
            }
        }
        return new Tensor(v, n, d);
    }

    /** The sign the convention gives eigenvector {@code v}: + if its largest-magnitude score is positive. */
    private static double scoreSign(Tensor x, double[] v) {
        int n = x.dim(0);
        int d = x.dim(1);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x.data()[i * d + c] / (double) n;
            }
        }
        double best = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += (x.data()[i * d + c] - mean[c]) * v[c];
            }
            best = Math.abs(s) > Math.abs(best) ? s : best;
        }
        return Math.signum(best);
    }

    /** The sample covariance ({@code ddof = 1}) straight from the definition. */
    private static double[][] covariance(Tensor x) {
        int n = x.dim(0);
        int d = x.dim(1);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += x.data()[i * d + c] / (double) n;
            }
        }
        double[][] cov = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    cov[a][b] += (x.data()[i * d + a] - mean[a]) * (x.data()[i * d + b] - mean[b]) / (n - 1);
                }
            }
        }
        return cov;
    }

    /**
     * Cyclic Jacobi: rotate away each off-diagonal entry in turn until none is left; the diagonal is then the
     * eigenvalues and the accumulated rotations the eigenvectors. Returns eigenvalues descending and fills
     * {@code vectors[j]} with eigenvector {@code j}.
     */
    private static double[] jacobi(double[][] matrix, double[][] vectors) {
        int d = matrix.length;
        double[][] a = new double[d][];
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) {
            a[i] = matrix[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < d; p++) {
                for (int q = p + 1; q < d; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < d; k++) { // A ← A·J
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < d; k++) { // A ← Jᵀ·A
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < d; k++) { // V ← V·J
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[] values = new double[d];
        for (int j = 0; j < d; j++) {
            values[j] = a[order[j]][order[j]];
            for (int c = 0; c < d; c++) {
                vectors[j][c] = v[c][order[j]];
            }
        }
        return values;
    }
}
