package glassbox.manifold;

import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Exact PCA scores for t-SNE's {@code init='pca'}: the data centred and projected on the top eigenvectors of
 * its covariance matrix, all in double.
 *
 * <pre>
 *   C = (X − μ)ᵀ·(X − μ) / (n − 1)                 d×d, accumulated block by block with dgemm
 *   C = V·Λ·Vᵀ                                      commons-math3's EigenDecomposition (symmetric)
 *   scores = (X − μ)·V[:, :nComponents]             eigenvalues in descending order
 * </pre>
 *
 * <p>Each component's sign follows scikit-learn's {@code svd_flip} (its {@code u}-based rule): the score of
 * largest magnitude is made positive. scikit-learn's t-SNE uses a randomized SVD here; an exact PCA gives
 * the same subspace up to its tolerance. The eigendecomposition costs O(d³): fine for the d ≤ a few
 * thousand features t-SNE is usually given (after a PCA to 50, d = 50).
 *
 * <p>A private helper until {@code glassbox.decomposition.Pca} exists, which should replace it.
 */
final class PcaInitialization {
    private static final int BLOCK = 1024;

    private PcaInitialization() {
    }

    /** The first {@code nComponents} principal-component scores of {@code x} ({@code (n, d)}), row-major {@code n×nComponents}. */
    static double[] scores(Tensor x, int nComponents) {
        int n = x.dim(0);
        int d = x.dim(1);
        if (nComponents > d) {
            throw new IllegalArgumentException("PCA initialisation: nComponents is " + nComponents
                    + " but the data has only " + d + " features; expected nComponents ≤ n_features (or init RANDOM)");
        }
        float[] data = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                mean[c] += data[i * d + c];
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
        }
        double[] cov = new double[d * d];
        double[] block = new double[Math.min(BLOCK, n) * d];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int rows = Math.min(BLOCK, n - r0);
            centredRows(data, mean, d, r0, rows, block);
            Blas.dgemm(true, false, d, d, rows, 1.0, block, d, block, d, 1.0, cov, d);
        }
        RealMatrix covariance = new Array2DRowRealMatrix(d, d);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                // symmetrise exactly: the two halves of a GEMM product can differ in the last bit
                covariance.setEntry(a, b, (cov[a * d + b] + cov[b * d + a]) / (2.0 * Math.max(1, n - 1)));
            }
        }
        EigenDecomposition eigen = new EigenDecomposition(covariance);
        double[] values = eigen.getRealEigenvalues();
        Integer[] order = new Integer[d];
        for (int c = 0; c < d; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (u, v) -> Double.compare(values[v], values[u]));
        double[] components = new double[d * nComponents];          // d×nComponents
        for (int j = 0; j < nComponents; j++) {
            double[] vector = eigen.getEigenvector(order[j]).toArray();
            for (int c = 0; c < d; c++) {
                components[c * nComponents + j] = vector[c];
            }
        }
        double[] scores = new double[n * nComponents];
        double[] part = new double[Math.min(BLOCK, n) * nComponents];
        for (int r0 = 0; r0 < n; r0 += BLOCK) {
            int rows = Math.min(BLOCK, n - r0);
            centredRows(data, mean, d, r0, rows, block);
            Blas.dgemm(false, false, rows, nComponents, d, 1.0, block, d, components, nComponents, 0.0, part, nComponents);
            System.arraycopy(part, 0, scores, r0 * nComponents, rows * nComponents);
        }
        flipSigns(scores, n, nComponents);
        return scores;
    }

    private static void centredRows(float[] data, double[] mean, int d, int r0, int rows, double[] into) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < d; c++) {
                into[r * d + c] = data[(r0 + r) * d + c] - mean[c];
            }
        }
    }

    /** scikit-learn's {@code svd_flip(u, v)}: each column's entry of largest magnitude made positive. */
    private static void flipSigns(double[] scores, int n, int k) {
        for (int j = 0; j < k; j++) {
            int arg = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(scores[i * k + j]) > Math.abs(scores[arg * k + j])) {
                    arg = i;
                }
            }
            if (scores[arg * k + j] < 0) {
                for (int i = 0; i < n; i++) {
                    scores[i * k + j] = -scores[i * k + j];
                }
            }
        }
    }
}
