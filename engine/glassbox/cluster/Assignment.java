package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.util.Parallel;

/**
 * The E-step shared by {@link KMeans} and {@link MiniBatchKMeans}: each row's nearest centre, and the
 * inertia of an assignment.
 *
 * <p>Nearest centres come from squared distances computed as one GEMM per block of rows
 * ({@link PairwiseDistances#squaredEuclidean}), the blocks shared out over the cores, each block writing
 * only its own labels — so the labels are the same whatever the thread count. Ties go to the lower centre
 * index, as NumPy's {@code argmin} does. Two centres within float rounding of the same distance may be
 * ordered differently from an exact computation; that moves the inertia by rounding only.
 *
 * <p>Inertia, {@code Σ_i ‖x_i − c_{label(i)}‖²}, is summed in double straight from the definition (not from
 * the GEMM's cancelling terms), per block and then block by block in order: this is the number the
 * results report and restarts are compared on, so it is computed exactly and reproducibly.
 */
final class Assignment {
    private Assignment() {
    }

    /** {@code labels[i] = argmin_j ‖x_i − c_j‖²} for every row of {@code x}; {@code centers} is {@code k×d}. */
    static void nearest(RowBlocks x, float[] centers, int k, int[] labels) {
        double[] centerNorms = PairwiseDistances.squaredNorms(centers, k, x.d);
        Parallel.forEach(x.count(), (long) RowBlocks.ROWS * k * x.d, b ->
                nearestInBlock(x.rows[b], x.norms[b], x.size(b), x.d, centers, centerNorms, k, labels, x.start(b)));
    }

    /**
     * The same for a plain row-major {@code n×d} matrix: blocks of {@link RowBlocks#ROWS} rows are copied
     * one at a time as they are processed (a matrix of at most one block is used as it is).
     */
    static int[] nearest(float[] x, int n, int d, float[] centers, int k) {
        int[] labels = new int[n];
        double[] centerNorms = PairwiseDistances.squaredNorms(centers, k, d);
        if (n <= RowBlocks.ROWS) {
            nearestInBlock(x, PairwiseDistances.squaredNorms(x, n, d), n, d, centers, centerNorms, k, labels, 0);
            return labels;
        }
        int blocks = (n + RowBlocks.ROWS - 1) / RowBlocks.ROWS;
        Parallel.forEach(blocks, (long) RowBlocks.ROWS * k * d, b -> {
            int from = b * RowBlocks.ROWS;
            int m = Math.min(RowBlocks.ROWS, n - from);
            float[] block = PairwiseDistances.copyRows(x, d, from, from + m, new float[m * d]);
            nearestInBlock(block, PairwiseDistances.squaredNorms(block, m, d), m, d, centers, centerNorms, k,
                    labels, from);
        });
        return labels;
    }

    /** Labels of the {@code m} rows of one block, written to {@code labels[offset …]}. */
    static void nearestInBlock(float[] block, double[] blockNorms, int m, int d, float[] centers,
                                       double[] centerNorms, int k, int[] labels, int offset) {
        float[] dist = new float[m * k];
        PairwiseDistances.squaredEuclidean(block, blockNorms, m, centers, centerNorms, k, d, dist);
        for (int i = 0; i < m; i++) {
            int row = i * k;
            int best = 0;
            float bestDist = dist[row];
            for (int j = 1; j < k; j++) {
                if (dist[row + j] < bestDist) {
                    bestDist = dist[row + j];
                    best = j;
                }
            }
            labels[offset + i] = best;
        }
    }

    /** {@code Σ_i ‖x_i − c_{labels[i]}‖²} over a plain row-major {@code n×d} matrix, in double. */
    static double inertia(float[] x, int n, int d, float[] centers, int[] labels) {
        int blocks = (n + RowBlocks.ROWS - 1) / RowBlocks.ROWS;
        double[] partial = new double[blocks];
        Parallel.forEach(blocks, (long) RowBlocks.ROWS * d, b -> {
            int to = Math.min(n, (b + 1) * RowBlocks.ROWS);
            double s = 0;
            for (int i = b * RowBlocks.ROWS; i < to; i++) {
                s += squaredDistance(x, i * d, centers, labels[i] * d, d);
            }
            partial[b] = s;
        });
        double total = 0;
        for (double s : partial) {
            total += s;
        }
        return total;
    }

    /** {@code ‖a[aOffset … +d) − c[cOffset … +d)‖²} in double. */
    static double squaredDistance(float[] a, int aOffset, float[] c, int cOffset, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double diff = (double) a[aOffset + j] - c[cOffset + j];
            s += diff * diff;
        }
        return s;
    }
}
