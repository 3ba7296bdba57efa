/**
 * The figures of the seed notebooks, written as PNG files: {@link glassbox.plot.LineChart} (learning curves,
 * sweeps with error bars, log x axis), {@link glassbox.plot.ScatterPlot} (2-D embeddings coloured by label),
 * {@link glassbox.plot.Histogram} (overlaid step histograms of several groups), {@link glassbox.plot.BarChart}
 * (a value per category), {@link glassbox.plot.ImageGrid} (greyscale images with captions) and
 * {@link glassbox.plot.ConfusionMatrixPlot} (a heat map of counts with class names on both axes).
 *
 * <p>Charts are drawn by XChart; the image grid and the confusion matrix by plain {@code java.awt}. Every
 * class renders to bytes in memory and writes them through {@link glassbox.util.AtomicFiles}, and sets
 * {@code java.awt.headless=true} (unless the user set it) before touching AWT, so figures work on servers
 * and in CI. Text needs a font: a JVM on a machine without fontconfig and any installed font cannot draw
 * titles or captions. Colours follow matplotlib's default cycle ("tab10"); the confusion matrix's, its
 * "Blues" map. Every chart with a legend draws it outside the plot area (XChart's {@code OutsideE}), so a
 * legend never covers data; {@code LegendPlacementTest} checks it on each chart type.
 */
package glassbox.plot;
