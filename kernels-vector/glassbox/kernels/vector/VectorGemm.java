package glassbox.kernels.vector;

import glassbox.kernels.Gemm;
import glassbox.util.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rung 6, the packed algorithm with a micro-kernel written in the JDK's Vector API ({@code jdk.incubator.vector},
 * an incubator module in Java 17: compiled and run only with {@code --add-modules jdk.incubator.vector}, which
 * the engine never needs; {@link glassbox.kernels.GemmLadder} loads this class only when the module is there).
 *
 * <p>What it teaches: the register tile, for real. The micro-kernel keeps a {@value #MR}×(2 vectors) tile of
 * {@code C} — 12 AVX-512 registers of 16 floats, a 6×32 block — in local {@code FloatVector} variables for the
 * whole {@code KC}-deep loop. Each step loads two vectors of the packed B sliver, broadcasts six values of the
 * A micro-panel, and issues 12 FMAs: 12 FMAs per 2 loads, where {@link glassbox.kernels.PackedGemm}'s
 * auto-vectorised loop must load and store its tile around every FMA. C is touched once per {@code KC}
 * steps. This is the shape of OpenBLAS's and BLIS's hand-written assembly kernels (BLIS's Zen kernels are
 * 6×16 doubles), in Java.
 *
 * <p>Packing as in the plain rung, but into flat arrays (the Vector API has no trouble with offsets): a B
 * sliver is {@code KC} rows of {@code NR = 2·lanes} floats, an A micro-panel {@code KC} columns of {@code MR}
 * floats. Blocks: {@code KC = 256}; a task multiplies one B sliver ({@code KC·NR·4} = 32 KiB with AVX-512:
 * it stays in L1 while used) by {@code MC = 96} rows of A (96 KiB of micro-panels, in L2); the B panel
 * ({@code NC = 512} columns, 512 KiB) is half of L2. On every core, the tasks (and the packing) are shared out
 * as in {@link glassbox.kernels.ParallelGemm}: a partition fixed by the shape, so the same bits whatever the
 * thread count.
 */
public final class VectorGemm implements Gemm {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int MR = 6;
    static final int NR = 2 * SPECIES.length();
    static final int KC = 256;
    static final int MC = 16 * MR;
    static final int NC = 512;

    private final boolean parallel;

    /** {@code parallel}: share the micro-tiles out over every core (else one thread). */
    public VectorGemm(boolean parallel) {
        this.parallel = parallel;
    }

    @Override
    public String name() {
        return "Vector API" + (parallel ? ", " + Runtime.getRuntime().availableProcessors() + " threads" : "");
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(c, i * ldc, i * ldc + n, 0f);
        }
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int microRows = (m + MR - 1) / MR;
        int rowBlocks = (m + MC - 1) / MC;
        float[] aPanel = new float[microRows * MR * Math.min(KC, k)];
        float[] bPanel = new float[(Math.min(NC, n) + NR - 1) / NR * NR * Math.min(KC, k)];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int slivers = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                int j0 = jc;
                int p0 = pc;
                // packing is a copy, so sharing it out changes no bits either
                forEach(microRows, (long) MR * kc, r -> packA(transA, a, lda, m, r, p0, kc, aPanel));
                forEach(slivers, (long) NR * kc, sliver -> packB(transB, b, ldb, p0, kc, j0, nc, sliver, bPanel));
                // a task: one B sliver (32 KiB, in L1) times MC rows of A (their micro-panels, in L2)
                forEach(rowBlocks * slivers, (long) MC * NR * kc, task -> {
                    float[] tile = new float[MR * NR];
                    int s = task % slivers;
                    int firstRow = (task / slivers) * MC;
                    for (int ir = firstRow; ir < Math.min(m, firstRow + MC); ir += MR) {
                        microKernel(kc, aPanel, ir * kc, bPanel, s * kc * NR, tile);
                        int rows = Math.min(MR, m - ir);
                        int cols = Math.min(NR, nc - s * NR);
                        for (int r = 0; r < rows; r++) {
                            int ci = (ir + r) * ldc + j0 + s * NR;
                            for (int j = 0; j < cols; j++) {
                                c[ci + j] += tile[r * NR + j];
                            }
                        }
                    }
                });
            }
        }
    }

    private void forEach(int count, long workPerItem, java.util.function.IntConsumer body) {
        if (parallel) {
            Parallel.forEach(count, workPerItem, body);
        } else {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
        }
    }

    /** {@code tile (MR×NR, row-major) = Σ_p A micro-panel column p ⊗ B sliver row p}, the 12 accumulators in registers. */
    static void microKernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int half = SPECIES.length();
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bo + p * NR);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bo + p * NR + half);
            int q = ao + p * MR;
            FloatVector a = FloatVector.broadcast(SPECIES, ap[q]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[q + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[q + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[q + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, ap[q + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[q + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
        }
        // one store per register: gathering them in an array first made JDK 17 box every vector (measured:
        // the kernel ran at 7 GFLOP/s instead of 118)
        c00.intoArray(tile, 0);
        c01.intoArray(tile, half);
        c10.intoArray(tile, 2 * half);
        c11.intoArray(tile, 3 * half);
        c20.intoArray(tile, 4 * half);
        c21.intoArray(tile, 5 * half);
        c30.intoArray(tile, 6 * half);
        c31.intoArray(tile, 7 * half);
        c40.intoArray(tile, 8 * half);
        c41.intoArray(tile, 9 * half);
        c50.intoArray(tile, 10 * half);
        c51.intoArray(tile, 11 * half);
    }

    /** Micro-panel {@code mp} of {@code op(A)[0:m, p0:p0+kc]}: row {@code r}, step {@code p} at {@code (r/MR)·kc·MR + p·MR + r%MR}, zero rows padding. */
    static void packA(boolean transA, float[] a, int lda, int m, int mp, int p0, int kc, float[] packed) {
        for (int r = mp * MR; r < (mp + 1) * MR; r++) {
            int base = mp * kc * MR + r % MR;
            for (int p = 0; p < kc; p++) {
                packed[base + p * MR] = r >= m ? 0f : transA ? a[(p0 + p) * lda + r] : a[r * lda + p0 + p];
            }
        }
    }

    /** Sliver {@code s} of {@code op(B)[p0:p0+kc, j0:j0+nc]}: step {@code p}, column {@code j} at {@code s·kc·NR + p·NR + j}, zeros past {@code nc}. */
    static void packB(boolean transB, float[] b, int ldb, int p0, int kc, int j0, int nc, int s, float[] packed) {
        for (int p = 0; p < kc; p++) {
            int base = s * kc * NR + p * NR;
            for (int j = 0; j < NR; j++) {
                int col = s * NR + j;
                packed[base + j] = col >= nc ? 0f : transB ? b[(j0 + col) * ldb + p0 + p] : b[(p0 + p) * ldb + j0 + col];
            }
        }
    }
}
