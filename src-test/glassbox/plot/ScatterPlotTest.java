package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.countColour;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.util.Rng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {
    @TempDir
    Path dir;

    @Test
    void pointsAreColouredByLabel() throws IOException {
        Rng rng = new Rng(3);
        int n = 300;
        double[] x = new double[n];
        double[] y = new double[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
            x[i] = 5 * labels[i] + rng.nextGaussian();
            y[i] = rng.nextGaussian();
        }
        Path file = dir.resolve("embedding.png");
        ScatterPlot.byLabel("Embedding", x, y, labels, new String[] {"zero", "one", "two"}).write(file, 600, 400);
        BufferedImage image = readPng(file, 600, 400);
        assertNotBlank(image);
        for (int g = 0; g < 3; g++) {
            assertTrue(countColour(image, Png.TAB10[g]) > 50, "label " + g + " drawn in its colour");
        }
    }

    @Test
    void labelWithoutANameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScatterPlot.byLabel("t",
                new double[] {0, 1}, new double[] {0, 1}, new int[] {0, 2}, new String[] {"a", "b"}));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScatterPlot.byLabel("t",
                new double[] {0, 1}, new double[] {0}, new int[] {0, 1}, null));
    }
}
