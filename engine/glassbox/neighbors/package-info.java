/**
 * Distances and neighbours: the shared base of the unsupervised toolkit.
 *
 * <ul>
 *   <li>{@link glassbox.neighbors.PairwiseDistances} — squared Euclidean distances between the rows of two
 *       matrices as one GEMM per block ({@code ‖a‖² + ‖b‖² − 2a·b}), and the input check every estimator
 *       uses.</li>
 *   <li>{@link glassbox.neighbors.NearestNeighbors} — exact k nearest neighbours by brute force over GEMM
 *       tiles with a bounded heap per query, in memory linear in {@code n}
 *       ({@code NearestNeighbors(algorithm="brute").kneighbors}), and
 *       {@code pairwise_distances_argmin_min}.</li>
 * </ul>
 *
 * <p>Conventions. Data are {@code (n_samples, n_features)} float tensors; distances are Euclidean unless a
 * name says squared; neighbours are ordered nearest first with ties to the lower index; results do not
 * depend on the thread count.
 */
package glassbox.neighbors;
