package glassbox.kernels;

import java.util.Arrays;

/**
 * Rung 3, the i-k-j loop of {@link IkjGemm} inside blocks: {@code j} cut into blocks of {@value #JB}
 * columns and {@code p} into blocks of {@value #KB}, so a {@code KB×JB} panel of {@code B} is re-read by
 * every row {@code i} while it is still in cache.
 *
 * <p>What it teaches: reuse distance. Without blocking, the ikj loop streams all of {@code B} (4 MB at 1024²)
 * once per row of {@code C}: from L3 or memory each time. With it, the panel is fetched once per block and
 * then served from L2 {@code m} times.
 *
 * <p>Block sizes from this machine's caches ({@code /sys/devices/system/cpu/cpu0/cache/index*}: L1d 32 KiB
 * 8-way, L2 1 MiB 8-way per core, L3 32 MiB shared; {@code lscpu} agrees):
 * <ul>
 *   <li>the B panel, {@code KB·JB·4} bytes = 256·512·4 = 512 KiB, is half of L2, leaving the other half for the
 *       rows of A and C passing through and for the associativity conflicts a power-of-two stride causes;</li>
 *   <li>inside it, one row segment of C ({@code JB} floats, 2 KiB) is updated {@code KB} times in a row, and
 *       stays in L1 (32 KiB) throughout, together with the B row segment being read (another 2 KiB).</li>
 * </ul>
 * The inner loop is ikj's and is, for the same reason, not vectorised by JDK 17's C2.
 */
public final class BlockedGemm implements Gemm {
    /** Columns per block: a row segment of C and of B is {@code JB·4} = 2 KiB, at home in L1. */
    static final int JB = 512;
    /** Depth per block: the {@code KB×JB} panel of B is 512 KiB, half of this CPU's 1 MiB L2. */
    static final int KB = 256;

    @Override
    public String name() {
        return "blocked";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++) {
            Arrays.fill(c, i * ldc, i * ldc + n, 0f);
        }
        for (int j0 = 0; j0 < n; j0 += JB) {
            int j1 = Math.min(n, j0 + JB);
            for (int p0 = 0; p0 < k; p0 += KB) {
                int p1 = Math.min(k, p0 + KB);
                for (int i = 0; i < m; i++) {
                    int ci = i * ldc;
                    for (int p = p0; p < p1; p++) {
                        float aip = transA ? a[p * lda + i] : a[i * lda + p];
                        if (transB) {
                            for (int j = j0; j < j1; j++) {
                                c[ci + j] += aip * b[j * ldb + p];
                            }
                        } else {
                            int bp = p * ldb;
                            for (int j = j0; j < j1; j++) {
                                c[ci + j] += aip * b[bp + j];
                            }
                        }
                    }
                }
            }
        }
    }
}
