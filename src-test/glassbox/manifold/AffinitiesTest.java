package glassbox.manifold;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AffinitiesTest {
    private static final int N = 60;
    private static final int D = 4;

    /** Squared distances of random points, all pairs, computed here from the definition. */
    private static double[] squaredDistances(double[] x, int n, int d) {
        double[] sq = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = x[i * d + c] - x[j * d + c];
                    s += diff * diff;
                }
                sq[i * n + j] = s;
            }
        }
        return sq;
    }

    private static double[] randomPoints(long seed, int n, int d, double scale) {
        Rng rng = new Rng(seed);
        double[] x = new double[n * d];
        for (int c = 0; c < x.length; c++) {
            x[c] = scale * rng.nextGaussian();
        }
        return x;
    }

    @Test
    void eachConditionalDistributionHasThePerplexityAsItsEntropyAndSumsToOne() {
        for (double scale : new double[]{0.01, 1, 30}) {          // β far from its start value 1 in both directions
            double[] sq = squaredDistances(randomPoints(1, N, D, scale), N, D);
            for (double perplexity : new double[]{2, 5, 20}) {
                double[] p = Affinities.conditional(sq, N, N, true, perplexity);
                for (int i = 0; i < N; i++) {
                    double sum = 0;
                    double entropy = 0;
                    for (int j = 0; j < N; j++) {
                        double v = p[i * N + j];
                        sum += v;
                        if (v > 0) {
                            entropy -= v * Math.log(v);
                        }
                    }
                    assertEquals(0.0, p[i * N + i], "p_i|i");
                    assertEquals(1.0, sum, 1e-12, "row " + i + " sums to 1");
                    assertEquals(Math.log(perplexity), entropy, 1e-5, "row " + i + " entropy, perplexity " + perplexity
                            + ", scale " + scale);
                }
            }
        }
    }

    @Test
    void sparseJointProbabilitiesAreTheSymmetrisedNormalisedConditionals() {
        double[] sq = squaredDistances(randomPoints(2, N, D, 1), N, D);
        int k = 10;
        // each row's k nearest by brute force (ties by index), with their squared distances
        int[] nbr = new int[N * k];
        double[] nbrSq = new double[N * k];
        for (int i = 0; i < N; i++) {
            Integer[] order = new Integer[N];
            for (int j = 0; j < N; j++) {
                order[j] = j;
            }
            int row = i;
            java.util.Arrays.sort(order, (a, b) -> Double.compare(sq[row * N + a], sq[row * N + b]));
            int c = 0;
            for (int j : order) {
                if (j != i && c < k) {
                    nbr[i * k + c] = j;
                    nbrSq[i * k + c] = sq[i * N + j];
                    c++;
                }
            }
        }
        double perplexity = 3;
        double[] cond = Affinities.conditional(nbrSq, N, k, false, perplexity);
        double[] expected = new double[N * N];
        double total = 0;
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < k; c++) {
                int j = nbr[i * k + c];
                expected[i * N + j] += cond[i * k + c];
                expected[j * N + i] += cond[i * k + c];
                total += 2 * cond[i * k + c];
            }
        }
        Affinities.SparseP p = Affinities.jointNearestNeighbors(nbr, nbrSq, N, k, perplexity);
        double[] dense = p.toDense();
        double sum = 0;
        for (int i = 0; i < N; i++) {
            for (int e = p.indptr()[i] + 1; e < p.indptr()[i + 1]; e++) {
                assertTrue(p.indices()[e - 1] < p.indices()[e], "row " + i + " columns ascending");
            }
            for (int j = 0; j < N; j++) {
                assertEquals(expected[i * N + j] / total, dense[i * N + j], 1e-15, "P[" + i + "," + j + "]");
                assertEquals(dense[i * N + j], dense[j * N + i], "P symmetric at " + i + "," + j);
                sum += dense[i * N + j];
            }
        }
        assertEquals(1.0, sum, 1e-12);
        assertTrue(p.nnz() <= 2 * k * N && p.nnz() >= k * N, "nnz " + p.nnz());
    }

    @Test
    void denseJointProbabilitiesAreSymmetricSumToOneAndMatchSparseOverAllNeighbours() {
        double[] sq = squaredDistances(randomPoints(3, N, D, 1), N, D);
        double perplexity = 10;
        double[] dense = Affinities.jointDense(sq, N, perplexity);
        double sum = 0;
        for (int i = 0; i < N; i++) {
            assertEquals(0.0, dense[i * N + i]);
            for (int j = 0; j < N; j++) {
                assertEquals(dense[i * N + j], dense[j * N + i]);
                sum += dense[i * N + j];
            }
        }
        assertEquals(1.0, sum, 1e-9);
        // With every other point as a neighbour, the sparse path gives the same P.
        int k = N - 1;
        int[] nbr = new int[N * k];
        double[] nbrSq = new double[N * k];
        for (int i = 0; i < N; i++) {
            int c = 0;
            for (int j = 0; j < N; j++) {
                if (j != i) {
                    nbr[i * k + c] = j;
                    nbrSq[i * k + c++] = sq[i * N + j];
                }
            }
        }
        double[] sparse = Affinities.jointNearestNeighbors(nbr, nbrSq, N, k, perplexity).toDense();
        for (int e = 0; e < N * N; e++) {
            assertEquals(dense[e], Math.max(sparse[e], e % (N + 1) == 0 ? 0 : Affinities.MACHINE_EPSILON), 1e-15);
        }
    }
}
