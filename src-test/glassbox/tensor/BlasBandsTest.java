package glassbox.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import glassbox.util.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The facade's split of a large product into bands of C's rows, one thread each ({@code
 * GLASSBOX_BLAS_THREADS}): with a one-thread OpenBLAS it must give the very same bits as the whole call,
 * whatever the band count, so that a run's numbers do not depend on the thread setting (checked in a child
 * JVM set up that way); in any setting it must be the right product,
 * checked against the naive double-precision reference. Non-square shapes, every transpose pair, padded
 * leading dimensions (padding neither read nor written), beta ≠ 0, and row counts that do not divide.
 */
class BlasBandsTest {
    private static final float PAD = 1e6f;
    /**
     * Bit-identity is promised where the facade splits: OpenBLAS on one thread (its own threads change the
     * last bits by themselves) called through FFM (jblas's JNI copies are never split), whichever library and
     * kernel the launcher's probe chose.
     */
    private static final boolean BIT_IDENTICAL_EXPECTED = "1".equals(System.getenv("OPENBLAS_NUM_THREADS"))
            && Blas.binding().copyFree();

    private static float[] padded(int rows, int cols, int ld, Rng rng) {
        float[] x = new float[rows * ld];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ld; j++) {
                x[i * ld + j] = j < cols ? (float) rng.uniform(-1, 1) : PAD;
            }
        }
        return x;
    }

    /**
     * The whole call against the reference; then 2, 3 and the most bands, compared bit for bit with the
     * whole call. Bit-identity holds for the kernels whose row blocks divide {@link Blas#BAND_ROWS} (the
     * Haswell kernels the launcher chooses here, measured); on another kernel the bands must still be the
     * right product.
     */
    private static void checkBands(int m, int n, int k, boolean transA, boolean transB, float beta) {
        Rng rng = new Rng(13L * m + n + 5L * k + (transA ? 1 : 0) + (transB ? 2 : 0));
        int lda = (transA ? m : k) + 1;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 3;
        float[] a = padded(transA ? k : m, transA ? m : k, lda, rng);
        float[] b = padded(transB ? n : k, transB ? k : n, ldb, rng);
        float[] c0 = padded(m, n, ldc, rng);
        float[] whole = c0.clone();
        Blas.sgemmInBands(1, transA, transB, m, n, k, 0.75f, a, lda, b, ldb, beta, whole, ldc);
        String where = String.format("m=%d n=%d k=%d transA=%b transB=%b beta=%s", m, n, k, transA, transB, beta);
        // Every entry of small products; a seeded sample of 500 of the MLP-sized ones (the reference is slow).
        Rng pick = new Rng(9);
        int checks = (long) m * n * k > 2_000_000 ? 500 : m * n;
        for (int s = 0; s < checks; s++) {
            int i = checks == m * n ? s / n : pick.nextInt(m);
            int j = checks == m * n ? s % n : pick.nextInt(n);
            double expected = 0.75 * ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j)
                    + beta * c0[i * ldc + j];
            double bound = 0.75 * ReferenceGemm.floatTolerance(transA, transB, k, a, lda, b, ldb, i, j)
                    + 4 * Math.ulp((float) expected) + 1e-30;
            assertEquals(expected, whole[i * ldc + j], bound, where + " at C[" + i + "," + j + "]");
        }
        for (int bands : java.util.stream.IntStream.of(2, 3, m / Blas.BAND_ROWS).filter(t -> t * Blas.BAND_ROWS <= m)
                .distinct().toArray()) {
            float[] split = c0.clone();
            Blas.sgemmInBands(bands, transA, transB, m, n, k, 0.75f, a, lda, b, ldb, beta, split, ldc);
            if (BIT_IDENTICAL_EXPECTED) {
                assertArrayEquals(whole, split, where + " in " + bands + " bands differs from the whole call"
                        + " (padding included)");
            } else {
                for (int i = 0; i < split.length; i++) {
                    assertEquals(whole[i], split[i], 1e-4f * Math.max(1f, Math.abs(whole[i])), where + " in " + bands
                            + " bands at element " + i);
                }
            }
        }
    }

    @Test
    void bandsGiveTheWholeCallsBitsForEveryTransposePair() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkBands(197, 37, 71, transA, transB, 0f);
                checkBands(150, 19, 9, transA, transB, -0.5f);
            }
        }
    }

    @Test
    void bandsGiveTheWholeCallsBitsOnTheMlpShapes() {
        checkBands(256, 128, 784, false, false, 1f); // Dense forward, bias pre-filled (beta = 1)
        checkBands(784, 128, 256, true, false, 1f); // dW += xᵀ·dZ
        checkBands(256, 128, 128, false, true, 0f); // dX = dZ·Wᵀ
    }

    @Test
    void doubleBandsGiveTheWholeCallsBits() {
        Rng rng = new Rng(4);
        int m = 145;
        int n = 31;
        int k = 60;
        double[] a = new double[k * m];
        double[] b = new double[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.uniform(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.uniform(-1, 1);
        }
        double[] whole = new double[m * n];
        Blas.dgemmInBands(1, true, true, m, n, k, 1.0, a, m, b, k, 0.0, whole, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = ReferenceGemm.entry(true, true, k, a, m, b, k, i, j);
                assertEquals(expected, whole[i * n + j], 1e-12, "dgemm C[" + i + "," + j + "]");
            }
        }
        double[] split = new double[m * n];
        Blas.dgemmInBands(3, true, true, m, n, k, 1.0, a, m, b, k, 0.0, split, n);
        if (BIT_IDENTICAL_EXPECTED) {
            assertArrayEquals(whole, split);
        } else {
            assertArrayEquals(whole, split, 1e-12);
        }
    }

    /**
     * The promise itself, for every path the launcher's probe can choose: a JVM with a one-thread OpenBLAS
     * — the system's (detected and forced kernels) or jblas's bundled one (forced kernels), called through
     * FFM — runs {@link BandsChild}, the tests above, and must find every split bit-identical.
     */
    @ParameterizedTest(name = "{0}, kernel {1}")
    @CsvSource({"system, detected", "system, Haswell", "system, SkylakeX", "jblas, Haswell", "jblas, SkylakeX"})
    void withOneOpenBlasThreadEveryBandCountGivesTheSameBits(String library, String kernel) throws Exception {
        String flags = new String(Files.readAllBytes(Path.of("/proc/cpuinfo")));
        assumeTrue(!kernel.equals("Haswell") || flags.contains(" avx2"), "the Haswell kernel needs AVX2");
        assumeTrue(!kernel.equals("SkylakeX") || flags.contains(" avx512f"), "the SkylakeX kernel needs AVX-512");
        String binding = BlasLibrary.JBLAS;
        if (library.equals("system")) {
            var system = BlasLibrary.findSystemOpenBlas();
            assumeTrue(system.isPresent(), "no system OpenBLAS installed (the launcher installs libopenblas0-pthread)");
            binding = system.get().toString();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Djdk.lang.processReaperUseDefaultStackSize=true",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BandsChild.class.getName());
        pb.environment().keySet().removeIf(key -> key.startsWith("OPENBLAS_") || key.startsWith("GLASSBOX_")
                || key.equals("LD_PRELOAD"));
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("GLASSBOX_BLAS_LIBRARY", binding);
        if (!kernel.equals("detected")) {
            pb.environment().put("OPENBLAS_CORETYPE", kernel);
        }
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM timed out");
        assertEquals("bit-identical", out.substring(Math.max(0, out.lastIndexOf('\n') + 1)), out);
    }

    /** The child of {@link #withOneOpenBlasThreadEveryBandCountGivesTheSameBits}. */
    public static final class BandsChild {
        public static void main(String[] args) {
            if (!BIT_IDENTICAL_EXPECTED) {
                System.out.println("child started without OPENBLAS_NUM_THREADS=1 or without FFM: "
                        + Blas.library());
                return;
            }
            BlasBandsTest t = new BlasBandsTest();
            t.bandsGiveTheWholeCallsBitsForEveryTransposePair();
            t.bandsGiveTheWholeCallsBitsOnTheMlpShapes();
            t.doubleBandsGiveTheWholeCallsBits();
            System.out.println("bit-identical");
        }
    }

    @Test
    void onlyProductsAboveTheThresholdAreSplitIntoBandsOnMultiplesOf48Rows() {
        assertEquals(1, Blas.bands(1, 2048, 2048, 2048), "one thread: never split");
        assertEquals(1, Blas.bands(2, 32, 128, 784), "the MLP's batch-32 forward stays whole");
        assertEquals(2, Blas.bands(2, 1024, 1024, 1024));
        assertEquals(1, Blas.bands(2, 95, 100_000, 100), "95 rows make no two bands of 48");
        assertEquals(3, Blas.bands(8, 150, 100_000, 100), "150 rows: at most 3 bands of 48");
        for (int m : new int[] {96, 150, 784, 1000}) {
            int bands = Blas.bands(4, m, 1000, 1000);
            for (int i = 1; i < bands; i++) {
                int start = Blas.bandStart(i, bands, m);
                assertEquals(0, start % Blas.BAND_ROWS, "band " + i + " of " + bands + " at m = " + m);
                assertTrue(start > Blas.bandStart(i - 1, bands, m) && start < m, "band " + i + " is empty");
            }
            assertEquals(m, Blas.bandStart(bands, bands, m));
        }
    }

    @Test
    void badBandCountsAndThreadSettingsAreRejectedWithTheValue() {
        float[] x = new float[16];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Blas.sgemmInBands(2, false, false, 4, 4, 4, 1f, x, 4, x, 4, 0f, x, 4));
        assertTrue(e.getMessage().contains("m = 4") && e.getMessage().contains("got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Blas.sgemmInBands(0, false, false, 4, 4, 4, 1f, x, 4, x, 4, 0f, x, 4));
        assertEquals(1, Blas.threadsFromEnvironment(null));
        assertEquals(2, Blas.threadsFromEnvironment(" 2 "));
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class,
                () -> Blas.threadsFromEnvironment("two"));
        assertTrue(t.getMessage().contains("GLASSBOX_BLAS_THREADS") && t.getMessage().contains("'two'"),
                t.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Blas.threadsFromEnvironment("0"));
    }
}
