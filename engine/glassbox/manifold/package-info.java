/**
 * Manifold learning: {@link glassbox.manifold.Tsne}, t-SNE as scikit-learn 1.2 runs it — exact for small
 * {@code n}, Barnes-Hut (van der Maaten 2014) otherwise.
 *
 * <p><b>The files, in the order {@code Tsne.fit} uses them.</b>
 * <ul>
 *   <li>{@code TsneChecks} — the argument checks (scikit-learn's parameter constraints).</li>
 *   <li>{@link glassbox.neighbors.NearestNeighbors} — each point's {@code ⌊3·perplexity⌋ + 1} nearest
 *       neighbours, exact, by blocked GEMM (distances then recomputed in double).</li>
 *   <li>{@code Affinities} — the perplexity calibration and the symmetric joint probabilities {@code P},
 *       sparse (CSR) or dense.</li>
 *   <li>{@link glassbox.decomposition.Pca} (full solver) — the scores for {@code init = PCA}, scaled to a
 *       first-column standard deviation of 10⁻⁴.</li>
 *   <li>{@code GradientDescent} — scikit-learn's optimiser: momentum and per-coordinate gains, run twice
 *       (early exaggeration, then the rest).</li>
 *   <li>{@code BarnesHutGradient} over a {@code SpaceTree} (quad-tree in 2-D, oct-tree in 3-D), and
 *       {@code ExactGradient}, the O(n²) oracle it is tested against.</li>
 * </ul>
 *
 * <p><b>Choices made here.</b>
 * <ul>
 *   <li>Double for affinities, gradients and the embedding (scikit-learn: float32 in Barnes-Hut).</li>
 *   <li>The neighbour search is brute force, not a VP-tree (bhtsne's choice): measured on the 10,000 MNIST
 *       test images with k = 90 on this 2-core machine, the blocked-GEMM search took 0.7 s on PCA-50 against
 *       the VP-tree's 2.3 s, and 2.0 s on the raw 784 pixels against 48–62 s. Both return the same
 *       neighbours. {@link glassbox.neighbors.VpTree} stays for low-dimensional data.</li>
 *   <li>The tree lives in flat arrays, is rebuilt every iteration, keeps no empty cells, and is traversed
 *       iteratively; the children of an opened cell are judged together. Its build (one thread) overlaps the
 *       attractive forces (the other threads).</li>
 *   <li>Parallel work is split by point; each point writes only its own slots, and every sum over points
 *       runs in index order afterwards: the same seed gives the same bits on 1 or 2 threads.</li>
 *   <li>For a 3-D embedding (α = 2) the gradient is the KL divergence's derivative; scikit-learn's formula
 *       differs there (see {@code ExactGradient}).</li>
 * </ul>
 */
package glassbox.manifold;
