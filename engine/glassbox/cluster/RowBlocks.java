package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;

/**
 * A data matrix cut into blocks of {@link #ROWS} consecutive rows, each block in its own array with its
 * rows' squared norms: the unit of work of every blocked-GEMM pass in this package (k-means++, Lloyd's
 * E-step, the final labelling).
 *
 * <p>Why own arrays: jblas copies every array it is handed across JNI, whole, so a GEMM over one block must
 * be handed that block alone (see {@link PairwiseDistances}). Why a fixed block size: the blocks are also
 * the unit of parallel work and of partial sums, and a size that does not depend on the thread count is
 * what makes results independent of it.
 *
 * <p>Memory: one copy of the data ({@code n·d} floats) plus {@code n} doubles.
 */
final class RowBlocks {
    /** Rows per block: large enough for an efficient GEMM against ~100 centres, small enough to share out. */
    static final int ROWS = 1024;

    final int n;
    final int d;
    final float[][] rows;
    final double[][] norms;

    private RowBlocks(int n, int d) {
        this.n = n;
        this.d = d;
        int count = (n + ROWS - 1) / ROWS;
        this.rows = new float[count][];
        this.norms = new double[count][];
    }

    /**
     * The rows of the row-major {@code n×d} matrix {@code x}, minus {@code shift} (per feature; null for
     * none — k-means subtracts the feature means, as scikit-learn does, so that the GEMM's
     * {@code ‖a‖² + ‖b‖² − 2a·b} cancels less).
     */
    static RowBlocks copyOf(float[] x, int n, int d, double[] shift) {
        RowBlocks blocks = new RowBlocks(n, d);
        for (int b = 0; b < blocks.count(); b++) {
            int from = blocks.start(b);
            int m = blocks.size(b);
            float[] block = PairwiseDistances.copyRows(x, d, from, from + m, new float[m * d]);
            if (shift != null) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < d; j++) {
                        block[i * d + j] = (float) (block[i * d + j] - shift[j]);
                    }
                }
            }
            blocks.rows[b] = block;
            blocks.norms[b] = PairwiseDistances.squaredNorms(block, m, d);
        }
        return blocks;
    }

    /** The rows {@code x[index[0]], x[index[1]], …} of a row-major matrix with {@code d} columns. */
    static RowBlocks gather(float[] x, int d, int[] index) {
        RowBlocks blocks = new RowBlocks(index.length, d);
        for (int b = 0; b < blocks.count(); b++) {
            int from = blocks.start(b);
            int m = blocks.size(b);
            float[] block = new float[m * d];
            for (int i = 0; i < m; i++) {
                System.arraycopy(x, index[from + i] * d, block, i * d, d);
            }
            blocks.rows[b] = block;
            blocks.norms[b] = PairwiseDistances.squaredNorms(block, m, d);
        }
        return blocks;
    }

    int count() {
        return rows.length;
    }

    /** The global index of block {@code b}'s first row. */
    int start(int b) {
        return b * ROWS;
    }

    /** The number of rows in block {@code b}. */
    int size(int b) {
        return Math.min(ROWS, n - b * ROWS);
    }

    /** Row {@code i} (global index), copied into {@code into} at {@code offset}. */
    void copyRow(int i, float[] into, int offset) {
        System.arraycopy(rows[i / ROWS], (i % ROWS) * d, into, offset, d);
    }

    /** Feature {@code j} of row {@code i} (global index). */
    float get(int i, int j) {
        return rows[i / ROWS][(i % ROWS) * d + j];
    }
}
