package glassbox.kernels;

import java.util.Arrays;

/**
 * Rung 2, the same sum with the loops swapped to i-k-j: {@code C[i][·] += op(A)[i][p]·op(B)[p][·]}, a
 * row of {@code C} updated by a scaled row of {@code B} (an AXPY) for each {@code p}.
 *
 * <p>What it teaches: loop order is a memory-access decision. Now the inner loop walks a row of {@code B} and a
 * row of {@code C}, both contiguous: every float of each cache line fetched is used, and the hardware
 * prefetcher sees the stream coming. No dependency chain either: each {@code C[i][j]} is its own sum.
 *
 * <p>A second lesson, about the JIT: a contiguous loop is what a compiler <em>can</em> vectorise, but HotSpot
 * C2 in JDK 17 vectorises a loop only when every array index in it is the loop variable plus one
 * <em>common</em> offset; {@code c[i·ldc + j]} and {@code b[p·ldb + j]} have two, so this loop stays
 * scalar (measured: a lone AXPY with two distinct offsets runs ~5× slower than with one). The packed rung
 * works around it. With {@code B} transposed its rows are columns again, and the inner loop strides by
 * {@code ldb}: only packing ({@link PackedGemm}) makes the transposes free.
 */
public final class IkjGemm implements Gemm {
    @Override
    public String name() {
        return "ikj";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            Arrays.fill(c, ci, ci + n, 0f);
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[p * lda + i] : a[i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }
}
