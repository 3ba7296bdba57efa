package glassbox.kernels;

import glassbox.util.Parallel;

/**
 * Rung 5, {@link PackedGemm} over every core: after each panel of {@code B} and of {@code A} is packed, the
 * micro-kernel calls are independent tasks, shared out by {@link Parallel#forEach}.
 *
 * <p>What it teaches: split the work so that no two threads write the same entry and no entry's sum
 * depends on who computed it. A task is a fixed piece of the output — {@value #ROWS_PER_TASK} rows by one
 * {@code NR}-column sliver, fixed by the shape alone — and does exactly what the one-thread rung does for it,
 * adding the {@code KC}-deep partial products into {@code C} in the same order. So the result is the same
 * bits as {@link PackedGemm}'s whatever the thread count (a test checks it with 1 and 2 threads). The
 * small tasks (hundreds per panel at 1024²) also balance themselves across cores that are not equally free.
 *
 * <p>The A panel here is all {@code m} rows by {@code KC} (no {@code MC} blocking: each task reads only its
 * own micro-panels), packed by the calling thread, as is the B panel: packing is {@code 1/NC} (for A) and
 * {@code 1/m} (for B) of the arithmetic.
 */
public final class ParallelGemm implements Gemm {
    /** Rows of C per task: 4 micro-panels, so that a 32-row MLP batch still gives two tasks per sliver. */
    static final int ROWS_PER_TASK = 4 * PackedGemm.MR;

    @Override
    public String name() {
        return "packed, " + Runtime.getRuntime().availableProcessors() + " threads";
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        Gemm.checkArguments(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        PackedGemm.zero(c, m, n, ldc);
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        int nr = PackedGemm.NR;
        float[][][] bPanel = new float[PackedGemm.ceilDiv(Math.min(PackedGemm.NC, n), nr)][Math.min(PackedGemm.KC, k)][nr];
        float[] aPanel = new float[PackedGemm.ceilDiv(m, PackedGemm.MR) * PackedGemm.MR * Math.min(PackedGemm.KC, k)];
        int rowGroups = PackedGemm.ceilDiv(m, ROWS_PER_TASK);
        for (int jc = 0; jc < n; jc += PackedGemm.NC) {
            int nc = Math.min(PackedGemm.NC, n - jc);
            int slivers = PackedGemm.ceilDiv(nc, nr);
            for (int pc = 0; pc < k; pc += PackedGemm.KC) {
                int kc = Math.min(PackedGemm.KC, k - pc);
                PackedGemm.packB(transB, b, ldb, pc, kc, jc, nc, bPanel);
                PackedGemm.packA(transA, a, lda, 0, m, pc, kc, aPanel);
                int j0 = jc;
                Parallel.forEach(rowGroups * slivers, (long) ROWS_PER_TASK * nr * kc, task -> {
                    float[][] tile = new float[PackedGemm.MR][nr];
                    int s = task % slivers;
                    int firstRow = (task / slivers) * ROWS_PER_TASK;
                    int lastRow = Math.min(m, firstRow + ROWS_PER_TASK);
                    for (int ir = firstRow; ir < lastRow; ir += PackedGemm.MR) {
                        PackedGemm.microKernel(kc, aPanel, ir * kc, bPanel[s], tile);
                        PackedGemm.addTile(tile, c, ldc, ir, Math.min(PackedGemm.MR, m - ir),
                                j0 + s * nr, Math.min(nr, nc - s * nr));
                    }
                });
            }
        }
    }
}
