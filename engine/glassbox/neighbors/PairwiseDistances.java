package glassbox.neighbors;

import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;

/**
 * Squared Euclidean distances between the rows of two matrices, computed as one GEMM per block:
 * {@code ‖a − b‖² = ‖a‖² + ‖b‖² − 2·a·b}. This is how every algorithm in glassbox that needs many
 * distances gets them (k-means assignment, k-NN, DBSCAN's neighbourhoods), as scikit-learn's
 * {@code euclidean_distances} does.
 *
 * <p><b>Precision.</b> The dot products are float GEMMs; the norms are summed in double. Where the two
 * terms nearly cancel (points very close together) the float result carries an absolute error of about
 * {@code 1e-7·(‖a‖² + ‖b‖²)}, and is clamped at 0. Callers that compare a distance against a threshold
 * and need scikit-learn's exact decision recompute the borderline pairs in double
 * ({@link #squaredDistanceExact}).
 *
 * <p><b>Blocks.</b> jblas copies every array it is handed across JNI, whole, on every call; so a block of
 * rows is first copied into its own array ({@link #copyRows}) — handing BLAS an offset into a 188 MB
 * data matrix would copy all of it each time.
 */
public final class PairwiseDistances {
    private PairwiseDistances() {
    }

    /** {@code ‖row i‖²} of a row-major {@code n×d} matrix, summed in double. */
    public static double[] squaredNorms(float[] x, int n, int d) {
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int base = i * d;
            for (int j = 0; j < d; j++) {
                double v = x[base + j];
                s += v * v;
            }
            norms[i] = s;
        }
        return norms;
    }

    /** {@link #squaredNorms(float[], int, int)} of a 2-D tensor. */
    public static double[] squaredNorms(Tensor x) {
        return squaredNorms(x.data(), x.dim(0), x.dim(1));
    }

    /**
     * {@code out[i·p + j] = max(0, aNorms[i] + bNorms[j] − 2·a_i·b_j)} for a row-major {@code m×d} block
     * {@code a} and {@code p×d} block {@code b}; {@code out} holds at least {@code m·p} floats.
     */
    public static void squaredEuclidean(float[] a, double[] aNorms, int m, float[] b, double[] bNorms, int p,
                                        int d, float[] out) {
        if (m == 0 || p == 0) {
            return;
        }
        Blas.sgemm(false, true, m, p, d, -2f, a, d, b, d, 0f, out, p);
        for (int i = 0; i < m; i++) {
            double an = aNorms[i];
            int base = i * p;
            for (int j = 0; j < p; j++) {
                float v = (float) (an + bNorms[j] + out[base + j]);
                out[base + j] = v > 0f ? v : 0f;
            }
        }
    }

    /** Rows {@code [from, to)} of a row-major matrix with {@code d} columns, copied into {@code into}. */
    public static float[] copyRows(float[] x, int d, int from, int to, float[] into) {
        System.arraycopy(x, from * d, into, 0, (to - from) * d);
        return into;
    }

    /** {@code ‖a_i − b_j‖²} summed in double, straight from the definition (for borderline decisions). */
    public static double squaredDistanceExact(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        int ai = i * d;
        int bj = j * d;
        for (int c = 0; c < d; c++) {
            double diff = (double) a[ai + c] - b[bj + c];
            s += diff * diff;
        }
        return s;
    }

    /**
     * Checks that {@code x} is a non-empty 2-D data matrix of finite values, as every estimator's
     * {@code fit} requires; the message names {@code argument} and the first offending entry.
     */
    public static void requireFiniteMatrix(String argument, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(argument + " is null; expected an (n_samples, n_features) matrix");
        }
        if (x.rank() != 2) {
            throw new IllegalArgumentException(argument + " has shape " + Tensor.shapeString(x.shape())
                    + "; expected a 2-D (n_samples, n_features) matrix");
        }
        if (x.dim(0) == 0 || x.dim(1) == 0) {
            throw new IllegalArgumentException(argument + " has shape " + Tensor.shapeString(x.shape())
                    + "; expected at least one sample and one feature");
        }
        float[] v = x.data();
        int d = x.dim(1);
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(argument + " contains " + v[i] + " at row " + (i / d)
                        + ", column " + (i % d) + "; expected finite values (no NaN or infinity)");
            }
        }
    }
}
