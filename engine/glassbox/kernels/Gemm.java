package glassbox.kernels;

import glassbox.tensor.Blas;

/**
 * One rung of the GEMM ladder: {@code C = op(A)·op(B)}, all row-major, {@code C} overwritten.
 *
 * <p>The argument order is {@link glassbox.tensor.Blas#sgemm}'s without {@code alpha} and {@code beta}
 * (always 1 and 0 here): {@code op(A)} is {@code m×k}, {@code op(B)} is {@code k×n}, {@code C} is {@code m×n}
 * with leading dimension {@code ldc ≥ n}. Rungs are teaching and benchmark code; the engine's layers call
 * {@link glassbox.tensor.Blas} directly.
 */
public interface Gemm {
    /** A short name for tables and plots, e.g. {@code "naive ijk"}. */
    String name();

    /** {@code C = op(A)·op(B)}; {@code A} is {@code m×k} (or {@code k×m} stored, when transposed), likewise {@code B}. */
    void multiply(boolean transA, boolean transB, int m, int n, int k,
                  float[] a, int lda, float[] b, int ldb, float[] c, int ldc);

    /**
     * The checks every rung makes before touching an array, with {@link glassbox.tensor.Blas#sgemm}'s messages:
     * no negative dimension, each leading dimension at least its row length, each array long enough.
     */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Blas.checkGemmOperands(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
    }
}
