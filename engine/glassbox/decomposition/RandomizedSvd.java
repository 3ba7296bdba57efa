package glassbox.decomposition;

import glassbox.tensor.Blas;
import glassbox.util.Rng;

/**
 * The top {@code k} singular triplets of the centred data by randomised range finding: Halko, Martinsson &amp;
 * Tropp (2011), "Finding structure with randomness", algorithms 4.4 and 5.1 — what scikit-learn's
 * {@code randomized_svd} computes.
 *
 * <ol>
 *   <li><b>Range finder.</b> Draw a Gaussian test matrix {@code Ω} of {@code l = k + nOversamples} vectors
 *       in feature space. Power iterations {@code Ω ← Xcᵀ·Xc·Ω} sharpen it towards the top right singular
 *       directions (each round multiplies the weight of direction {@code j} by {@code σ_j²}), with a
 *       re-orthonormalisation after every round so the smaller directions are not lost to rounding.
 *       {@code Q} = an orthonormal basis of {@code Y = Xc·Ω}, which samples the range of {@code Xc}.</li>
 *   <li><b>Small SVD.</b> {@code B = Qᵀ·Xc} is only {@code l×d}; its SVD {@code B = Û·S·Vᵀ} gives
 *       {@code Xc ≈ (Q·Û)·S·Vᵀ}.</li>
 * </ol>
 *
 * <p><b>Where we differ from scikit-learn.</b> (1) scikit-learn normalises after each product with
 * {@code Xc} and with {@code Xcᵀ} by an LU factorisation ({@code power_iteration_normalizer="auto"}: none
 * for ≤ 2 iterations, else LU); we apply {@code Xcᵀ·Xc} as one pass over the data and normalise after it
 * by a Householder QR (LAPACK, {@link Blas#orthonormalizeRows}). The subspace is the same in exact
 * arithmetic; in double, normalising once per round only gives up directions with {@code σ_j < 1e-8·σ_1},
 * far below any component worth keeping, and halves the passes over the data. Those passes are float
 * GEMMs ({@link CenteredRows#scatterTimesFloat}): the iterations only choose the subspace, and their
 * rounding moves it far less than the method's own truncation does; {@code Q} and {@code B}, which fix
 * the components and variances reported, are computed in double. (2) The SVD of the small
 * {@code B} goes through the eigen-decomposition of {@code B·Bᵀ} ({@code l×l}):
 * {@code B·Bᵀ = Û·S²·Ûᵀ}, {@code v_j = Bᵀ·û_j / s_j}, then the {@code v_j} are re-orthonormalised. Squaring
 * costs accuracy only for singular values below {@code ~1e-8·s_0} — directions whose explained variance is
 * below {@code 1e-16} of the first. (3) scikit-learn transposes a wide matrix ({@code n < d}) first; we do
 * not (the algorithm is the same on either side; only the random draws differ). (4) {@code l} is capped at
 * {@code min(n, d)}: more vectors than that cannot be orthonormal, and add nothing. (5) When the features
 * are few ({@link #formsScatterMatrix}: MNIST's 784 with {@code k = 50}), the power iterations multiply by
 * the scatter matrix {@code Xcᵀ·Xc}, formed once, instead of passing over the data each round — the same
 * product, associated differently.
 * The random numbers come from {@link Rng}, not numpy's Mersenne Twister, so values agree with scikit-learn's
 * to the algorithm's accuracy, not bit for bit.
 */
final class RandomizedSvd {
    private RandomizedSvd() {
    }

    /**
     * The top {@code k} triplets: {@code vt} ({@code k×d}, rows orthonormal), {@code s} (descending) and
     * {@code ut} ({@code k×n}, the left singular vectors {@code Q·Û} as rows), signs not yet fixed; and
     * {@code sumOfSquares = Σ Xc[i,j]²} ({@code (n − 1)} × the total variance), which came along cheaply.
     */
    record Triplets(double[] vt, double[] s, double[] ut, double sumOfSquares) {
    }

