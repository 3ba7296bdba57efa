package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.util.Parallel;
import java.util.Arrays;

/**
 * Lloyd's algorithm (Lloyd, "Least squares quantization in PCM", 1957/1982), one run from given centres,
 * as scikit-learn's {@code _kmeans_single_lloyd} does it.
 *
 * <p>Each iteration is an E-step — every row to its nearest centre ({@link Assignment#nearest}, a GEMM per
 * block of rows on every core) — then an M-step: every centre to the mean of its rows. Neither step can
 * raise the inertia, so it never increases. The run stops
 * <ul>
 *   <li>on <em>strict convergence</em>: the labels did not change, so neither will the centres;</li>
 *   <li>when the centres moved by {@code Σ_j ‖c_j' − c_j‖² ≤ tol} (already scaled by the data's variance);</li>
 *   <li>after {@code maxIter} iterations.</li>
 * </ul>
 * Unless it stopped strictly, a last E-step makes the labels those of the final centres.
 *
 * <p><b>Empty clusters</b> (a centre no row is nearest to) are moved, as scikit-learn's
 * {@code _relocate_empty_clusters_dense} does, onto the rows farthest from their own centres: the
 * {@code e} empty clusters, in index order, take the {@code e} farthest rows, farthest first (ties to the
 * lower row; scikit-learn's {@code argpartition} leaves their order unspecified); each such row leaves its
 * old cluster's mean. If every row sits exactly on its centre (more clusters than distinct rows) there is
 * nothing to gain and nothing moves. Differing from scikit-learn, a cluster still empty after that keeps
 * its previous centre (scikit-learn leaves it at the origin of its centred data, the data's mean).
 *
 * <p><b>One pass per iteration.</b> Each block of rows is labelled and, while still in cache, added into
 * its cluster's sum, so the data is read once per iteration. The sums are double: each of a fixed number
 * of runs of consecutive blocks is summed on its own (the runs shared out over the cores), then the runs
 * are added in order — the same sums whatever the thread count.
 */
final class Lloyd {
    /**
     * Runs of consecutive blocks, each summed on its own; the runs' sums are then added in order. A constant
     * (not the thread count) so that the sums are the same whatever the thread count.
     */
    private static final int GROUPS = 8;

    private Lloyd() {
    }

    /** The outcome of one run: final centres, labels consistent with them, and the iterations done. */
    record Run(float[] centers, int[] labels, int nIter) {
    }

    /** Runs Lloyd's iterations on {@code x} from {@code init} ({@code k×d}, not modified). */
    static Run run(RowBlocks x, float[] init, int k, int maxIter, double tol) {
        float[] centers = init.clone();
        float[] centersNew = new float[centers.length];
        int[] labels = new int[x.n];
        int[] labelsOld = new int[x.n];
        Arrays.fill(labelsOld, -1);
        boolean strict = false;
        int iteration = 0;
        while (iteration < maxIter) {
            double shift = step(x, centers, k, centersNew, labels);
            iteration++;
            float[] t = centers;
            centers = centersNew;
            centersNew = t;
            if (Arrays.equals(labels, labelsOld)) {
                strict = true;
                break;
            }
            if (shift <= tol) {
                break;
            }
            System.arraycopy(labels, 0, labelsOld, 0, labels.length);
        }
        if (!strict) {
            Assignment.nearest(x, centers, k, labels);
        }
        return new Run(centers, labels, iteration);
    }

    /**
     * One iteration: {@code labels} := nearest of {@code centers}; {@code centersNew} := the means of those
     * labels, after relocating empty clusters. Returns the squared shift {@code Σ_j ‖new_j − old_j‖²}.
     */
    static double step(RowBlocks x, float[] centers, int k, float[] centersNew, int[] labels) {
        int d = x.d;
        double[] centerNorms = PairwiseDistances.squaredNorms(centers, k, d);
        int groups = Math.min(GROUPS, x.count());
        double[][] groupSums = new double[groups][];
        long[][] groupCounts = new long[groups][];
        Parallel.forEach(groups, (long) x.n / groups * k * d, g -> {
            double[] sums = new double[k * d];
            long[] counts = new long[k];
            for (int b = firstBlock(g, groups, x.count()); b < firstBlock(g + 1, groups, x.count()); b++) {
                int first = x.start(b);
                int m = x.size(b);
                Assignment.nearestInBlock(x.rows[b], x.norms[b], m, d, centers, centerNorms, k, labels, first);
                for (int i = 0; i < m; i++) { // while the block is still in cache
                    int label = labels[first + i];
                    add(x.rows[b], i * d, sums, label * d, d);
                    counts[label]++;
                }
            }
            groupSums[g] = sums;
            groupCounts[g] = counts;
        });
        double[] sums = groupSums[0];
        long[] counts = groupCounts[0];
        for (int g = 1; g < groups; g++) {
            for (int at = 0; at < sums.length; at++) {
                sums[at] += groupSums[g][at];
            }
            for (int j = 0; j < k; j++) {
                counts[j] += groupCounts[g][j];
            }
        }
        relocateEmptyClusters(x, centers, labels, sums, counts);
        double shift = 0;
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                int at = j * d + f;
                centersNew[at] = counts[j] > 0 ? (float) (sums[at] / counts[j]) : centers[at];
                double moved = (double) centersNew[at] - centers[at];
                shift += moved * moved;
            }
        }
        return shift;
    }

    /** The first block of group {@code g} when {@code blocks} blocks are cut into {@code groups} runs. */
    private static int firstBlock(int g, int groups, int blocks) {
        return (int) ((long) g * blocks / groups);
    }

    /** {@code sums[at … +len) += row[from … +len)}. */
    private static void add(float[] row, int from, double[] sums, int at, int len) {
        for (int j = 0; j < len; j++) {
            sums[at + j] += row[from + j];
        }
    }

    /** Gives each empty cluster the row farthest from its centre, updating {@code sums} and {@code counts}. */
    static void relocateEmptyClusters(RowBlocks x, float[] centers, int[] labels, double[] sums, long[] counts) {
        int empty = 0;
        for (long c : counts) {
            empty += c == 0 ? 1 : 0;
        }
        if (empty == 0) {
            return;
        }
        int d = x.d;
        double[] distance = new double[x.n];
        Parallel.forEach(x.count(), (long) RowBlocks.ROWS * d, b -> {
            for (int i = 0, m = x.size(b); i < m; i++) {
                int row = x.start(b) + i;
                distance[row] = Assignment.squaredDistance(x.rows[b], i * d, centers, labels[row] * d, d);
            }
        });
        int[] far = farthest(distance, empty);
        if (distance[far[0]] == 0) {
            return; // every row is on its centre: more clusters than distinct rows
        }
        int next = 0;
        for (int cluster = 0; cluster < counts.length; cluster++) {
            if (counts[cluster] != 0) {
                continue;
            }
            int row = far[next++];
            int old = labels[row];
            for (int f = 0; f < d; f++) {
                double v = x.get(row, f);
                sums[old * d + f] -= v;
                sums[cluster * d + f] = v;
            }
            counts[cluster] = 1;
            counts[old]--;
        }
    }

    /** The indices of the {@code e} largest values, largest first, ties to the lower index. */
    static int[] farthest(double[] values, int e) {
        int[] top = new int[e];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (size == e && values[i] <= values[top[e - 1]]) {
                continue;
            }
            int at = size < e ? size++ : e - 1;
            while (at > 0 && values[top[at - 1]] < values[i]) { // strictly: an equal earlier index stays first
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return top;
    }
}
