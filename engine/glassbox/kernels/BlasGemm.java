package glassbox.kernels;

import glassbox.tensor.Blas;

/** The top rung: the engine's {@link Blas} facade (jblas → OpenBLAS), the figure every other rung is compared with. */
public final class BlasGemm implements Gemm {
    @Override
    public String name() {
        return "BLAS facade";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Blas.sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc);
    }
}
