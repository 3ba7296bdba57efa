package glassbox.bench;

import glassbox.kernels.BlasGemm;
import glassbox.kernels.Gemm;
import java.util.List;

/**
 * The GEMM rungs the convolution ladder climbs ({@link ConvLadderBenchmark}: one {@code im2col + …} rung
 * each), slowest first, the BLAS facade last. The one place that list comes from.
 */
final class GemmRungs {
    private GemmRungs() {
    }

    static List<Gemm> all() {
        return List.of(new TextbookGemm(), new BlasGemm());
    }

    /** The ijk triple loop in float, one core: the bottom of the GEMM ladder, without its refinements. */
    static final class TextbookGemm implements Gemm {
        @Override
        public String name() {
            return "textbook loop";
        }

        @Override
        public void multiply(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                    }
                    c[i * ldc + j] = sum;
                }
            }
        }
    }
}
