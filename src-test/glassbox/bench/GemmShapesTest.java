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
     * patches are 4·676·288 = 778,752 bytes, so 4 MiB holds 5 samples: 3380 rows per GEMM. Its input
     * gradient goes through col2im (676·(128 + 864) + 2·784·32 = 720,768 floats moved, against
     * 784·(2304 + 96) = 1,881,600 as a convolution).
     */
    @Test
    void convShapesFollowConv2DsChunksWorkedByHand() {
        var shapes = GemmShapes.convShapes();
        assertTrue(shapes.get("3380:128:288:N:N").startsWith("002 custom 28x28x32→128 valid, 5 samples"), shapes.toString());
        assertTrue(shapes.get("288:128:3380:T:N").endsWith("backward-filter"));
        assertTrue(shapes.get("3380:288:128:N:T").endsWith("backward-data"));
        // seed 001's first conv, 28×28×1 → 32 valid: a sample's patches are 4·676·9 bytes, the whole batch fits
        assertTrue(shapes.containsKey("86528:32:9:N:N"));
        // a model's first conv computes no input gradient
        assertTrue(shapes.keySet().stream().noneMatch(s -> s.equals("86528:9:32:N:T")));
    }
}
