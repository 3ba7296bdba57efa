package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlasPathsTest {
    private static BlasPaths.Measurement measured(BlasPaths.Candidate c, double gflops) {
        return new BlasPaths.Measurement(c, null, "Haswell", Map.of("square1024", gflops, "mlp32", gflops / 4));
    }

    private static final BlasPaths.Candidate BANDS = new BlasPaths.Candidate("system OpenBLAS",
            "/lib/libopenblas.so.0", null, "Haswell", 1, false, 2);

    @Test
    void onlyTheFacadesBandsThroughFfmAreChosenOnSeveralCores() {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1);
        var openBlasThreads = BANDS.withOpenBlasThreads(2);
        var jni = BlasPaths.forTheRecord(BANDS, 2).get(1);
        assertTrue(jni.jni());
        // OpenBLAS's own threads and jblas's JNI score higher here, yet the bands are chosen: the others
        // change bits with the thread count (OpenBLAS) or copy every operand (JNI), and are for the record.
        assertEquals(BANDS, BlasPaths.best(List.of(measured(BANDS, 100), measured(openBlasThreads, 150),
                measured(jni, 160))).candidate());
        assertNull(BlasPaths.best(List.of(measured(openBlasThreads, 150), measured(jni, 160))));
        assertFalse(BlasPaths.choosable(BANDS.withOpenBlasThreads(1)), "a bare one-thread OpenBLAS");
    }

    @Test
    void theRecordPreloadsTheWinnersSystemLibraryUnderJblasButNotJblasItself() {
        var jni = BlasPaths.forTheRecord(BANDS, 2).get(1);
        assertEquals("/lib/libopenblas.so.0", jni.preload());
        assertTrue(jni.keepFreedMemory());
        var bundled = new BlasPaths.Candidate("jblas", BlasPaths.JBLAS, null, "SkylakeX", 1, false, 2);
        assertNull(BlasPaths.forTheRecord(bundled, 2).get(1).preload());
    }

    @Test
    void aCandidatesEnvironmentReplacesInheritedSettings() {
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Zen", "OPENBLAS_L2_SIZE", "1",
                "GLASSBOX_BLAS_THREADS", "7", "LD_PRELOAD", "/x/libopenblas.so:/y/libother.so", "PATH", "/bin"));
        BlasPaths.applyEnvironment(env, BANDS);
        assertEquals("/lib/libopenblas.so.0", env.get("GLASSBOX_BLAS_LIBRARY"));
        assertEquals("Haswell", env.get("OPENBLAS_CORETYPE"));
        assertEquals("1", env.get("OPENBLAS_NUM_THREADS"));
        assertEquals("2", env.get("GLASSBOX_BLAS_THREADS"));
        assertEquals("/y/libother.so", env.get("LD_PRELOAD"));
        assertFalse(env.containsKey("OPENBLAS_L2_SIZE"));
        assertFalse(env.containsKey("MALLOC_MMAP_THRESHOLD_"));
        assertEquals("/bin", env.get("PATH"));
    }
}
