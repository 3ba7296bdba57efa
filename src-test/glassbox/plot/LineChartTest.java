package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.countColour;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {
    @TempDir
    Path dir;

    private static final double[] EPOCHS = {1, 2, 3, 4, 5};

    @Test
    void writesAPngOfTheAskedSizeShowingEachSeriesInItsColour() throws IOException {
        Path file = dir.resolve("figs/loss.png");
        new LineChart("Loss", "epoch", "loss")
                .add("train", EPOCHS, new double[] {2.0, 1.2, 0.8, 0.6, 0.5})
                .add("validation", EPOCHS, new double[] {2.1, 1.4, 1.1, 1.0, 1.05})
                .write(file, 640, 400);
        BufferedImage image = readPng(file, 640, 400);
        assertNotBlank(image);
        assertTrue(countColour(image, Png.TAB10[0]) > 20, "first series drawn in the first colour");
        assertTrue(countColour(image, Png.TAB10[1]) > 20, "second series drawn in the second colour");
    }

    @Test
    void styledSeriesTakeTheirAskedColourWhateverTheirOrder() throws IOException {
        Path file = dir.resolve("two-models.png");
        // two models × (train, validation): colour per model (C0, C3), solid train, dashed validation
        new LineChart("Accuracy", "epoch", "accuracy")
                .add("A train", EPOCHS, new double[] {0.80, 0.85, 0.88, 0.90, 0.91}, null, LineChart.Style.solid(3))
                .add("A validation", EPOCHS, new double[] {0.78, 0.82, 0.84, 0.85, 0.85}, null, LineChart.Style.dashed(3))
                .add("B train", EPOCHS, new double[] {0.70, 0.75, 0.78, 0.80, 0.81}, null, LineChart.Style.solid(0))
                .add("B validation", EPOCHS, new double[] {0.68, 0.72, 0.74, 0.75, 0.75}, null, LineChart.Style.dashed(0))
                .write(file, 640, 400);
        BufferedImage image = readPng(file, 640, 400);
        assertTrue(countColour(image, Png.TAB10[3]) > 20, "A drawn in C3 although added first");
        assertTrue(countColour(image, Png.TAB10[0]) > 20, "B drawn in C0");
        assertEquals(0, countColour(image, Png.TAB10[1]), "no series fell back to the cycle's C1");
    }

    @Test
    void styleColourMustBeInMatplotlibsCycle() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LineChart.Style.solid(10));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("C9"), e.getMessage());
    }

    @Test
    void errorBarsAndLogXAxisRender() throws IOException {
        Path file = dir.resolve("sweep.png");
        new LineChart("Accuracy vs learning rate", "learning rate", "accuracy")
                .logX(true)
                .add("mean ± sd", new double[] {1e-4, 1e-3, 1e-2, 1e-1}, new double[] {0.80, 0.90, 0.93, 0.60},
                        new double[] {0.02, 0.01, 0.01, 0.10})
                .write(file);
        BufferedImage image = readPng(file, 800, 500);
        assertNotBlank(image);
    }

    @Test
    void logXAxisRejectsNonPositiveX() {
        LineChart chart = new LineChart("t", "x", "y").logX(true).add("s", new double[] {0, 1}, new double[] {1, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chart.write(dir.resolve("bad.png")));
        assertTrue(e.getMessage().contains("positive") && e.getMessage().contains("'s'"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("bad.png")));
    }

    @Test
    void logYAxisRendersAndRejectsNonPositiveY() throws IOException {
        Path file = dir.resolve("rates.png");
        new LineChart("GFLOP/s", "n", "GFLOP/s").logX(true).logY(true)
                .add("fast", new double[] {64, 128, 256}, new double[] {10, 100, 300})
                .add("slow", new double[] {64, 128, 256}, new double[] {0.5, 0.4, 0.3})
                .write(file);
        assertNotBlank(readPng(file, 800, 500));
        LineChart bad = new LineChart("t", "x", "y").logY(true).add("s", new double[] {1, 2}, new double[] {0, 2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.write(dir.resolve("bad.png")));
        assertTrue(e.getMessage().contains("log y") && e.getMessage().contains("'s'"), e.getMessage());
    }

    @Test
    void mismatchedLengthsAndDuplicateNamesAreRejected() {
        LineChart chart = new LineChart("t", "x", "y").add("a", EPOCHS, EPOCHS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chart.add("b", EPOCHS, new double[] {1, 2}));
        assertTrue(e.getMessage().contains("5, 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> chart.add("a", EPOCHS, EPOCHS));
        assertThrows(IllegalArgumentException.class,
                () -> chart.add("c", EPOCHS, EPOCHS, new double[] {1}));
    }

    @Test
    void chartWithoutSeriesCannotBeWritten() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LineChart("empty", "x", "y").write(dir.resolve("e.png")));
        assertEquals("line chart 'empty' has no series: add one before writing", e.getMessage());
    }
}
