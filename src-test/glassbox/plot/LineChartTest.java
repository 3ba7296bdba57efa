package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.countColour;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Axis;
import org.knowm.xchart.internal.chartpart.AxisTickCalculator;
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

    /** A labelled tick as XChart drew it: its text and its position along the axis, in pixels. */
    private record Tick(String label, double at) {
    }

    /**
     * The labelled ticks of the chart's x or y axis after XChart laid it out at {@code width×height} (XChart
     * keeps the axes package-private, so they are reached by reflection); ticks without a label are skipped.
     */
    private static List<Tick> ticks(XYChart chart, int width, int height, boolean xAxis) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        chart.paint(g, width, height);
        g.dispose();
        Method axisPair = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredMethod("getAxisPair");
        axisPair.setAccessible(true);
        Object pair = axisPair.invoke(chart);
        Method getAxis = pair.getClass().getDeclaredMethod(xAxis ? "getXAxis" : "getYAxis");
        getAxis.setAccessible(true);
        AxisTickCalculator calculator = ((Axis<?, ?>) getAxis.invoke(pair)).getAxisTickCalculator();
        List<Tick> ticks = new ArrayList<>();
        for (int i = 0; i < calculator.getTickLabels().size(); i++) {
            String label = calculator.getTickLabels().get(i);
            if (label != null && !label.isBlank()) {
                ticks.add(new Tick(label, calculator.getTickLocations().get(i)));
            }
        }
        return ticks;
    }

    /** Consecutive labels keep at least {@code gap} pixels between them: widths along x, heights along y. */
    private static void assertNoOverlap(XYChart chart, List<Tick> ticks, boolean xAxis, double gap) {
        FontRenderContext frc = new FontRenderContext(null, true, false);
        java.awt.Font font = chart.getStyler().getAxisTickLabelsFont();
        for (int i = 1; i < ticks.size(); i++) {
            var a = font.getStringBounds(ticks.get(i - 1).label(), frc);
            var b = font.getStringBounds(ticks.get(i).label(), frc);
            double room = Math.abs(ticks.get(i).at() - ticks.get(i - 1).at());
            double needed = xAxis ? (a.getWidth() + b.getWidth()) / 2 + gap : (a.getHeight() + b.getHeight()) / 2;
            assertTrue(room >= needed, "labels '" + ticks.get(i - 1).label() + "' and '" + ticks.get(i).label() + "' are "
                    + room + " px apart, need " + needed + "; all: " + ticks);
        }
    }

    /** The labels as numbers (XChart writes 1E-4, 0.001, 1,000). */
    private static List<Double> values(List<Tick> ticks) {
        return ticks.stream().map(t -> Double.parseDouble(t.label().replace(",", ""))).toList();
    }

    @Test
    void everyDecadeOfALogAxisIsLabelledAndTheLabelsDoNotOverlap() throws Exception {
        double[] x = {1e-3, 1e-2, 1e-1, 1, 10, 100, 1000};
        double[] y = {0.01, 0.06, 0.4, 2.5, 16, 100, 630};
        XYChart chart = new LineChart("both logarithmic", "x", "y").logX(true).logY(true).add("s", x, y).build(800, 500);
        List<Tick> xTicks = ticks(chart, 800, 500, true);
        assertEquals(List.of(1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0), values(xTicks), xTicks.toString());
        assertNoOverlap(chart, xTicks, true, 8);
        List<Tick> yTicks = ticks(chart, 800, 500, false);
        assertEquals(List.of(1e-2, 1e-1, 1.0, 10.0, 100.0, 1000.0), values(yTicks), yTicks.toString());
        assertNoOverlap(chart, yTicks, false, 0);

        // a sweep inside one decade: the axis widens to the decades around it, so it has two labels, not one
        XYChart narrow = new LineChart("within a decade", "units", "accuracy").logX(true)
                .add("s", new double[] {2, 5, 20, 50}, new double[] {0.8, 0.9, 0.92, 0.91}).build(800, 500);
        assertEquals(List.of(1.0, 10.0, 100.0), values(ticks(narrow, 800, 500, true)));
    }

    @Test
    void aThousandPointSeriesGetsRoundTickLabelsThatDoNotOverlap() throws Exception {
        int n = 1000;
        double[] steps = new double[n];
        double[] fractions = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i + 1;
            fractions[i] = 0.001 * i + 0.0001;
            y[i] = Math.sin(i / 50.0) + i / 300.0;
        }
        for (double[] x : List.of(steps, fractions)) {
            LineChart line = new LineChart("long", "step", "value").add("s", x, y);
            XYChart chart = line.build(800, 500);
            List<Tick> ticks = ticks(chart, 800, 500, true);
            assertTrue(ticks.size() >= 4 && ticks.size() <= 15, ticks.toString());
            assertNoOverlap(chart, ticks, true, 8);
            // round numbers: every gap between labelled values the same one-significant-digit step (1, 2 or 5 × 10^k)
            List<Double> v = values(ticks);
            double step = v.get(1) - v.get(0);
            double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
            assertTrue(Math.abs(mantissa - Math.rint(mantissa)) < 1e-9, "step " + step + " in " + v);
            line.write(dir.resolve("long.png"));
            assertNotBlank(readPng(dir.resolve("long.png"), 800, 500));
        }
        // twenty epochs keep a tick on every point
        double[] epochs = new double[20];
        for (int i = 0; i < 20; i++) {
            epochs[i] = i + 1;
        }
        XYChart short20 = new LineChart("epochs", "epoch", "loss").add("s", epochs, epochs).build(800, 500);
        assertEquals(1.0, values(ticks(short20, 800, 500, true)).get(0));
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
        Path file = dir.resolve("ratios.png");
        new LineChart("Update ratio", "epoch", "ratio").logY(true)
                .add("dense", EPOCHS, new double[] {3e-2, 1e-2, 4e-3, 2e-3, 1e-3}).write(file);
        assertNotBlank(readPng(file, 800, 500));
        LineChart chart = new LineChart("t", "x", "y").logY(true).add("z", EPOCHS, new double[] {1, 0, 2, 3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> chart.write(dir.resolve("bad.png")));
        assertTrue(e.getMessage().contains("log y") && e.getMessage().contains("'z'") && e.getMessage().contains("0.0"),
                e.getMessage());
    }

    @Test
    void aLogYAxisSpansWholeDecadesAndAFixedRangeIsKept() {
        var logChart = new LineChart("r", "epoch", "ratio").logY(true)
                .add("a", EPOCHS, new double[] {1.1e-3, 2e-3, 3.3e-3, 2e-3, 1.5e-3}).build(800, 500);
        assertEquals(1e-3, logChart.getStyler().getYAxisMin(), 1e-18);
        assertEquals(1e-2, logChart.getStyler().getYAxisMax(), 1e-17);
        var fixed = new LineChart("d", "epoch", "fraction").yRange(0, 1)
                .add("a", EPOCHS, new double[] {0, 0.02, 0.02, 0.03, 0.03}).build(800, 500);
        assertEquals(0, fixed.getStyler().getYAxisMin());
        assertEquals(1, fixed.getStyler().getYAxisMax());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LineChart("t", "x", "y").yRange(1, 1));
        assertTrue(e.getMessage().contains("[1.0, 1.0]"), e.getMessage());
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
