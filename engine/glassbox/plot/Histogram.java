package glassbox.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Histograms of several groups of values drawn over each other as step outlines — matplotlib's
 * {@code plt.hist(..., histtype="step")} — so that ten groups (say, the distances of each class's points
 * to their centre) stay readable in one figure, where ten filled bar histograms would hide each other.
 *
 * <p>All groups share one set of {@code bins} equal-width bins spanning the smallest to the largest value
 * of all groups, so their outlines are comparable. As in {@code numpy.histogram}, every bin is half-open
 * {@code [a, b)} except the last, which also counts the largest value; if all values are equal the range
 * is widened to {@code value ± 0.5}. Non-finite values (NaN, ±∞) are left out of the counts. The legend
 * stands outside the plot area, to its right, so it never hides a bin.
 *
 * <pre>{@code
 * Histogram.ofGroups("Distance to centre", distancesByClass, 30).xLabel("distance").write(file);
 * }</pre>
 */
public final class Histogram {
    static {
        Png.ensureHeadless();
    }

    private final String title;
    private final double[] edges;
    private final Map<String, long[]> counts;
    private String xLabel = "value";

    private Histogram(String title, double[] edges, Map<String, long[]> counts) {
        this.title = title;
        this.edges = edges;
        this.counts = counts;
    }

    /**
     * Bins each group's values into {@code bins} shared bins; groups are drawn in the map's iteration order
     * (use a {@code LinkedHashMap} to choose it).
     */
    public static Histogram ofGroups(String title, Map<String, double[]> groups, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        if (groups.isEmpty()) {
            throw new IllegalArgumentException("histogram '" + title + "' needs at least one group, got none");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : groups.values()) {
            for (double v : values) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            throw new IllegalArgumentException("histogram '" + title + "' has no finite values in any group "
                    + groups.keySet());
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = lo + (hi - lo) * b / bins;
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> group : groups.entrySet()) {
            counts.put(group.getKey(), count(group.getValue(), lo, hi, bins));
        }
        return new Histogram(title, edges, counts);
    }

    /** Counts of {@code values} in {@code bins} equal bins over {@code [lo, hi]} (last bin closed). */
    static long[] count(double[] values, double lo, double hi, int bins) {
        long[] c = new long[bins];
        for (double v : values) {
            if (!Double.isFinite(v) || v < lo || v > hi) {
                continue;
            }
            int b = (int) ((v - lo) / (hi - lo) * bins);
            c[Math.min(b, bins - 1)]++; // v == hi belongs to the last bin
        }
        return c;
    }

    /** Labels the x axis (default {@code "value"}). Returns {@code this}. */
    public Histogram xLabel(String xLabel) {
        this.xLabel = xLabel;
        return this;
    }

    /** The {@code bins + 1} bin edges, shared by all groups. */
    public double[] edges() {
        return edges.clone();
    }

    /** The count per bin of the group named {@code group}. */
    public long[] counts(String group) {
        long[] c = counts.get(group);
        if (c == null) {
            throw new IllegalArgumentException("no group '" + group + "' in histogram '" + title + "'; groups are "
                    + counts.keySet());
        }
        return c.clone();
    }

    /** Writes the figure as an 800×500 PNG. */
    public void write(Path file) throws IOException {
        write(file, 800, 500);
    }

    /** Writes the figure as a {@code width×height} PNG, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        Png.write(build(width, height), file);
    }

    XYChart build(int width, int height) {
        Png.checkSize(width, height);
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle("count").build();
        chart.getStyler().setSeriesColors(Png.TAB10)
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(LegendPosition.OutsideE); // inside, it hides the bins under it
        int bins = edges.length - 1;
        for (Map.Entry<String, long[]> group : counts.entrySet()) {
            // The outline of the bars: up the left edge of each bin, across its top, and down at the end.
            // Each top also passes through a point a third of the way along: with only the (equally spaced)
            // edges as x values, XChart would put its ticks on the edges, with labels like -0.4849026.
            long[] c = group.getValue();
            double[] x = new double[3 * bins + 2];
            double[] y = new double[3 * bins + 2];
            x[0] = edges[0];
            for (int b = 0; b < bins; b++) {
                x[3 * b + 1] = edges[b];
                x[3 * b + 2] = edges[b] + (edges[b + 1] - edges[b]) / 3;
                x[3 * b + 3] = edges[b + 1];
                y[3 * b + 1] = c[b];
                y[3 * b + 2] = c[b];
                y[3 * b + 3] = c[b];
            }
            x[3 * bins + 1] = edges[bins];
            XYSeries s = chart.addSeries(group.getKey(), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(1.8f));
        }
        return chart;
    }
}
