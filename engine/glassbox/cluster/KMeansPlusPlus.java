package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.util.Parallel;
import glassbox.util.Rng;

/**
 * Greedy k-means++ seeding, as scikit-learn's {@code _kmeans_plusplus} does it (Arthur &amp; Vassilvitskii,
 * "k-means++: the advantages of careful seeding", SODA 2007, with the greedy local trials they mention
 * in their conclusion).
 *
 * <ol>
 *   <li>The first centre is a row drawn uniformly.</li>
 *   <li>Each further centre: draw {@code 2 + ⌊ln k⌋} candidate rows, each with probability proportional
 *       to {@code D(x)²}, its squared distance to the nearest centre chosen so far (inverse-CDF sampling:
 *       the first row whose running sum of {@code D²} reaches {@code u·Σ D²}, {@code u} uniform — NumPy's
 *       {@code searchsorted} on the cumulative sum); keep the candidate that leaves the smallest potential
 *       {@code Σ_x min(D(x)², ‖x − candidate‖²)}, the first of equals.</li>
 * </ol>
 *
 * <p>The expected potential of plain k-means++ is within {@code 8(ln k + 2)} of the optimum; the greedy
 * trials make it better in practice. Cost: {@code k·(2 + ln k)} distance rows, one GEMM per block of
 * data rows per step. Distances are float GEMM distances (scikit-learn up-casts float32 input to double
 * here), which changes which row a draw lands on only at rounding level.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {
    }

    /** The indices of the {@code k} seed rows of {@code x}, drawn from {@code rng}. */
    static int[] seeds(RowBlocks x, int k, Rng rng) {
        int n = x.n;
        int trials = 2 + (int) Math.log(k);
        int[] chosen = new int[k];
        chosen[0] = rng.nextInt(n);
        double[] closest = distancesTo(x, new int[]{chosen[0]}, null, new double[1])[0];
        double potential = 0;
        for (double v : closest) {
            potential += v;
        }
        double[] cumulative = new double[n];
        for (int c = 1; c < k; c++) {
            double running = 0;
            for (int i = 0; i < n; i++) {
                running += closest[i];
                cumulative[i] = running;
            }
            int[] candidates = new int[trials];
            for (int t = 0; t < trials; t++) {
                candidates[t] = Math.min(searchLeft(cumulative, rng.nextDouble() * potential), n - 1);
            }
            double[] potentials = new double[trials];
            double[][] minima = distancesTo(x, candidates, closest, potentials);
            int best = 0;
            for (int t = 1; t < trials; t++) {
                if (potentials[t] < potentials[best]) {
                    best = t;
                }
            }
            chosen[c] = candidates[best];
            potential = potentials[best];
            closest = minima[best];
        }
        return chosen;
    }

    /**
     * For each candidate {@code t}: {@code out[t][i] = min(closest[i], ‖x_i − x_{candidates[t]}‖²)} (just the
     * distance when {@code closest} is null), and {@code potentials[t] = Σ_i out[t][i]}, summed per block and
     * then in block order so that the sum does not depend on the thread count.
     */
    private static double[][] distancesTo(RowBlocks x, int[] candidates, double[] closest, double[] potentials) {
        int d = x.d;
        int t = candidates.length;
        float[] rows = new float[t * d];
        for (int c = 0; c < t; c++) {
            x.copyRow(candidates[c], rows, c * d);
        }
        double[] rowNorms = PairwiseDistances.squaredNorms(rows, t, d);
        double[][] out = new double[t][x.n];
        double[][] partial = new double[x.count()][t];
        Parallel.forEach(x.count(), (long) RowBlocks.ROWS * t * d, b -> {
            int m = x.size(b);
            int from = x.start(b);
            float[] dist = new float[m * t];
            PairwiseDistances.squaredEuclidean(x.rows[b], x.norms[b], m, rows, rowNorms, t, d, dist);
            for (int c = 0; c < t; c++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    double v = dist[i * t + c];
                    if (closest != null && closest[from + i] < v) {
                        v = closest[from + i];
                    }
                    out[c][from + i] = v;
                    sum += v;
                }
                partial[b][c] = sum;
            }
        });
        for (int c = 0; c < t; c++) {
            double sum = 0;
            for (double[] p : partial) {
                sum += p[c];
            }
            potentials[c] = sum;
        }
        return out;
    }

    /** The first index {@code i} with {@code sorted[i] >= value} ({@code sorted.length} if none). */
    static int searchLeft(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
