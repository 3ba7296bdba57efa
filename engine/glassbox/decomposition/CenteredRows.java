package glassbox.decomposition;

import glassbox.tensor.Blas;
import glassbox.util.Parallel;

/**
 * The centred data matrix {@code Xc = X − 1·meanᵀ} ({@code n×d}) in double, never held whole: every product
 * with it walks {@code X} (float, row-major) one block of rows at a time, centring each block into a
 * reusable double buffer and handing that to {@code dgemm}. This keeps memory at one float copy of the data
 * (a double copy of 10,000 × 2,304 would be 184 MB) and keeps each JNI call small (jblas copies every array
 * it is given, whole, on every call).
 *
 * <p>An algorithm that passes over the data many times (the randomized solver: one pass per power
 * iteration) can ask for the centred blocks to be <em>kept</em> once made, trading {@code 8·n·d} bytes of
 * memory for the float-to-double centring of every later pass; {@link #MAX_CACHED_DOUBLES} bounds that.
 *
 * <p>Vectors come in "rows" layout: {@code l} vectors of length {@code d} (feature space) or {@code n}
 * (sample space) stored as the rows of a row-major {@code l×d} or {@code l×n} array, so that each vector is
 * contiguous. Sums over blocks run in block order, so results do not depend on the thread count.
 */
final class CenteredRows {
    /** Rows per block: about 256 K doubles (2 MB) of centred data per {@code dgemm}: measured faster than 8 MB or 0.5 MB (the block jblas copies stays in cache). */
    private static final int BLOCK_DOUBLES = 1 << 18;
    /** Centred blocks are kept only up to 2²⁵ doubles (256 MB; MNIST's 60,000 × 784 is 376 MB). */
    static final long MAX_CACHED_DOUBLES = 1L << 25;

    private final float[] x;
    private final int n;
    private final int d;
    private final double[] mean;
    private final int blockRows;
    private final double[] shared;
    /** Centred blocks kept for later passes, or null when each pass centres into {@link #shared}. */
    private final double[][] cached;

    /**
     * @param x            row-major {@code n×d}, not modified
     * @param minBlockRows raises the block height (see {@link #gram()})
     * @param keepBlocks   keep the centred blocks for later passes (if they fit {@link #MAX_CACHED_DOUBLES})
     */
    CenteredRows(float[] x, int n, int d, double[] mean, int minBlockRows, boolean keepBlocks) {
        this.x = x;
        this.n = n;
        this.d = d;
        this.mean = mean;
        this.blockRows = Math.min(n, Math.max(Math.max(1, BLOCK_DOUBLES / d), minBlockRows));
        boolean keep = keepBlocks && (long) n * d <= MAX_CACHED_DOUBLES;
        this.cached = keep ? new double[(n + blockRows - 1) / blockRows][] : null;
        this.shared = keep ? null : new double[blockRows * d];
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
     * Rows {@code [from, to)} of {@code Xc}, row-major, in an array of at least that size: the kept block,
     * or the shared buffer freshly centred. Each row is its own task, so threads do not change the bits.
     */
    private double[] center(int from, int to) {
        double[] buffer = shared;
        if (cached != null) {
            int b = from / blockRows;
            if (cached[b] != null) {
                return cached[b];
            }
            buffer = cached[b] = new double[(to - from) * d];
        }
        double[] out = buffer;
        Parallel.forEach(to - from, d, r -> {
            int src = (from + r) * d;
            int dst = r * d;
            for (int j = 0; j < d; j++) {
                out[dst + j] = x[src + j] - mean[j];
            }
        });
        return out;
    }

    /** {@code Σ_ij Xc[i,j]²}: {@code (n − 1)} times the total variance. */
    double sumOfSquares() {
        double s = 0;
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
     * {@code (Xcᵀ·Xc·Aᵀ)ᵀ}: each of the {@code l} feature-space vectors (rows of {@code a}, {@code l×d})
     * multiplied by the scatter matrix, without forming it — one pass over the data, two thin GEMMs per
     * block: {@code T = A·Xc_bᵀ} ({@code l×m}), then {@code Z += T·Xc_b}. This is one round of the power
     * iteration; it costs {@code 4·n·d·l} flops against {@code 2·n·d²} for the scatter matrix itself.
     */
    double[] scatterTimes(double[] a, int l) {
        double[] z = new double[l * d];
        double[] tile = new double[l * blockRows];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            int m = to - from;
            double[] buffer = center(from, to);
            Blas.dgemm(false, true, l, m, d, 1.0, a, d, buffer, d, 0.0, tile, m);
            Blas.dgemm(false, false, l, d, m, 1.0, tile, m, buffer, d, 1.0, z, d);
        }
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