    /**
     * Whether the power iterations should form the scatter matrix {@code C = Xcᵀ·Xc} once ({@code 2·n·d²}
     * flops, one efficient GEMM) rather than apply it as two thin products per round
     * ({@code 4·n·d·l} flops a round): when {@code d < 2·nIter·l}, and {@code C} is at most 4096².
     */
    static boolean formsScatterMatrix(int d, int l, int nIter) {
        return d <= 4096 && d < 2L * nIter * l;
    }

    /**
     * @param x row-major {@code n×d} data, {@code mean} its column means; {@code 1 ≤ k ≤ min(n, d)}
     */
    static Triplets compute(float[] x, int n, int d, double[] mean, int k, int nOversamples, int nIter,
                            long seed) {
        int l = Math.min(k + nOversamples, Math.min(n, d));
        Rng rng = new Rng(seed);
        double[] omega = new double[l * d]; // l test vectors in feature space, one per row
        for (int i = 0; i < omega.length; i++) {
            omega[i] = rng.nextGaussian();
        }
        CenteredRows xc;
        double sumOfSquares;
        if (formsScatterMatrix(d, l, nIter)) {
            xc = new CenteredRows(x, n, d, mean, d, false); // tall blocks: C is copied on every dgemm
            double[] c = xc.gram();
            sumOfSquares = 0;
            for (int j = 0; j < d; j++) {
                sumOfSquares += c[j * d + j];
            }
            double[] z = new double[l * d];
            for (int it = 0; it < nIter; it++) {
                Blas.dgemm(false, false, l, d, d, 1.0, omega, d, c, d, 0.0, z, d); // Ω ← Ω·C (C symmetric)
                double[] t = omega;
                omega = z;
                z = t;
                Blas.orthonormalizeRows(l, d, omega);
            }
        } else {
            xc = new CenteredRows(x, n, d, mean, 1, true); // one pass per round: keep float centred blocks
            for (int it = 0; it < nIter; it++) {
                omega = xc.scatterTimesFloat(omega, l); // Ω ← Xcᵀ·Xc·Ω, one pass over the data, in float
                Blas.orthonormalizeRows(l, d, omega);
            }
            sumOfSquares = xc.sumOfSquares();
        }
        double[] q = xc.project(omega, l);
        Blas.orthonormalizeRows(l, n, q);      // Q: orthonormal basis of the sampled range
        double[] b = xc.backProject(q, l);     // B = Qᵀ·Xc, l×d

        double[] g = new double[l * l];        // B·Bᵀ = Û·S²·Ûᵀ
        Blas.dgemm(false, true, l, l, d, 1.0, b, d, b, d, 0.0, g, l);
        double[] w = new double[l];
        Blas.dsyevd(l, g, w);                  // eigenvectors as rows, eigenvalues ascending
        double[] uHat = new double[k * l];     // the top k eigenvectors û_j, descending, as rows
        double[] s = new double[k];
        for (int j = 0; j < k; j++) {
            int e = l - 1 - j;
            System.arraycopy(g, e * l, uHat, j * l, l);
            s[j] = Math.sqrt(Math.max(0.0, w[e]));
        }
        double[] vt = new double[k * d];       // v_j = Bᵀ·û_j / s_j
        Blas.dgemm(false, false, k, d, l, 1.0, uHat, l, b, d, 0.0, vt, d);
        double[] unnormalised = vt.clone();
        for (int j = 0; j < k; j++) {
            double inv = s[j] > 0 ? 1.0 / s[j] : 0.0; // a zero direction is completed by the QR below
            for (int c = 0; c < d; c++) {
                vt[j * d + c] *= inv;
            }
        }
        Blas.orthonormalizeRows(k, d, vt);
        for (int j = 0; j < k; j++) {          // QR may flip a row; keep each v_j pointing as Bᵀ·û_j does
            double dot = 0;
            for (int c = 0; c < d; c++) {
                dot += vt[j * d + c] * unnormalised[j * d + c];
            }
            if (dot < 0) {
                for (int c = 0; c < d; c++) {
                    vt[j * d + c] = -vt[j * d + c];
                }
            }
        }
        double[] ut = new double[k * n];       // U = Q·Û, as rows: Ûᵀ·Qᵀ
        Blas.dgemm(false, false, k, n, l, 1.0, uHat, l, q, n, 0.0, ut, n);
        return new Triplets(vt, s, ut, sumOfSquares);
    }
}
