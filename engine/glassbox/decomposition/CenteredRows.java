package glassbox.decomposition;

import glassbox.tensor.Blas;
import glassbox.util.Parallel;

/**
 * The centred data matrix {@code Xc = X − 1·meanᵀ} ({@code n×d}) in double, as blocks of rows: every product
 * with it walks {@code X} (float, row-major) one block at a time, centring the block into a reusable double
 * buffer and handing that to {@code dgemm}. This keeps memory at the one float copy of the data (a double
 * copy of 10,000 × 2,304 is 184 MB) and each JNI call small (jblas copies every array it is given, whole,
 * on every call: a 63 MB operand costs more to copy than a thin product with it costs to compute).
 *
 * <p><b>The power iterations' shortcut.</b> The randomized solver passes over the data once per power
 * iteration, only to find the subspace its final, double-precision projection will use; for those passes
 * ({@link #scatterTimesFloat}) the centred blocks are rounded to float once and kept ({@code 4·n·d} bytes,
 * up to {@link #MAX_KEPT_FLOATS}), and the products are float GEMMs — half the memory traffic of double,
 * twice the arithmetic rate. Their rounding (about {@code 1e-7} relative) perturbs the subspace far less
 * than stopping after a few iterations does.
 *
 * <p>Vectors come in "rows" layout: {@code l} vectors of length {@code d} (feature space) or {@code n}
 * (sample space) stored as the rows of a row-major {@code l×d} or {@code l×n} array, so that each vector is
 * contiguous. Sums over blocks run in block order, so results do not depend on the thread count.
 */
final class CenteredRows {
    /**
     * Rows per block: about 256 K doubles (2 MB) of centred data per {@code dgemm}; measured faster than
     * 8 MB or 0.5 MB blocks for the thin products of the randomized solver (the copy jblas makes stays in
     * cache).
     */
    private static final int BLOCK_DOUBLES = 1 << 18;
    /** Float centred blocks are kept only up to 2²⁶ floats (256 MB; MNIST's 60,000 × 784 is 188 MB). */
    static final long MAX_KEPT_FLOATS = 1L << 26;

    private final float[] x;
    private final int n;
    private final int d;
    private final double[] mean;
    private final int blockRows;
    private final double[] shared;
    /** Float centred blocks kept for later power iterations, or null when each pass re-centres. */
    private final float[][] kept;
    private final float[] sharedFloat;
    /** {@code Σ_j Xc[i,j]²} per row, in double, filled as a side effect of a pass of {@link #scatterTimesFloat}. */
    private final double[] rowSquares;
    private boolean rowSquaresDone;

