package glassbox.plot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.chartpart.Legend_;
import org.knowm.xchart.internal.chartpart.Plot_;

/**
 * A legend never covers data, in every chart that has one: after painting, the legend's box lies wholly
 * outside the plot area (where every point, bar and line is drawn), and no data point's pixel falls in it.
 *
 * <p>Found in review: {@code runs/mnist-mlp/…/accuracy.png} put its two-series legend inside the top-right
 * corner, right over the last points. {@link #accuracyCurvesKeepTheirLastPointVisible} draws that chart's
 * shape; on the old placement (XChart's {@code InsideNE} for up to three series) it failed with "legend …
 * covers point 2 of 'train (running mean)'", and the other two tests failed the same way.
 */
class LegendPlacementTest {
    private static final double[] EPOCHS = {1, 2, 3};

    @Test
    void accuracyCurvesKeepTheirLastPointVisible() {
        XYChart chart = new LineChart("mnist-mlp: accuracy per epoch", "epoch", "accuracy")
                .add("train (running mean)", EPOCHS, new double[] {0.9012, 0.9587, 0.9701})
                .add("test", EPOCHS, new double[] {0.9481, 0.9623, 0.9679})
                .build(800, 500);
        assertLegendClearOfData(chart);
    }

    @Test
    void lineChartsOfAnyNumberOfSeriesKeepTheLegendOutside() {
        for (int seriesCount = 1; seriesCount <= 6; seriesCount++) {
            LineChart lines = new LineChart("sweep", "x", "y");
            for (int s = 0; s < seriesCount; s++) {
                lines.add("series " + s, EPOCHS, new double[] {s, s + 1, s + 2}, new double[] {0.1, 0.1, 0.1});
            }
            assertLegendClearOfData(lines.build(640, 400));
        }
    }

    @Test
    void histogramScatterAndBarChartsKeepTheLegendOutside() {
        Map<String, double[]> groups = new LinkedHashMap<>();
        groups.put("class 0", new double[] {0, 1, 1, 2, 2, 2, 3});
        groups.put("class 1", new double[] {2, 3, 3, 4, 4, 4, 5});
        assertLegendClearOfData(Histogram.ofGroups("distances", groups, 5).build(800, 500));

        assertLegendClearOfData(ScatterPlot.byLabel("embedding", new double[] {0, 1, 2, 3}, new double[] {3, 2, 1, 0},
                new int[] {0, 0, 1, 1}, null).build(700, 600));

        assertLegendClearOfData(new BarChart("accuracy per class", "class", "accuracy", "a", "b", "c")
                .add("dense", new double[] {0.9, 0.95, 0.99}).add("cnn", new double[] {0.97, 0.98, 0.995})
                .build(800, 500));
    }

    /** Paints {@code chart}, then checks its legend against the plot area and, for an XY chart, every point. */
    private static void assertLegendClearOfData(Chart<?, ?> chart) {
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
        } finally {
            g.dispose();
        }
        if (!chart.getStyler().isLegendVisible()) {
            return;
        }
        Rectangle2D legend = legendBox(chart);
        Rectangle2D plot = ((Plot_<?, ?>) field(Chart.class, chart, "plot")).getBounds();
        assertTrue(legend.getWidth() > 0 && legend.getHeight() > 0, "legend painted: " + legend);
        if (chart instanceof XYChart xy) {
            for (XYSeries s : xy.getSeriesMap().values()) {
                double[] x = s.getXData();
                double[] y = s.getYData();
                for (int i = 0; i < x.length; i++) {
                    double px = xy.getScreenXFromChart(x[i]);
                    double py = xy.getScreenYFromChart(y[i]);
                    assertTrue(plot.contains(px, py), "point " + i + " of '" + s.getName() + "' in the plot area");
                    assertFalse(legend.contains(px, py), "legend " + legend + " covers point " + i + " of '"
                            + s.getName() + "' at (" + px + ", " + py + ")");
                }
            }
        }
        assertFalse(legend.intersects(plot), "legend " + legend + " overlaps the plot area " + plot);
    }

    /**
     * Where the legend was painted. XChart works it out while painting and keeps it in protected parts: the
     * legend's {@code getBounds()} is only its size, its top-left corner is in {@code xOffset, yOffset}.
     */
    private static Rectangle2D legendBox(Chart<?, ?> chart) {
        Legend_<?, ?> legend = (Legend_<?, ?>) field(Chart.class, chart, "legend");
        Rectangle2D size = legend.getBounds();
        return new Rectangle2D.Double((double) field(Legend_.class, legend, "xOffset"),
                (double) field(Legend_.class, legend, "yOffset"), size.getWidth(), size.getHeight());
    }

    private static Object field(Class<?> owner, Object object, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(object);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("XChart's " + owner.getSimpleName() + " has no field '" + name + "' any more: "
                    + e, e);
        }
    }
}
