package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/** Which JMH runs {@code bench gemm} makes of its arguments: the slow rungs never get a shape beyond their limit. */
class BenchGemmCommandTest {
    private static List<List<String>> runs(boolean full, String... args) throws Exception {
        BenchMain.Gemm gemm = new BenchMain.Gemm();
        gemm.full = full;
        gemm.jmhArgs = List.of(args);
        return gemm.jmhRuns(new CommandLineOptions(args));
    }

    @Test
    void theShortRunGivesTheSlowRungsOnlyTheirShapes() throws Exception {
        List<List<String>> runs = runs(false);
        assertEquals(2, runs.size());
        String slowShapes = runs.get(0).get(runs.get(0).size() - 1);
        assertTrue(runs.get(0).get(0).endsWith("(naive|ikj)$"), runs.get(0).toString());
        assertTrue(slowShapes.contains("512:512:512:N:N") && !slowShapes.contains("1024:1024:1024"), slowShapes);
        assertTrue(runs.get(1).get(runs.get(1).size() - 1).contains("1024:1024:1024:N:N"));
    }

    @Test
    void givenShapesReplaceTheDefaultsAndBigOnesSkipTheSlowRungs() throws Exception {
        List<List<String>> runs = runs(false, "-wi", "1", "-p", "shape=2048:2048:2048:N:N");
        assertEquals(1, runs.size());
        assertEquals(List.of("-wi", "1"), runs.get(0).subList(0, 2));
        assertEquals("shape=2048:2048:2048:N:N", runs.get(0).get(runs.get(0).size() - 1));
    }

    @Test
    void aRegexOfTheUsersMakesOneRunAndTheFullRunUsesTheParamLists() throws Exception {
        assertEquals(List.of(List.of("blas", "-p", "shape=" + String.join(",", BenchMain.Gemm.SHORT_SHAPES))),
                runs(false, "blas"));
        assertEquals(List.of(List.of()), runs(true));
    }

    @Test
    void shapeOptionsAreRemovedInBothSpellings() {
        assertEquals(List.of("-f", "2", "-p", "other=1"),
                BenchMain.Gemm.withoutShapeOption(List.of("-f", "2", "-p", "shape=1:1:1:N:N", "-pshape=2:2:2:N:N", "-p", "other=1")));
    }
}
