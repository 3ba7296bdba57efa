package glassbox.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Points in the plane, one colour per group — matplotlib's {@code plt.scatter(x, y, c=labels)}. Used for
 * 2-D embeddings (PCA, t-SNE) coloured by class, and for clusterings coloured by cluster.
 *
 * <pre>{@code
 * ScatterPlot.byLabel("t-SNE of MNIST", emb0, emb1, labels, null).write(runDir.resolve("tsne.png"));
 * }</pre>
 */
public final class ScatterPlot {
    static {
        Png.ensureHeadless();
    }

    private record Group(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Group> groups = new ArrayList<>();
    private int markerSize = 4;

    public ScatterPlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * One group per distinct label, in increasing label order: point {@code i} is {@code (x[i], y[i])}
     * coloured by {@code labels[i]}. A group is named {@code names[label]} when {@code names} is given,
     * else by the label's number ({@code -1}, DBSCAN's noise, included).
     */
    public static ScatterPlot byLabel(String title, double[] x, double[] y, int[] labels, String[] names) {
        return byLabel(title, "", "", x, y, labels, names);
    }

    /** {@link #byLabel(String, double[], double[], int[], String[])} with axis titles. */
    public static ScatterPlot byLabel(String title, String xLabel, String yLabel, double[] x, double[] y, int[] labels,
                                      String[] names) {
        if (x.length != y.length || x.length != labels.length) {
            throw new IllegalArgumentException("x, y and labels must have one length, got " + x.length + ", "
                    + y.length + ", " + labels.length);
        }
        TreeMap<Integer, Integer> sizes = new TreeMap<>();
        for (int label : labels) {
            sizes.merge(label, 1, Integer::sum);
        }
        ScatterPlot plot = new ScatterPlot(title, xLabel, yLabel);
        for (var entry : sizes.entrySet()) {
            int label = entry.getKey();
            if (names != null && (label < 0 || label >= names.length)) {
                throw new IllegalArgumentException("label " + label + " has no name: names has " + names.length
                        + " entries");
            }
            double[] gx = new double[entry.getValue()];
            double[] gy = new double[entry.getValue()];
            int k = 0;
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == label) {
                    gx[k] = x[i];
                    gy[k] = y[i];
                    k++;
                }
            }
            plot.add(names != null ? names[label] : String.valueOf(label), gx, gy);
        }
        return plot;
    }

    /** Adds a group of points {@code (x[i], y[i])} named {@code name}. Returns {@code this}. */
    public ScatterPlot add(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("group '" + name + "' needs x and y of one length, got " + x.length
                    + " and " + y.length);
        }
        for (Group g : groups) {
            if (g.name.equals(name)) {
                throw new IllegalArgumentException("group name '" + name + "' is already used in '" + title + "'");
            }
        }
        groups.add(new Group(name, x.clone(), y.clone()));
        return this;
    }

    /** Marker diameter in pixels (default 4: small enough for tens of thousands of points). */
    public ScatterPlot markerSize(int markerSize) {
        if (markerSize < 1) {
            throw new IllegalArgumentException("markerSize must be at least 1, got " + markerSize);
        }
        this.markerSize = markerSize;
        return this;
    }

    /** Writes the plot as a 700×600 PNG. */
    public void write(Path file) throws IOException {
        write(file, 700, 600);
    }

    /** Writes the plot as a {@code width×height} PNG, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        Png.write(build(width, height), file);
    }

    XYChart build(int width, int height) {
        Png.checkSize(width, height);
        if (groups.isEmpty()) {
            throw new IllegalStateException("scatter plot '" + title + "' has no points: add a group before writing");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter)
                .setSeriesColors(Png.TAB10)
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(LegendPosition.OutsideE)
                .setMarkerSize(markerSize);
        for (Group g : groups) {
            chart.addSeries(g.name, g.x, g.y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }
}
