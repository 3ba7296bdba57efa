/**
 * Metrics: how good a model's predictions are, with scikit-learn's names and conventions.
 *
 * <ul>
 *   <li>{@link glassbox.metrics.ConfusionMatrix} — scikit-learn's {@code confusion_matrix} (rows true, columns
 *       predicted), with accuracy, per-class recall and precision, and the row-normalised matrix. Draw it
 *       with {@link glassbox.plot.ConfusionMatrixPlot}.</li>
 * </ul>
 *
 * <p>Inputs are class indices ({@code int[]}); a fault of the arguments (lengths that differ, a label out of
 * range) is an {@code IllegalArgumentException} naming the array, the index and the value.
 */
package glassbox.metrics;
