package glassbox.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /**
     * Draws the x axis on a log scale (all x must then be positive). As for {@link #logY}, the axis runs from
     * the decade below the smallest x to the decade above the largest, so every decade it spans is labelled
     * and a sweep inside one decade (x from 2 to 50, say) still gets two labels. Returns {@code this}.
     */
    public LineChart logX(boolean logX) {
        this.logX = logX;
        return this;
    }

    /**
     * Draws the y axis on a log scale (all y must then be positive): for figures spanning decades, such as
     * gradient norms or update-to-weight ratios. The axis runs from the decade below the smallest y to the
     * decade above the largest, so that it always has at least two labelled ticks (a log axis labels only
     * powers of ten). Returns {@code this}.
     */
    public LineChart logY(boolean logY) {
        this.logY = logY;
        return this;
    }

    /**
     * Fixes the y axis to {@code [min, max]} (a fraction on {@code [0, 1]}, say), instead of fitting it to the
     * data, where an auto-fitted axis would exaggerate tiny changes. Returns {@code this}.
     */
    public LineChart yRange(double min, double max) {
        if (!(min < max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("y range needs finite min < max, got [" + min + ", " + max + "]");
        }
        this.yMin = min;
        this.yMax = max;
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
        // XChart labels only the powers of ten on a log axis: an axis cut to the data's own range may hold
        // a single one, so log axes run over whole decades
        if (logX) {
            double[] decades = wholeDecades(series.stream().map(Series::x).toList());
            chart.getStyler().setXAxisMin(decades[0]).setXAxisMax(decades[1]);
        }
        if (logY && Double.isNaN(yMin)) {
            double[] decades = wholeDecades(series.stream().map(Series::y).toList());
            chart.getStyler().setYAxisMin(decades[0]).setYAxisMax(decades[1]);
        } else if (!Double.isNaN(yMin)) {
            chart.getStyler().setYAxisMin(yMin).setYAxisMax(yMax);
        }
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
        if (!logX && distinctX() > TICKS_ON_POINTS) {
            roundNumberTicks(chart);
        }
        return chart;
    }

    /**
     * Up to this many distinct x values, XChart may put the x ticks on the points themselves (epochs 1, 2, …, 20
     * each labelled); beyond it the ticks go at round numbers (0, 200, 400, …).
     */
    static final int TICKS_ON_POINTS = 20;

    private static final String TICK_ANCHOR = "\u0000round x ticks";

    /** {@code [10^floor(log10 min), 10^ceil(log10 max)]} over all values, at least one decade wide. */
    private static double[] wholeDecades(List<double[]> values) {
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (double[] vs : values) {
            for (double v : vs) {
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
        }
        double lowDecade = Math.floor(Math.log10(low));
        double highDecade = Math.max(Math.ceil(Math.log10(high)), lowDecade + 1);
        return new double[] {Math.pow(10, lowDecade), Math.pow(10, highDecade)};
    }

    private int distinctX() {
        return (int) series.stream().flatMapToDouble(s -> Arrays.stream(s.x)).distinct().count();
    }

    /**
     * When the x values are evenly spaced (steps 1 … 1000, a sorted-distance curve), XChart puts the ticks on
     * data points — every 42nd step, say: labels 1, 43, 85, … packed as tightly as they fit. It checks the
     * spacing over the x values of all series in the order added, so one more x value, between the first two
     * points, turns the check off and XChart picks round numbers a tick-spacing apart instead. That value comes
     * as a series with no line, no marker and no legend entry, at the first point's height (so the y range is
     * unchanged).
     */
    private void roundNumberTicks(XYChart chart) {
        // a name no caption uses, so it never clashes with a caller's series
        Series first = series.get(0);
        double between = first.x.length > 1 ? (first.x[0] + first.x[1]) / 2 : first.x[0];
        XYSeries anchor = chart.addSeries(TICK_ANCHOR, new double[] {between}, new double[] {first.y[0]});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineStyle(SeriesLines.NONE);
        anchor.setShowInLegend(false);
    }
}
