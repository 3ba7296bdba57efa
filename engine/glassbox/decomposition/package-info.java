/**
 * Decomposition: linear dimensionality reduction, with scikit-learn's names and defaults.
 *
 * <ul>
 *   <li>{@link glassbox.decomposition.Pca} — {@code PCA}: the covariance eigen-decomposition (LAPACK
 *       {@code dsyevd} on the double scatter matrix) for {@code svd_solver="full"}, Halko et al.'s randomized
 *       SVD for {@code "randomized"}, and scikit-learn 1.2's {@code "auto"} choice between them.</li>
 * </ul>
 *
 * <p>Design: the data stay one float matrix; every product with the centred data goes through
 * {@code CenteredRows}, which centres one block of rows at a time into a double buffer for {@code dgemm}
 * (package-private, as is {@code RandomizedSvd}). All arithmetic that decides components and variances is
 * double. Signs follow scikit-learn's {@code svd_flip}, so two runs, and the two solvers, agree on them.
 */
package glassbox.decomposition;
