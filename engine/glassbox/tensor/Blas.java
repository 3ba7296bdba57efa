package glassbox.tensor;

import org.jblas.NativeBlas;

/**
 * The one door to BLAS: every matrix product in glassbox goes through here, and this is the only class
 * that imports jblas.
 *
 * <p><b>Storage order.</b> glassbox stores matrices row-major; BLAS (Fortran) reads them column-major.
 * A row-major {@code m×n} matrix with leading dimension {@code ld} is, read column-major, its own
 * transpose ({@code n×m}, same {@code ld}). So the row-major product {@code C = op(A)·op(B)} is computed as
 * the column-major product {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: swap the operands, swap {@code m} and {@code n},
 * keep the transpose flags. No data is copied or rearranged on the Java side.
 *
 * <p><b>Cost.</b> jblas hands each Java array to native code by copying it in (and the output back out),
 * so a call costs {@code O(size of every array)} on top of the {@code 2·m·n·k} flops: for small products
 * that copy, not the arithmetic, dominates (see the README's performance section).
 */
public final class Blas {
    private static volatile boolean loaded;

    private Blas() {
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, all row-major, {@code op(X)} being {@code X} or {@code Xᵀ}.
     *
     * @param transA whether to use {@code Aᵀ}; {@code op(A)} is {@code m×k}, so {@code A} is {@code m×k}
     *               (lda ≥ k) or, transposed, {@code k×m} (lda ≥ m)
     * @param transB whether to use {@code Bᵀ}; {@code op(B)} is {@code k×n}
     * @param c      {@code m×n}, leading dimension {@code ldc ≥ n}; overwritten (beta = 0) or accumulated into
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        checkOperand("A", a, transA ? k : m, transA ? m : k, lda);
        checkOperand("B", b, transB ? n : k, transB ? k : n, ldb);
        checkOperand("C", c, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // BLAS would still scale C by beta; do the same without a native call
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[i * ldc + j] *= beta;
                }
            }
            return;
        }
        ensureLoaded();
        NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, alpha,
                b, 0, ldb, a, 0, lda, beta, c, 0, ldc);
    }

    /** Double-precision twin of {@link #sgemm}, for algorithms whose accuracy needs it (PCA, t-SNE). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        checkOperand("A", a.length, transA ? k : m, transA ? m : k, lda);
        checkOperand("B", b.length, transB ? n : k, transB ? k : n, ldb);
        checkOperand("C", c.length, m, n, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[i * ldc + j] *= beta;
                }
            }
            return;
        }
        ensureLoaded();
        NativeBlas.dgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, alpha,
                b, 0, ldb, a, 0, lda, beta, c, 0, ldc);
    }

    /**
     * Eigen-decomposition of a symmetric {@code n×n} matrix, LAPACK's {@code dsyevd} (divide and conquer;
     * what numpy's {@code eigh} calls): {@code A = Σ_j w[j]·v_j·v_jᵀ} with orthonormal {@code v_j}.
     *
     * <p>A symmetric matrix reads the same row- or column-major, so no swap is needed on the way in; on the
     * way out LAPACK writes eigenvector {@code j} as column {@code j} of a column-major matrix, which is
     * <b>row</b> {@code j} of our row-major one: {@code a[j·n + i]} is component {@code i} of {@code v_j}.
     *
     * @param a row-major {@code n×n}, symmetric (only the upper triangle, read column-major, is used);
     *          overwritten by the eigenvectors, one per row
     * @param w receives the {@code n} eigenvalues in <b>ascending</b> order
     * @throws IllegalArgumentException if the arrays are too short
     * @throws IllegalStateException if LAPACK reports a failure to converge
     */
    public static void dsyevd(int n, double[] a, double[] w) {
        checkOperand("A", a.length, n, n, Math.max(1, n));
        if (w.length < n) {
            throw new IllegalArgumentException("w has " + w.length + " elements; expected at least n = " + n);
        }
        if (n == 0) {
            return;
        }
        ensureLoaded();
        int info = NativeBlas.dsyevd('V', 'U', n, a, 0, n, w, 0);
        if (info != 0) {
            throw new IllegalStateException("LAPACK dsyevd failed with info = " + info + " on a " + n + "×" + n
                    + " matrix" + (info > 0 ? " (the algorithm did not converge)" : ""));
        }
    }

    /**
     * Replaces the rows of a row-major {@code rows×cols} matrix ({@code rows ≤ cols}) by orthonormal rows
     * spanning the same space: the {@code Q} of a Householder QR factorisation, LAPACK's {@code dgeqrf}
     * then {@code dorgqr} (what {@code scipy.linalg.qr(mode="economic")} calls).
     *
     * <p>Read column-major, our row-major {@code rows×cols} array is the {@code cols×rows} matrix whose
     * columns are our rows, so factorising it directly makes our rows the columns of {@code Q}: row {@code j}
     * becomes {@code ±}(row {@code j} minus its projection on rows {@code 0…j−1}), normalised. The sign is
     * LAPACK's (the sign of {@code R}'s diagonal), not fixed here. Rows that are linearly dependent still
     * come out orthonormal (Householder QR always returns an orthonormal {@code Q}), which is why this and
     * not Gram–Schmidt normalises randomized SVD's power iterations.
     *
     * @throws IllegalArgumentException if {@code rows > cols} or the array is too short
     */
    public static void orthonormalizeRows(int rows, int cols, double[] a) {
        checkOperand("A", a.length, rows, cols, Math.max(1, cols));
        if (rows > cols) {
            throw new IllegalArgumentException("orthonormalizeRows: " + rows + " rows of length " + cols
                    + "; expected at most as many rows as columns");
        }
        if (rows == 0) {
            return;
        }
        ensureLoaded();
        double[] tau = new double[rows];
        int info = NativeBlas.dgeqrf(cols, rows, a, 0, cols, tau, 0);
        if (info == 0) {
            info = NativeBlas.dorgqr(cols, rows, rows, a, 0, cols, tau, 0);
        }
        if (info != 0) {
            throw new IllegalStateException("LAPACK dgeqrf/dorgqr failed with info = " + info);
        }
    }

    /**
     * {@code C = op(A)·op(B)} for 2-D tensors, written into {@code c} (beta = 0). Shapes are checked and
     * a mismatch names both shapes.
     */
    public static void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D tensors, got A" + Tensor.shapeString(a.shape())
                    + ", B" + Tensor.shapeString(b.shape()) + ", C" + Tensor.shapeString(c.shape()));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("matmul shape mismatch: op(A) is " + m + "×" + k + ", op(B) is "
                    + kb + "×" + n + ", C is " + c.dim(0) + "×" + c.dim(1) + " (expected " + m + "×" + n + ")");
        }
        sgemm(transA, transB, m, n, k, 1f, a.data(), a.dim(1), b.data(), b.dim(1), 0f, c.data(), c.dim(1));
    }

    private static void checkOperand(String name, float[] x, int rows, int cols, int ld) {
        checkOperand(name, x.length, rows, cols, ld);
    }

    private static void checkOperand(String name, int length, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " has negative dimensions " + rows + "×" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " is " + ld
                    + " but it must be at least its row length " + cols);
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (needed > length) {
            throw new IllegalArgumentException(name + " is " + rows + "×" + cols + " with leading dimension " + ld
                    + " and needs " + needed + " elements, but its array has " + length);
        }
    }

    /**
     * Loads jblas's native library once, turning the cryptic failure of a machine without
     * {@code libgfortran.so.5} into one that says what to install.
     */
    public static void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (Blas.class) {
            if (loaded) {
                return;
            }
            org.jblas.util.Logger.getLogger().setLevel(org.jblas.util.Logger.WARNING);
            try {
                float[] one = {1f};
                float[] out = {0f};
                NativeBlas.sgemm('N', 'N', 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                throw new IllegalStateException("jblas's native BLAS could not be loaded (" + e.getMessage() + "). "
                        + "It needs libgfortran.so.5: run './glassbox setup' or 'apt-get install -y libgfortran5'.", e);
            }
            loaded = true;
        }
    }

    /**
     * What BLAS this process runs, as the launcher measured and chose it ({@code GLASSBOX_BLAS}), or
     * jblas's bundled OpenBLAS when started without the launcher.
     */
    public static String describe() {
        String chosen = System.getenv("GLASSBOX_BLAS");
        if (chosen != null && !chosen.isBlank()) {
            return chosen; // the launcher's description already names the kernel and the thread count
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        return "jblas 1.2.5 bundled OpenBLAS (not chosen by the launcher)"
                + (core != null && !core.isEmpty() ? ", OPENBLAS_CORETYPE=" + core : "");
    }
}
