package glassbox.kernels;

/**
 * Rung 1, the definition: {@code C[i][j] = Σ_p op(A)[i][p]·op(B)[p][j]}, one dot product per entry, loops
 * in the order i-j-k.
 *
 * <p>What it teaches: the arithmetic is fine, the memory order is not. The inner loop walks {@code B} down
 * a column, {@code ldb} floats apart, so every step touches a new cache line (and, for large matrices, a new
 * page: a TLB miss); the line's other 15 floats are evicted before they are used. The sum is also one long
 * dependency chain (each add waits for the previous one), so even the FMA units idle. Expect well under
 * 1 GFLOP/s on large sizes: the memory system, not the CPU, sets the pace.
 */
public final class NaiveGemm implements Gemm {
    @Override
    public String name() {
        return "naive ijk";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += aip * bpj;
                }
                c[i * ldc + j] = sum;
            }
        }
    }
}
