package glassbox.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Blas;
import glassbox.tensor.ReferenceGemm;
import glassbox.util.Rng;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * Every rung of the GEMM ladder against a double-precision reference and against the BLAS facade, on shapes
 * chosen to break blocked code: odd and prime sizes, sizes of 1, sizes just past the block and tile sizes
 * (so partial tiles and panels occur), all four transpose combinations, and leading dimensions larger than
 * the rows (padding that must be neither read nor written).
 */
class GemmLadderTest {
    /** Marks padding: a rung that reads it goes far wrong, one that writes it is caught. */
    private static final float PAD = 1e6f;

    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 5}, {6, 1, 3}, {5, 3, 1}, {13, 17, 19}, {31, 129, 7}, {7, 130, 257},
        {37, 515, 11}, {131, 33, 263},
    };

    private static float[] padded(int rows, int cols, int ld, Rng rng) {
        float[] x = new float[Math.max(0, rows * ld)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ld; j++) {
                x[i * ld + j] = j < cols ? (float) rng.uniform(-1, 1) : PAD;
            }
        }
        return x;
    }

    /** Runs {@code gemm} on one shape and flag pair and checks it entry by entry; returns C. */
    private static float[] check(Gemm gemm, int m, int n, int k, boolean transA, boolean transB) {
        Rng rng = new Rng(97L * m + 13L * n + k + (transA ? 5 : 0) + (transB ? 11 : 0));
        int lda = (transA ? m : k) + 2;
        int ldb = (transB ? k : n) + 3;
        int ldc = n + 1;
        float[] a = padded(transA ? k : m, transA ? m : k, lda, rng);
        float[] b = padded(transB ? n : k, transB ? k : n, ldb, rng);
        float[] c = padded(m, n, ldc, rng); // garbage in C: a rung must overwrite, not accumulate
        float[] blas = c.clone();
        gemm.multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        new BlasGemm().multiply(transA, transB, m, n, k, a, lda, b, ldb, blas, ldc);
        String where = String.format("%s(transA=%b, transB=%b, m=%d, n=%d, k=%d)", gemm.name(), transA, transB, m, n, k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                float got = c[i * ldc + j];
                if (j >= n) {
                    assertEquals(PAD, got, where + " wrote C's padding at (" + i + ", " + j + ")");
                    continue;
                }
                double expected = ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j);
                double tol = ReferenceGemm.floatTolerance(transA, transB, k, a, lda, b, ldb, i, j);
                assertEquals(expected, got, tol, where + " at (" + i + ", " + j + ")");
                assertEquals(blas[i * ldc + j], got, 2 * tol, where + " differs from BLAS at (" + i + ", " + j + ")");
            }
        }
        return c;
    }

    @Test
    void everyRungMatchesTheReferenceAndBlas() {
        for (Gemm gemm : GemmLadder.rungs()) {
            for (int[] s : SHAPES) {
                for (int flags = 0; flags < 4; flags++) {
                    check(gemm, s[0], s[1], s[2], (flags & 1) != 0, (flags & 2) != 0);
                }
            }
        }
    }

    @Test
    void theLadderRunsFromNaiveToBlasWithTheVectorRungsInTheTestJvm() {
        List<Gemm> rungs = GemmLadder.rungs();
        // surefire starts the test JVM with --add-modules jdk.incubator.vector, so the Vector rungs are tested
        assertTrue(GemmLadder.vectorApiAvailable(), "the test JVM should have jdk.incubator.vector");
        assertEquals(List.of("naive ijk", "ikj", "blocked", "packed", ParallelGemm.class.getSimpleName(),
                        "Vector API", "vector parallel", "BLAS facade"),
                rungs.stream().map(g -> g instanceof ParallelGemm ? ParallelGemm.class.getSimpleName()
                        : g.name().startsWith("Vector API, ") ? "vector parallel" : g.name()).toList());
    }

    @Test
    void emptyProductsZeroC() {
        for (Gemm gemm : GemmLadder.rungs()) {
            float[] c = {3f, 4f, 5f, 6f};
            gemm.multiply(false, false, 2, 2, 0, new float[0], 1, new float[0], 2, c, 2);
            assertArrayEquals(new float[4], c, gemm.name() + " with k = 0");
        }
    }

    /** The partition into tasks is fixed by the shape, so the threads change nothing: same bits as one thread. */
    @Test
    void parallelRungsGiveTheSameBitsWhateverTheThreadCount() throws Exception {
        int m = 70;
        int n = 600;
        int k = 300;
        Rng rng = new Rng(5);
        float[] a = padded(m, k, k, rng);
        float[] b = padded(k, n, n, rng);
        Gemm[][] pairs = {{new PackedGemm(), new ParallelGemm()},
            {GemmLadder.vectorGemm(false), GemmLadder.vectorGemm(true)}};
        for (Gemm[] pair : pairs) {
            float[] serial = new float[m * n];
            pair[0].multiply(false, false, m, n, k, a, k, b, n, serial, n);
            float[] twoThreads = new float[m * n];
            pair[1].multiply(false, false, m, n, k, a, k, b, n, twoThreads, n);
            float[] oneThread = new float[m * n];
            ForkJoinPool single = new ForkJoinPool(1);
            try {
                single.submit(() -> pair[1].multiply(false, false, m, n, k, a, k, b, n, oneThread, n)).get();
            } finally {
                single.shutdown();
            }
            assertArrayEquals(serial, twoThreads, pair[1].name() + " vs " + pair[0].name());
            assertArrayEquals(serial, oneThread, pair[1].name() + " in a one-thread pool");
        }
    }

    /** Bad arguments are refused before any array is touched, with the BLAS facade's own message. */
    @Test
    void argumentErrorsAreTheBlasFacades() {
        float[] a = new float[6];
        float[] b = new float[6];
        float[] c = new float[4];
        Object[][] cases = {
            {false, false, 2, 2, 3, 2, 2, 2},   // lda 2 < k 3
            {false, false, 2, 2, 3, 3, 1, 2},   // ldb 1 < n 2
            {false, false, 2, 3, 3, 3, 3, 3},   // B 3×3 needs 9 floats, has 6
            {true, false, 2, 2, 3, 2, 2, 1},    // ldc 1 < n 2
            {false, false, -1, 2, 3, 3, 2, 2},  // negative m
        };
        for (Gemm gemm : GemmLadder.rungs()) {
            for (Object[] t : cases) {
                boolean ta = (boolean) t[0];
                boolean tb = (boolean) t[1];
                int m = (int) t[2];
                int n = (int) t[3];
                int k = (int) t[4];
                int lda = (int) t[5];
                int ldb = (int) t[6];
                int ldc = (int) t[7];
                IllegalArgumentException expected = assertThrows(IllegalArgumentException.class,
                        () -> Blas.sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, ldc));
                IllegalArgumentException got = assertThrows(IllegalArgumentException.class,
                        () -> gemm.multiply(ta, tb, m, n, k, a, lda, b, ldb, c, ldc), gemm.name());
                assertEquals(expected.getMessage(), got.getMessage(), gemm.name());
            }
        }
    }
}
