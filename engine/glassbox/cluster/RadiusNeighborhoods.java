package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.util.Parallel;
import java.util.Arrays;

/**
 * Every point's {@code eps}-neighbourhood {@code N(i) = {j : ‖x_i − x_j‖ ≤ eps}} (itself included), as
 * scikit-learn's {@code radius_neighbors} gives DBSCAN — but only the sizes for all points and the lists
 * for the points that need them (the core points: DBSCAN never expands from any other).
 *
 * <p><b>Distances.</b> The data are cut into blocks of rows; each pair of blocks is one float GEMM
 * ({@link PairwiseDistances#squaredEuclidean}), so no {@code n×n} matrix is ever held: one {@code B×B} tile
 * and the neighbour lists (int arrays, 4 bytes per neighbour). A float distance can be wrong
 * by at most {@code tol = (d + 8)·2⁻²⁴·(‖a‖² + ‖b‖²)} (the standard bound {@code γ_d·Σ|a_k·b_k|} on a
 * length-{@code d} float dot product, doubled by the {@code −2}, plus the final rounding to float), so a
 * pair is decided from the float value when it lies more than {@code tol} from {@code eps²}, and otherwise
 * recomputed in double from the definition ({@link PairwiseDistances#squaredDistanceExact}). The decision is
 * therefore the exact {@code ‖a − b‖² ≤ eps²} for the float data, as scikit-learn's on the same float32
 * values (it upcasts them to float64).
 *
 * <p><b>Symmetry.</b> {@code j ∈ N(i) ⇔ i ∈ N(j)}, so only the tiles on and above the block diagonal are
 * computed (half the flops), and what a tile finds for row {@code i} is mirrored into the lists of its
 * neighbours {@code j}. Blocks are visited in order, so every list comes out in ascending order, and a
 * block's rows are complete — and pruned to the core points — as soon as its own tiles are done.
 *
 * <p><b>Threads.</b> OpenBLAS parallelises each GEMM; the scan of a tile runs one query row per task, each
 * appending only to its own list; the mirroring runs on one thread in row order. So the lists do not
 * depend on scheduling.
 */
final class RadiusNeighborhoods {
    /** {@code counts[i] = |N(i)|}. */
    final int[] counts;
    /** {@code lists[i]} = {@code N(i)} in ascending order if {@code counts[i] ≥ keepAtLeast}, else null. */
    final int[][] lists;
    /** Pairs recomputed in double because their float distance was within rounding of {@code eps}. */
    final long rechecked;

    private RadiusNeighborhoods(int[] counts, int[][] lists, long rechecked) {
        this.counts = counts;
        this.lists = lists;
        this.rechecked = rechecked;
    }

    /** Block height: a tile of {@code B×B} floats stays at 4 MB, a block of rows at about 8 MB. */
    static int blockRows(int n, int d) {
        return Math.max(1, Math.min(n, Math.min(1024, (1 << 21) / Math.max(1, d))));
    }

    /**
     * @param x           row-major {@code n×d}, finite
     * @param keepAtLeast keep the list of a point only if its neighbourhood has at least this many points
     */
    static RadiusNeighborhoods compute(float[] x, int n, int d, double eps, int keepAtLeast) {
        return compute(x, n, d, eps, keepAtLeast, blockRows(n, d));
    }

    /** {@link #compute(float[], int, int, double, int)} with a given block height (tests use small ones). */
    static RadiusNeighborhoods compute(float[] x, int n, int d, double eps, int keepAtLeast, int bs) {
        double eps2 = eps * eps;
        double tolScale = (d + 8) * 0x1p-24;
        double[] norms = PairwiseDistances.squaredNorms(x, n, d);
        double maxNorm = Arrays.stream(norms).max().orElse(0);
        int nBlocks = (n + bs - 1) / bs;
        float[][] blocks = new float[nBlocks][];
        double[][] blockNorms = new double[nBlocks][];
        for (int b = 0; b < nBlocks; b++) {
            int from = b * bs;
            int to = Math.min(n, from + bs);
            blocks[b] = PairwiseDistances.copyRows(x, d, from, to, new float[(to - from) * d]);
            blockNorms[b] = Arrays.copyOfRange(norms, from, to);
        }
        int[] counts = new int[n];
        int[][] lists = new int[n][];   // growing lists; a finished row keeps its list only if it can be core
        for (int i = 0; i < n; i++) {
            lists[i] = new int[8];
        }
        long[] rechecked = new long[n];
        float[] tile = new float[bs * bs];
        int[] before = new int[bs];
        for (int qb = 0; qb < nBlocks; qb++) {
            int qFrom = qb * bs;
            int m = blocks[qb].length / d;
            for (int rb = qb; rb < nBlocks; rb++) { // the pair (i, j) is decided once, in the tile with j's block ≥ i's
                int rFrom = rb * bs;
                int p = blocks[rb].length / d;
                float[] qRows = blocks[qb];
                float[] rRows = blocks[rb];
                double[] qNorms = blockNorms[qb];
                double[] rNorms = blockNorms[rb];
                PairwiseDistances.squaredEuclidean(qRows, qNorms, m, rRows, rNorms, p, d, tile);
                System.arraycopy(counts, qFrom, before, 0, m);
                Parallel.forEach(m, p, r -> {
                    int i = qFrom + r;
                    double an = qNorms[r];
                    double reject = eps2 + tolScale * (an + maxNorm); // beyond this, out whatever b is
                    int base = r * p;
                    for (int j = 0; j < p; j++) {
                        double v = tile[base + j];
                        if (v > reject) {
                            continue;
                        }
                        double tol = tolScale * (an + rNorms[j]);
                        boolean in;
                        if (v <= eps2 - tol) {
                            in = true;
                        } else if (v > eps2 + tol) {
                            in = false;
                        } else {
                            rechecked[i]++;
                            in = PairwiseDistances.squaredDistanceExact(qRows, r, rRows, j, d) <= eps2;
                        }
                        if (in) {
                            append(lists, counts, i, rFrom + j);
                        }
                    }
                });
                if (rb != qb) { // mirror what this tile found into the rows of block rb, in row order
                    for (int r = 0; r < m; r++) {
                        int i = qFrom + r;
                        for (int t = before[r]; t < counts[i]; t++) {
                            append(lists, counts, lists[i][t], i);
                        }
                    }
                }
            }
            for (int i = qFrom; i < qFrom + m; i++) { // rows of block qb are complete: earlier blocks mirrored in
                lists[i] = counts[i] >= keepAtLeast ? Arrays.copyOf(lists[i], counts[i]) : null;
            }
        }
        long total = 0;
        for (long c : rechecked) {
            total += c;
        }
        return new RadiusNeighborhoods(counts, lists, total);
    }

    private static void append(int[][] lists, int[] counts, int row, int neighbour) {
        int[] list = lists[row];
        if (counts[row] == list.length) {
            list = lists[row] = Arrays.copyOf(list, 2 * list.length);
        }
        list[counts[row]++] = neighbour;
    }
}
