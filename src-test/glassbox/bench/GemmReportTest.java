package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's arithmetic on made-up timings, worked by hand: GFLOP/s, % of peak, ratio to BLAS. */
class GemmReportTest {
    @TempDir
    Path dir;

    private static CpuPeak.Checked peak() {
        // 2 cores × 2 ports × 16 lanes × 2 × 2.5 GHz = 320 GFLOP/s
        CpuPeak cpu = CpuPeak.parse("vendor_id : AuthenticAMD\ncpu family : 26\nmodel : 2\nmodel name : T\n"
                + "cpu MHz : 2500\nflags : avx2 fma avx512f\n", OptionalDouble.empty(), 2);
        return cpu.check(160, "blas");
    }

    @Test
    void ratesPercentagesAndRatiosAreWorkedOut() throws Exception {
        // 256³: 2·256³ = 33,554,432 flops; 209.7152 µs → 160 GFLOP/s; 419.4304 µs → 80
        List<GemmReport.Row> rows = List.of(
                new GemmReport.Row("256:256:256:N:N", "packed", 419.4304),
                new GemmReport.Row("256:256:256:N:N", "blas", 209.7152),
                new GemmReport.Row("256:256:256:N:N", "jniCopyOnly", 10));
        GemmReport report = new GemmReport(rows, peak());
        assertEquals("blas", GemmReport.best(rows).variant());
        String md = report.markdown();
        assertTrue(md.contains("| 256:256:256:N:N | square | packed | 419.4 | 80.0 | 25.0 | 0.50 |"), md);
        assertTrue(md.contains("| 256:256:256:N:N | square | blas | 209.7 | 160.0 | 50.0 | 1.00 |"), md);
        assertTrue(md.indexOf("| packed |") < md.indexOf("| blas |"), "rungs in ladder order");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> json = (List<Map<String, Object>>) report.json("short", 0).get("rows");
        assertEquals(0.5, (Double) json.get(0).get("ratio_to_blas"), 1e-9);
        assertEquals(320.0, (Double) report.json("short", 0).get("peak_gflops"), 1e-9);
    }

    @Test
    void writesJsonMarkdownAndPng() throws Exception {
        List<GemmReport.Row> rows = List.of(
                new GemmReport.Row("64:64:64:N:N", "blas", 5),
                new GemmReport.Row("128:128:128:N:N", "blas", 20),
                new GemmReport.Row("64:64:64:N:N", "naive", 500),
                new GemmReport.Row("128:128:128:N:N", "naive", 4000));
        Path json = new GemmReport(rows, peak()).write(dir, "t", "short", 0);
        assertTrue(Files.size(json) > 0);
        assertTrue(Files.readString(dir.resolve("gemm-t.md")).contains("| 128:128:128:N:N | square | naive |"));
        assertTrue(Files.size(dir.resolve("gemm-t.png")) > 1000);
    }
}
