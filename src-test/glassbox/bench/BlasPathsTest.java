package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlasPathsTest {
    private static BlasPaths.Measurement measured(BlasPaths.Candidate c, double gflops) {
        return new BlasPaths.Measurement(c, null, "Haswell", Map.of("1024x1024x1024", gflops, "32x128x784", gflops / 4));
    }

    @Test
    void bareOneThreadOpenBlasIsReportedButNeverChosenOnSeveralCores() {
        assumeTrue(Runtime.getRuntime().availableProcessors() > 1);
        var all = new BlasPaths.Candidate("system OpenBLAS", "/lib/libopenblas.so.0", "Haswell", 2, true, 1);
        var one = all.withThreads(1);
        var bands = one.splitByFacade(2);
        // The one-thread run scores highest (a loaded machine), yet the all-threads run is chosen ...
        assertEquals(all, BlasPaths.best(List.of(measured(all, 100), measured(one, 150))).candidate());
        // ... and one OpenBLAS thread with the facade's bands over both cores is choosable.
        assertEquals(bands, BlasPaths.best(List.of(measured(all, 100), measured(one, 150), measured(bands, 120)))
                .candidate());
    }
}
