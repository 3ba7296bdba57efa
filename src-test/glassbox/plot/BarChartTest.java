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

    @Test
    void aLogarithmicAxisDrawsValuesOrdersOfMagnitudeApartAndRefusesNonPositiveOnes() throws IOException {
        Path file = dir.resolve("ladder.png");
        new BarChart("GFLOP/s", "shape", "GFLOP/s", "a", "b")
                .add("slow", new double[] {0.5, 1.5})
                .add("fast", new double[] {120, 300})
                .logarithmic()
                .write(file, 500, 300);
        BufferedImage image = readPng(file, 500, 300);
        // on a linear axis the slow bars would be under a pixel tall; on a log axis they are clearly drawn
        assertTrue(countColour(image, Png.TAB10[0]) > 100, "bars of the slow series");
        assertTrue(countColour(image, Png.TAB10[1]) > 100, "bars of the fast series");
        BarChart zero = new BarChart("t", "x", "y", "a").add("s", new double[] {0}).logarithmic();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> zero.write(dir.resolve("zero.png")));
        assertTrue(e.getMessage().contains("value 0.0: every value must be positive"), e.getMessage());
    }
}