    /**
     * @param x            row-major {@code n×d}, not modified
     * @param minBlockRows raises the block height: {@link #gram()}'s {@code d×d} output is copied in and out
     *                     of native memory on every {@code dgemm}, so it wants few, tall blocks
     * @param keepFloats   keep float centred blocks for {@link #scatterTimesFloat} (if within
     *                     {@link #MAX_KEPT_FLOATS})
     */
    CenteredRows(float[] x, int n, int d, double[] mean, int minBlockRows, boolean keepFloats) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.mean = mean;
        this.blockRows = Math.min(n, Math.max(Math.max(1, BLOCK_DOUBLES / d), minBlockRows));
        this.shared = new double[blockRows * d];
        boolean keep = keepFloats && (long) n * d <= MAX_KEPT_FLOATS;
        this.kept = keep ? new float[(n + blockRows - 1) / blockRows][] : null;
        this.sharedFloat = keep ? null : new float[blockRows * d];
        this.rowSquares = new double[n];
    }

    /** Each column's mean, summed in double in row order. */
    static double[] columnMeans(float[] x, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            int base = i * d;
            for (int j = 0; j < d; j++) {
                mean[j] += x[base + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /**
     * Rows {@code [from, to)} of {@code Xc}, row-major, freshly centred into the shared buffer. Each row is
     * its own task, so threads do not change the bits.
     */
    private double[] center(int from, int to) {
        double[] out = shared;
        Parallel.forEach(to - from, d, r -> {
            int src = (from + r) * d;
            int dst = r * d;
            for (int j = 0; j < d; j++) {
                out[dst + j] = x[src + j] - mean[j];
            }
        });
        return out;
    }

    /** {@link #center} rounded to float (centred in double first): the kept block, made on first use. */
    private float[] centerFloat(int from, int to) {
        float[] out = sharedFloat;
        if (kept != null) {
            int b = from / blockRows;
            if (kept[b] != null) {
                return kept[b];
            }
            out = kept[b] = new float[(to - from) * d];
        }
        float[] o = out;
        Parallel.forEach(to - from, d, r -> {
            int src = (from + r) * d;
            int dst = r * d;
            double squares = 0;
            for (int j = 0; j < d; j++) {
                double c = x[src + j] - mean[j];
                o[dst + j] = (float) c;
                squares += c * c;
            }
            rowSquares[from + r] = squares;
        });
        return o;
    }

    /**
     * {@code Σ_ij Xc[i,j]²}: {@code (n − 1)} times the total variance. In double; from the row sums a pass
     * of {@link #scatterTimesFloat} left behind if there was one, else by a pass of its own.
     */
    double sumOfSquares() {
        double s = 0;
        if (rowSquaresDone) {
            for (double r : rowSquares) {
                s += r;
            }
            return s;
        }
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            double[] buffer = center(from, to);
            for (int p = 0; p < (to - from) * d; p++) {
                s += buffer[p] * buffer[p];
            }
        }
        return s;
    }

    /** {@code Xcᵀ·Xc} ({@code d×d}, row-major), the scatter matrix: {@code (n − 1)} times the covariance. */
    double[] gram() {
        double[] c = new double[d * d];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            double[] buffer = center(from, to);
            Blas.dgemm(true, false, d, d, to - from, 1.0, buffer, d, buffer, d, 1.0, c, d);
        }
        return c;
    }

    /**
     * {@code (Xc·Aᵀ)ᵀ}: for {@code l} feature-space vectors (rows of {@code a}, {@code l×d}) the {@code l}
     * sample-space vectors {@code Xc·a_j} (rows of the {@code l×n} result).
     */
    double[] project(double[] a, int l) {
        double[] y = new double[l * n];
        double[] tile = new double[l * blockRows];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            int m = to - from;
            double[] buffer = center(from, to);
            Blas.dgemm(false, true, l, m, d, 1.0, a, d, buffer, d, 0.0, tile, m); // tile (l×m) = A·Xc_blockᵀ
            for (int j = 0; j < l; j++) {
                System.arraycopy(tile, j * m, y, j * n + from, m);
            }
        }
        return y;
    }

    /**
     * {@code (Xcᵀ·Xc·Aᵀ)ᵀ}, approximately: each of the {@code l} feature-space vectors (rows of {@code a},
     * {@code l×d}) multiplied by the scatter matrix without forming it — one pass over the data, two thin
     * float GEMMs per block, {@code T = A·Xc_bᵀ} ({@code l×m}) then {@code T·Xc_b}, whose {@code l×d}
     * results are summed in double in block order. One round of the power iteration: {@code 4·n·d·l} flops
     * against {@code 2·n·d²} for the scatter matrix itself. Float: see the class comment.
     */
    double[] scatterTimesFloat(double[] a, int l) {
        float[] af = new float[l * d];
        for (int p = 0; p < af.length; p++) {
            af[p] = (float) a[p];
        }
        double[] z = new double[l * d];
        float[] tile = new float[l * blockRows];
        float[] part = new float[l * d];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            int m = to - from;
            float[] block = centerFloat(from, to);
            Blas.sgemm(false, true, l, m, d, 1f, af, d, block, d, 0f, tile, m);
            Blas.sgemm(false, false, l, d, m, 1f, tile, m, block, d, 0f, part, d);
            for (int p = 0; p < part.length; p++) {
                z[p] += part[p];
            }
        }
        rowSquaresDone = true;
        return z;
    }

    /**
     * {@code (Xcᵀ·Yᵀ)ᵀ = Y·Xc}: for {@code l} sample-space vectors (rows of {@code y}, {@code l×n}) the
     * {@code l} feature-space vectors {@code Σ_i y_j[i]·Xc_i} (rows of the {@code l×d} result).
     */
    double[] backProject(double[] y, int l) {
        double[] z = new double[l * d];
        double[] tile = new double[l * blockRows];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            int m = to - from;
            double[] buffer = center(from, to);
            for (int j = 0; j < l; j++) {
                System.arraycopy(y, j * n + from, tile, j * m, m);
            }
            Blas.dgemm(false, false, l, d, m, 1.0, tile, m, buffer, d, 1.0, z, d); // Z += Y_block·Xc_block
        }
        return z;
    }
}
