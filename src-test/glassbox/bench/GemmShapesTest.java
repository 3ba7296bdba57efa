package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

/**
 * JMH's {@code @Param} lists must be constants, so the benchmark spells its shapes out: they are checked here
 * against the shapes derived from the seed models, and the conv derivation against worked examples.
 */
class GemmShapesTest {
    private static List<String> params(Class<?> state) throws NoSuchFieldException {
        return Arrays.asList(state.getField("shape").getAnnotation(Param.class).value());
    }

    @Test
    void benchmarkShapesAreTheDerivedOnes() throws Exception {
        assertEquals(GemmShapes.all(), params(GemmBenchmark.AllShapes.class));
        assertEquals(GemmShapes.all().stream().filter(s -> GemmBenchmark.flops(s) / 2 <= GemmBenchmark.SLOW_LIMIT).toList(),
                params(GemmBenchmark.SmallShapes.class));
        assertEquals(BenchMain.Gemm.ALL_SHAPES_COUNT, GemmShapes.all().size());
        assertEquals(BenchMain.Gemm.SHORT_SHAPES_COUNT, BenchMain.Gemm.SHORT_SHAPES.size());
        assertTrue(GemmShapes.all().containsAll(BenchMain.Gemm.SHORT_SHAPES));
    }

    /**
     * Seed 002's custom conv 28×28×32 → 128 valid: P = 26·26 = 676 positions, L = 9·32 = 288; one sample's
     * patches and output rows are 4·676·(288 + 128) = 1,124,864 bytes, more than the 1 MiB budget, so a chunk
     * is one sample: 676 rows per GEMM. Its input gradient goes through col2im (676·(128 + 864) + 2·784·32 =
     * 720,768 floats moved, against 784·(2304 + 96) = 1,881,600 as a convolution).
     */
    @Test
    void convShapesFollowTheConvPlansChunksWorkedByHand() {
        var shapes = GemmShapes.convShapes();
        assertTrue(shapes.get("676:128:288:N:N").startsWith("002 custom 28x28x32→128 valid, 1 samples"), shapes.toString());
        assertTrue(shapes.get("288:128:676:T:N").endsWith("backward-filter"));
        assertTrue(shapes.get("676:288:128:N:T").endsWith("backward-data"));
        // seed 002's default second conv, 14×14×32 → 32 same: 4·196·(288 + 32) = 250,880 bytes a sample, 4 fit;
        // a task's share of 128 is 16
        assertTrue(shapes.get("784:32:288:N:N").startsWith("002 default 14x14x32→32 same, 4 samples"), shapes.toString());
        // one input channel (every model's first conv) or one filter (the autoencoder's last): direct loops,
        // no GEMM, where the JVM has the Vector API (the test JVM does)
        assertTrue(shapes.values().stream().noneMatch(d -> d.contains("x1→") || d.contains("→1 ")), shapes.toString());
    }
}
