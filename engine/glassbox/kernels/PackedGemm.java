package glassbox.kernels;

import java.util.Arrays;

/**
 * Rung 4, Goto's algorithm (Goto &amp; van de Geijn 2008, as BLIS structures it): blocks of {@code A} and
 * {@code B} are copied ("packed") into buffers laid out in the exact order a small micro-kernel reads them,
 * and the micro-kernel updates an {@code MR×NR} tile of {@code C} from them.
 * <pre>
 *   for jc in n step NC:             B panel KC×NC      packed once, reused by every row block
 *     for pc in k step KC:
 *       pack op(B)[pc:pc+KC, jc:jc+NC] into NC/NR slivers, each KC rows of NR floats
 *       for ic in m step MC:         A block MC×KC      packed once, 128 KiB: stays in L2
 *         pack op(A)[ic:ic+MC, pc:pc+KC] into MC/MR micro-panels, each KC columns of MR floats
 *         for each MR-row micro-panel × NR-column sliver: tile = micro-kernel(KC); C tile += tile
 * </pre>
 *
 * <p>What it teaches:
 * <ul>
 *   <li><b>Packing</b> turns every operand into unit-stride streams: the micro-kernel never strides by
 *       {@code lda} or {@code ldb}, touches few pages (no TLB misses), and does not care whether {@code A} or
 *       {@code B} was transposed: the transposes cost one strided read during packing, O(mk + kn) work for an
 *       O(mnk) product.</li>
 *   <li><b>The register tile</b>: in the micro-kernel each value of {@code A} loaded is used {@code NR} times
 *       and each value of {@code B} {@code MR} times, so loads stop being the bottleneck.</li>
 *   <li><b>Writing for the JIT</b>: JDK 17's C2 vectorises a loop only when all its array indices share one
 *       offset ({@link IkjGemm}). So a packed B sliver is one {@code float[NR]} per k-step and the tile's
 *       rows are separate arrays: the inner loop reads {@code bRow[j]} and updates {@code t0[j] … t3[j]},
 *       all offset 0, and C2 turns it into AVX-512 FMAs. What plain Java cannot do is keep the tile in
 *       registers across the k loop: each step loads and stores it (from L1). The Vector API rung can.</li>
 * </ul>
 *
 * <p>Sizes, from this CPU's caches (see {@link BlockedGemm}): {@code MR = 4} rows (C2 stopped vectorising
 * the loop at 8), {@code NR = 128} columns (8 AVX-512 vectors: the tile is 2 KiB of L1); a B sliver,
 * {@code KC·NR·4} = 128 KiB, and the A block, {@code MC·KC·4} = 128 KiB, share L2 (1 MiB) with room to
 * spare; the whole B panel, {@code KC·NC·4} = 512 KiB, is half of L2 and well inside L3.
 */
public final class PackedGemm implements Gemm {
    static final int MR = 4;
    static final int NR = 128;
    static final int KC = 256;
    static final int MC = 128;
    static final int NC = 512;

    @Override
    public String name() {
        return "packed";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        zero(c, m, n, ldc);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        float[][][] bPanel = new float[ceilDiv(Math.min(NC, n), NR)][Math.min(KC, k)][NR];
        float[] aBlock = new float[ceilDiv(Math.min(MC, m), MR) * MR * Math.min(KC, k)];
        float[][] tile = new float[MR][NR];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(transB, b, ldb, pc, kc, jc, nc, bPanel);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, lda, ic, mc, pc, kc, aBlock);
                    for (int ir = 0; ir < mc; ir += MR) {
                        for (int jr = 0; jr < nc; jr += NR) {
                            microKernel(kc, aBlock, ir * kc, bPanel[jr / NR], tile);
                            addTile(tile, c, ldc, ic + ir, Math.min(MR, mc - ir), jc + jr, Math.min(NR, nc - jr));
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code tile = Σ_p ap[p]ᵀ·bSliver[p]} over {@code kc} steps: for each step, the {@code MR} values of
     * the A micro-panel ({@code ap[aOffset + p·MR + r]}) times the {@code NR} values of the B sliver's row.
     */
    static void microKernel(int kc, float[] ap, int aOffset, float[][] bSliver, float[][] tile) {
        float[] t0 = tile[0];
        float[] t1 = tile[1];
        float[] t2 = tile[2];
        float[] t3 = tile[3];
        for (float[] row : tile) {
            Arrays.fill(row, 0f);
        }
        for (int p = 0; p < kc; p++) {
            int q = aOffset + p * MR;
            float a0 = ap[q];
            float a1 = ap[q + 1];
            float a2 = ap[q + 2];
            float a3 = ap[q + 3];
            float[] bRow = bSliver[p];
            for (int j = 0; j < NR; j++) { // every index is j + 0: C2 vectorises this loop
                float bj = bRow[j];
                t0[j] = Math.fma(a0, bj, t0[j]);
                t1[j] = Math.fma(a1, bj, t1[j]);
                t2[j] = Math.fma(a2, bj, t2[j]);
                t3[j] = Math.fma(a3, bj, t3[j]);
            }
        }
    }

    /** {@code op(A)[i0:i0+mc, p0:p0+kc]} into micro-panels: row {@code r}, step {@code p} at {@code (r/MR)·kc·MR + p·MR + r%MR}; zero rows pad the last. */
    static void packA(boolean transA, float[] a, int lda, int i0, int mc, int p0, int kc, float[] packed) {
        int rows = ceilDiv(mc, MR) * MR;
        for (int r = 0; r < rows; r++) {
            int base = (r / MR) * kc * MR + r % MR;
            int i = i0 + r;
            for (int p = 0; p < kc; p++) {
                packed[base + p * MR] = r >= mc ? 0f : transA ? a[(p0 + p) * lda + i] : a[i * lda + p0 + p];
            }
        }
    }

    /** {@code op(B)[p0:p0+kc, j0:j0+nc]} into slivers: {@code packed[s][p][j] = op(B)[p0+p][j0 + s·NR + j]}, zeros past {@code nc}. */
    static void packB(boolean transB, float[] b, int ldb, int p0, int kc, int j0, int nc, float[][][] packed) {
        for (int s = 0; s < ceilDiv(nc, NR); s++) {
            for (int p = 0; p < kc; p++) {
                float[] row = packed[s][p];
                for (int j = 0; j < NR; j++) {
                    int col = s * NR + j;
                    row[j] = col >= nc ? 0f : transB ? b[(j0 + col) * ldb + p0 + p] : b[(p0 + p) * ldb + j0 + col];
                }
            }
        }
    }

    /** {@code C[i0:i0+rows, j0:j0+cols] += tile}: only the valid part of a tile that hangs over the edge. */
    static void addTile(float[][] tile, float[] c, int ldc, int i0, int rows, int j0, int cols) {
        for (int r = 0; r < rows; r++) {
            float[] t = tile[r];
            int ci = (i0 + r) * ldc + j0;
            for (int j = 0; j < cols; j++) {
                c[ci + j] += t[j];
            }
        }
    }

    static void zero(float[] c, int m, int n, int ldc) {
        for (int i = 0; i < m; i++) {
            Arrays.fill(c, i * ldc, i * ldc + n, 0f);
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
