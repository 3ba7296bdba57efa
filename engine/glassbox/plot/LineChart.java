package glassbox.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line plot of one or more named series of {@code (x, y)} points, with a marker on every point (none on a series of more than
 * {@link #DENSE_POINTS} points, such as a sorted-distance curve) and,
 * optionally, vertical error bars (e.g. ± one standard deviation over seeds) — matplotlib's
 * {@code plt.plot} / {@code plt.errorbar}. Learning curves (loss per epoch, train vs validation) and
 * sweeps (accuracy against a hyper-parameter, on a log x axis for learning rates) are drawn with it.
 *
 * <pre>{@code
 * new LineChart("Loss", "epoch", "loss")
 *         .add("train", epochs, trainLoss)
 *         .add("validation", epochs, valLoss)
 *         .write(runDir.resolve("loss.png"));
 * }</pre>
 *
 * Series keep the order they were added in and take their colours from matplotlib's default cycle. The
 * legend stands outside the plot area, to its right, so it never hides a point: learning curves end in
 * the top-right corner, exactly where an inside legend goes.
 *
 * <p>When two things vary at once — two models, each with a train and a validation curve — give each
 * series a {@link Style}: matplotlib's {@code plt.plot(x, y, color="C0", linestyle="--")}, one colour
 * per model and one line style per split, so that no two curves look alike.
 */
public final class LineChart {
    static {
        Png.ensureHeadless();
    }

    private record Series(String name, double[] x, double[] y, double[] yErrors, Style style) {
    }

    /**
     * How one series is drawn: {@code colour} is an index into matplotlib's default cycle (0 = "C0" blue,
     * 1 = "C1" orange, 2 = "C2" green, 3 = "C3" red, …, 9), and the line is solid or dashed ({@code "--"}).
     */
    public record Style(int colour, boolean dashed) {
        public Style {
            if (colour < 0 || colour >= Png.TAB10.length) {
                throw new IllegalArgumentException("line colour index " + colour + " is outside [0, "
                        + Png.TAB10.length + "): matplotlib's cycle has colours C0 … C9");
            }
        }

        /** A solid line in colour {@code "C<colour>"}. */
        public static Style solid(int colour) {
            return new Style(colour, false);
        }

        /** A dashed line in colour {@code "C<colour>"}. */
        public static Style dashed(int colour) {
            return new Style(colour, true);
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Draws the x axis on a log scale (all x must then be positive). Returns {@code this}. */
    public LineChart logX(boolean logX) {
        this.logX = logX;
        return this;
    }

    /**
     * Draws the y axis on a log scale (all y must then be positive): for rates spanning decades, such as
     * GFLOP/s from a naive loop to BLAS. Returns {@code this}.
     */
    public LineChart logY(boolean logY) {
        this.logY = logY;
        return this;
    }

    /** Adds a series named {@code name} through the points {@code (x[i], y[i])}. Returns {@code this}. */
    public LineChart add(String name, double[] x, double[] y) {
        return add(name, x, y, null);
    }

    /**
     * Adds a series with an error bar of half-height {@code yErrors[i]} at each point ({@code null}: none).
     * Returns {@code this}.
     */
    public LineChart add(String name, double[] x, double[] y, double[] yErrors) {
        return add(name, x, y, yErrors, null);
    }

    /**
     * Adds a series drawn in {@code style} ({@code null}: the next colour of the cycle, solid), with error
     * bars as {@link #add(String, double[], double[], double[])}. Returns {@code this}.
     */
    public LineChart add(String name, double[] x, double[] y, double[] yErrors, Style style) {
        if (x.length == 0 || x.length != y.length || (yErrors != null && yErrors.length != x.length)) {
            throw new IllegalArgumentException("series '" + name + "' needs x, y" + (yErrors != null ? ", yErrors" : "")
                    + " of one non-zero length, got " + x.length + ", " + y.length
                    + (yErrors != null ? ", " + yErrors.length : ""));
        }
        for (Series s : series) {
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("series name '" + name + "' is already used in '" + title + "'");
            }
        }
        series.add(new Series(name, x.clone(), y.clone(), yErrors == null ? null : yErrors.clone(), style));
        return this;
    }

    /** Writes the chart as an 800×500 PNG. */
    public void write(Path file) throws IOException {
        write(file, 800, 500);
    }

    /** Writes the chart as a {@code width×height} PNG, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        Png.write(build(width, height), file);
    }

    /** A series with more points than this is drawn as a bare line: markers would merge into a thick band. */
    static final int DENSE_POINTS = 200;

    XYChart build(int width, int height) {
        Png.checkSize(width, height);
        if (series.isEmpty()) {
            throw new IllegalStateException("line chart '" + title + "' has no series: add one before writing");
        }
        if (logX) {
            for (Series s : series) {
                for (double v : s.x) {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("a log x axis needs positive x, but series '" + s.name
                                + "' has x = " + v);
                    }
                }
            }
        }
        if (logY) {
            for (Series s : series) {
                for (double v : s.y) {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("a log y axis needs positive y, but series '" + s.name
                                + "' has y = " + v);
                    }
                }
            }
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setSeriesColors(Png.TAB10)
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(LegendPosition.OutsideE) // inside, it hides the points under it
                .setLegendVisible(series.size() > 1 || !series.get(0).name.isEmpty())
                .setMarkerSize(6);
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setErrorBarsColorSeriesColor(true);
        for (Series s : series) {
            XYSeries xy = s.yErrors == null ? chart.addSeries(s.name, s.x, s.y)
                    : chart.addSeries(s.name, s.x, s.y, s.yErrors);
            xy.setMarker(s.x.length > DENSE_POINTS ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            if (s.style != null) {
                Color colour = Png.TAB10[s.style.colour()];
                xy.setLineColor(colour);
                xy.setMarkerColor(colour);
                xy.setLineStyle(s.style.dashed() ? SeriesLines.DASH_DASH : SeriesLines.SOLID);
            }
        }
        return chart;
    }
}
