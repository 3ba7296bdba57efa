/**
 * Clustering: scikit-learn 1.2's algorithms, each a static {@code fit(x, options)} returning an immutable
 * result.
 *
 * <ul>
 *   <li>{@link glassbox.cluster.KMeans} — k-means: greedy k-means++ seeding, Lloyd's iterations, the best
 *       of {@code nInit} restarts ({@code KMeans(n_clusters, n_init=10)}).</li>
 *   <li>{@link glassbox.cluster.MiniBatchKMeans} — the same objective by stochastic steps on random batches
 *       with per-centre learning rates, random reassignment of starved centres and early stopping
 *       ({@code MiniBatchKMeans}).</li>
 *   <li>{@link glassbox.cluster.Dbscan} — scikit-learn's {@code DBSCAN} (Ester et al. 1996): radius
 *       neighbourhoods from blocked GEMM tiles, exact at {@code eps} (pairs within float rounding of it are
 *       re-measured in double; package-private {@code RadiusNeighborhoods}), expanded in
 *       {@code dbscan_inner}'s order, so that labels — border points included — equal scikit-learn's.</li>
 * </ul>
 *
 * <p>How they are built. Every point-to-centre distance is a float GEMM over a block of rows
 * ({@link glassbox.neighbors.PairwiseDistances}), the blocks shared out over the cores; the package-private
 * pieces are named for the phases: {@code KMeansPlusPlus} (seeding), {@code Lloyd} (one run of E- and
 * M-steps with empty-cluster relocation), {@code MiniBatchStep} (one mini-batch update),
 * {@code Assignment} (nearest centre and inertia), {@code RowBlocks} (the data cut into blocks that each
 * own their array, since jblas copies whole arrays). Inertias, centre sums and counts are double.
 *
 * <p>Reproducibility. The result depends only on the data and the options, never on the thread count:
 * randomness comes from one seeded {@link glassbox.util.Rng} drawn in a fixed order, parallel work writes
 * disjoint outputs, and sums across blocks are added in block order. The same seed does not reproduce
 * scikit-learn's random draws (another generator), so compare with it statistically.
 *
 * <p>Speed (MNIST's 60,000 training images / 255, {@code k = 120}, this project's 2-core machine, idle,
 * side by side with scikit-learn 1.2.1; {@code KMeansMnistTiming} in the tests re-measures it):
 * {@code KMeans} with {@code nInit 1} took 23.3 s for 124 iterations (seeding ≈ 5 s, ≈ 145 ms per
 * iteration) against scikit-learn's 22.6 s for 162 (seeding 8.2 s, ≈ 89 ms per iteration), inertia
 * 1.6371e6 against 1.6348e6. The per-iteration gap is BLAS threading, not arithmetic: the launcher runs
 * OpenBLAS with 2 threads, and two cores each handing a block to a 2-thread BLAS at once are no faster
 * than one; with {@code OPENBLAS_NUM_THREADS=1} (one BLAS thread per block, blocks on both cores — what
 * scikit-learn's {@code threadpool_limits} does) the same fit takes 14.3 s. {@code MiniBatchKMeans}
 * (batch 1024, {@code nInit 3}) takes 1.7–1.9 s against scikit-learn's 1.7–1.8 s, inertia within 0.3 %.
 *
 * <p>Input checks: the data must be a non-empty finite 2-D matrix with at least {@code nClusters} rows,
 * and is never modified; a bad option fails when the options record is built. Each failure is an
 * {@code IllegalArgumentException} naming the argument, its value and what was expected.
 */
package glassbox.cluster;
