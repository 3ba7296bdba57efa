package glassbox.bench;

import glassbox.experiments.SeedModels;
import glassbox.kernels.Conv;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Window2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.annotations.Param;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvLadderBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void theShapesAreEverySeedConv2D() throws Exception {
        Set<String> seeds = new LinkedHashSet<>();
        for (Sequential model : List.of(SeedModels.fashionDefault(1), SeedModels.fashionCustom(1),
                SeedModels.mnistCnn(1), SeedModels.convAutoencoder(1), SeedModels.mnistKerasCnn(1))) {
            for (Layer layer : model.layers()) {
                if (layer instanceof Conv2D conv) {
                    Window2D g = conv.plan().window();
                    assertEquals(List.of(3, 3, 1, 1), List.of(g.kh(), g.kw(), g.sh(), g.sw()), "3×3, stride 1");
                    seeds.add(g.inH() + ":" + g.inW() + ":" + g.channels() + ":" + conv.filters() + ":"
                            + conv.padding().kerasName());
                }
            }
        }
        assertEquals(List.copyOf(seeds), List.of(ConvLadderBenchmark.SHAPES));
        String[] annotated = ConvLadderBenchmark.class.getField("shape").getAnnotation(Param.class).value();
        assertEquals(List.of(ConvLadderBenchmark.SHAPES), List.of(annotated));
        assertTrue(seeds.containsAll(List.of(ConvLadderBenchmark.DEFAULT_SHAPES)));
        for (String shape : ConvLadderBenchmark.SHAPES) {
            Window2D g = ConvLadderBenchmark.window(shape);
            assertTrue(g.outH() > 0 && g.outW() > 0, shape);
        }
    }

    @Test
    void rungKeysAreUniqueAndTheSlowRungsStayUnderTheFlopBound() {
        List<String> keys = ConvLadderBenchmark.rungKeys();
        assertEquals(keys.size(), new HashSet<>(keys).size(), "unique keys " + keys);
        assertEquals("direct-loops", keys.get(0));
        assertTrue(keys.containsAll(List.of("im2col-blas-facade", "engine-conv2d", "blas-gemm-only")), keys.toString());
        for (String shape : ConvLadderBenchmark.SHAPES) {
            double perSample = Conv.flops(1, ConvLadderBenchmark.window(shape), ConvLadderBenchmark.filters(shape));
            for (String key : keys) {
                int n = ConvLadderBenchmark.samples(shape, key);
                if (ConvLadderBenchmark.fullBatch(key)) {
                    assertEquals(ConvLadderBenchmark.BATCH, n, key);
                } else {
                    assertTrue(n >= 1 && n <= ConvLadderBenchmark.BATCH, key + " " + n);
                    assertTrue(n == 1 || n * perSample <= ConvLadderBenchmark.FLOP_BOUND, key + " on " + shape);
                }
            }
        }
        assertEquals(ConvLadderBenchmark.BATCH, ConvLadderBenchmark.samples("28:28:32:128:valid", "engine-conv2d"));
        assertTrue(ConvLadderBenchmark.samples("28:28:32:128:valid", "direct-loops") < ConvLadderBenchmark.BATCH);
        String m = assertThrows(IllegalArgumentException.class, () -> ConvLadderBenchmark.find("nope")).getMessage();
        assertTrue(m.contains("no conv rung 'nope'"), m);
        m = assertThrows(IllegalArgumentException.class, () -> ConvLadderBenchmark.window("28:28:1")).getMessage();
        assertTrue(m.contains("is not H:W:C:F:padding"), m);
    }

    /** Worked by hand: 4:4:8:8:same does 2·16·72·8 = 18,432 FLOPs per sample. */
    @Test
    void theReportTurnsMicrosecondsIntoGflopsAndRatios() throws Exception {
        String shape = "4:4:8:8:same";
        Map<String, Map<String, Map<String, Double>>> micros = new LinkedHashMap<>();
        Map<String, Map<String, Double>> m = new LinkedHashMap<>();
        m.put("slow", Map.of("forward", 18.432, "backwardFilter", 18.432, "backwardData", 18.432));
        m.put("engine-conv2d", Map.of("forward", 4.0, "backwardFilter", 8.0, "backwardData", 2.0));
        m.put("blas-gemm-only", Map.of("forward", 2.0, "backwardFilter", 4.0, "backwardData", 2.0));
        micros.put(shape, m);
        ConvLadderReport report = new ConvLadderReport(micros, List.of("slow", "engine-conv2d", "blas-gemm-only"),
                (s, r) -> r.equals("slow") ? 2 : 128, r -> r.toUpperCase());
        ConvLadderReport.Cell slow = report.cell(shape, "slow", "forward");
        assertEquals(2.0, slow.gflops(), 1e-12); // 2 samples · 18,432 FLOPs in 18.432 µs
        double engineForward = 128 * 18432 / 4.0e3;
        assertEquals(2.0 / engineForward, slow.vsEngine(), 1e-12);
        assertEquals(0.5, report.cell(shape, "engine-conv2d", "forward").vsGemm(), 1e-12);
        assertEquals(1.0, report.cell(shape, "engine-conv2d", "backwardData").vsGemm(), 1e-12);
        assertEquals(1.0, report.cell(shape, "engine-conv2d", "backwardFilter").vsEngine(), 1e-12);
        assertTrue(report.table().contains("SLOW"), report.table());
        assertTrue(report.markdown().contains("| 4:4:8:8:same | SLOW | 2 | 2.00 |"), report.markdown());
        Path json = report.write(dir, "test");
        assertTrue(Files.readString(json).contains("\"gflops\": 2.0"));
        String stem = json.getFileName().toString().replace(".json", "");
        for (String suffix : List.of(".md", "-forward.png", "-backward-filter.png", "-backward-data.png")) {
            assertTrue(Files.size(dir.resolve(stem + suffix)) > 0, suffix);
        }
        assertNotNull(report.chart("forward", "forward"));
    }
}
