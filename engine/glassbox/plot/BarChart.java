package glassbox.plot;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Bars of one value per category, one or more series side by side — matplotlib's {@code plt.bar}. For
 * per-class results (accuracy per digit, cluster sizes) and model comparisons. For distributions of values,
 * see {@link Histogram}.
 *
 * <pre>{@code
 * new BarChart("Accuracy per class", "class", "accuracy", classNames)
 *         .add("dense", accDense).add("cnn", accCnn).write(file);
 * }</pre>
 */
public final class BarChart {
    static {
        Png.ensureHeadless();
    }

    private record Series(String name, double[] values) {
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();
    private boolean logarithmic;

    /** A bar chart over {@code categories} (the x axis, in this order). */
    public BarChart(String title, String xLabel, String yLabel, String... categories) {
        if (categories.length == 0) {
            throw new IllegalArgumentException("bar chart '" + title + "' needs at least one category, got none");
        }
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.categories = List.copyOf(Arrays.asList(categories));
    }

    /** Adds a series with one value per category. Returns {@code this}. */
    public BarChart add(String name, double[] values) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException("series '" + name + "' has " + values.length + " values, expected "
                    + categories.size() + " (one per category)");
        }
        for (Series s : series) {
            if (s.name.equals(name)) {
                throw new IllegalArgumentException("series name '" + name + "' is already used in '" + title + "'");
            }
        }
        series.add(new Series(name, values.clone()));
        return this;
    }

    /**
     * A logarithmic value axis, for values that span orders of magnitude (a benchmark ladder's GFLOP/s):
     * every value must then be positive. Returns {@code this}.
     */
    public BarChart logarithmic() {
        this.logarithmic = true;
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

    private double smallestValue() {
        double min = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values) {
                if (!(v > 0)) {
                    throw new IllegalArgumentException("bar chart '" + title + "' has a logarithmic axis but series '"
                            + s.name + "' has the value " + v + ": every value must be positive");
                }
                min = Math.min(min, v);
            }
        }
        return min;
    }

    private double largestValue() {
        double max = 0;
        for (Series s : series) {
            for (double v : s.values) {
                max = Math.max(max, v);
            }
        }
        return max;
    }

    CategoryChart build(int width, int height) {
        Png.checkSize(width, height);
        if (series.isEmpty()) {
            throw new IllegalStateException("bar chart '" + title + "' has no series: add one before writing");
        }
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setSeriesColors(Png.TAB10)
                .setChartBackgroundColor(Color.WHITE)
                .setLegendPosition(LegendPosition.OutsideE) // inside, it would cover the tallest bars
                .setLegendVisible(series.size() > 1);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) {
            // bars grow from the axis minimum, which XChart puts at 0 for bars: a log axis needs it positive
            // and whole decades at both ends, so that the axis is labelled at the top too
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallestValue()))));
            chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(largestValue()))));
        }
        for (Series s : series) {
            List<Double> values = new ArrayList<>();
            for (double v : s.values) {
                values.add(v);
            }
            chart.addSeries(s.name, categories, values);
        }
        return chart;
    }
}
