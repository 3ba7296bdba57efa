package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.countColour;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {
    @TempDir
    Path dir;

    @Test
    void writesSideBySideBarsInSeriesColours() throws IOException {
        Path file = dir.resolve("per-class.png");
        new BarChart("Accuracy per class", "class", "accuracy", "0", "1", "2")
                .add("dense", new double[] {0.97, 0.98, 0.91})
                .add("cnn", new double[] {0.99, 0.99, 0.98})
                .write(file, 500, 300);
        BufferedImage image = readPng(file, 500, 300);
        assertNotBlank(image);
        assertTrue(countColour(image, Png.TAB10[0]) > 100, "bars of the first series");
        assertTrue(countColour(image, Png.TAB10[1]) > 100, "bars of the second series");
    }

    @Test
    void seriesNeedOneValuePerCategory() {
        BarChart chart = new BarChart("t", "x", "y", "a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chart.add("s", new double[] {1}));
        assertTrue(e.getMessage().contains("1 values, expected 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BarChart("t", "x", "y"));
    }
}
