/**
 * Metrics: how good a model's predictions are, with scikit-learn's names and conventions.
 *
 * <ul>
 *   <li>{@link glassbox.metrics.ConfusionMatrix} — scikit-learn's {@code confusion_matrix} (rows true, columns
 *       predicted), with accuracy, per-class recall and precision, and the row-normalised matrix. Draw it
 *       with {@link glassbox.plot.ConfusionMatrixPlot}.</li>
 *   <li>{@link glassbox.metrics.AdjustedRandIndex} — {@code adjusted_rand_score} (Hubert &amp; Arabie 1985):
 *       agreement of two partitions corrected for chance; any int labels, DBSCAN's −1 included.</li>
 *   <li>{@link glassbox.metrics.ClusterLabels} — a label per cluster (the majority of its members, or the
 *       label of a representative such as the sample closest to its centre) and the accuracy of clustering
 *       read through that map.</li>
 *   <li>{@link glassbox.metrics.Trustworthiness} — {@code sklearn.manifold.trustworthiness} (Venna &amp;
 *       Kaski 2001): how far an embedding's nearest neighbours are from being the data's.</li>
 * </ul>
 *
 * <p>Inputs are class indices ({@code int[]}); a fault of the arguments (lengths that differ, a label out of
 * range) is an {@code IllegalArgumentException} naming the array, the index and the value.
 */
package glassbox.metrics;
