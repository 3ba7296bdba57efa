package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.countColour;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.util.Rng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramTest {
    @TempDir
    Path dir;

    @Test
    void groupsShareEqualWidthBinsSpanningAllValuesWithTheLastBinClosed() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("a", new double[] {0, 0.5, 1, 1.9});
        groups.put("b", new double[] {2, 4, 4, Double.NaN});
        Histogram h = Histogram.ofGroups("t", groups, 4); // range [0, 4], bins [0,1) [1,2) [2,3) [3,4]
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, h.edges(), 1e-12);
        assertArrayEquals(new long[] {2, 2, 0, 0}, h.counts("a"));
        assertArrayEquals(new long[] {0, 0, 1, 2}, h.counts("b"), "4 is counted in the last bin; NaN nowhere");
    }

    @Test
    void constantValuesGetAUnitWideRange() {
        Histogram h = Histogram.ofGroups("t", Map.of("only", new double[] {3, 3, 3}), 2);
        assertArrayEquals(new double[] {2.5, 3, 3.5}, h.edges(), 1e-12);
        assertArrayEquals(new long[] {0, 3}, h.counts("only"));
    }

    @Test
    void tenOverlaidGroupsAreEachDrawnInTheirOwnColour() throws IOException {
        Rng rng = new Rng(7);
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (int g = 0; g < 10; g++) {
            double[] v = new double[500];
            for (int i = 0; i < v.length; i++) {
                v[i] = g + rng.nextGaussian();
            }
            groups.put("class " + g, v);
        }
        Path file = dir.resolve("hist.png");
        Histogram.ofGroups("Values per class", groups, 30).xLabel("value").write(file);
        BufferedImage image = readPng(file, 800, 500);
        assertNotBlank(image);
        for (int g = 0; g < 10; g++) {
            assertTrue(countColour(image, Png.TAB10[g]) > 10, "group " + g + " has no outline in its colour");
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Histogram.ofGroups("t", Map.of(), 10));
        assertThrows(IllegalArgumentException.class,
                () -> Histogram.ofGroups("t", Map.of("a", new double[] {1}), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Histogram.ofGroups("t", Map.of("a", new double[] {Double.NaN}), 3));
        assertTrue(e.getMessage().contains("no finite values"), e.getMessage());
        Histogram h = Histogram.ofGroups("t", Map.of("a", new double[] {1}), 3);
        assertThrows(IllegalArgumentException.class, () -> h.counts("missing"));
    }
}
