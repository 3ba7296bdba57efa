package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import glassbox.util.Preview;

/**
 * k-means clustering: {@code k} centres minimising the <em>inertia</em>, the sum of squared distances from
 * each row to its nearest centre, {@code Σ_i min_j ‖x_i − c_j‖²}. scikit-learn's
 * {@code KMeans(n_clusters, init="k-means++", n_init=10, max_iter=300, tol=1e-4, algorithm="lloyd")} of
 * version 1.2, and the same algorithm step for step:
 *
 * <ol>
 *   <li><b>Centre the data</b> (subtract each feature's mean, on a copy) so that the GEMM distances
 *       {@code ‖a‖² + ‖b‖² − 2a·b} cancel less; the centres are shifted back at the end.</li>
 *   <li><b>Tolerance</b>: {@code tol} is relative to the data: the run stops when the centres move by
 *       {@code Σ_j ‖Δc_j‖² ≤ tol · mean_f var(x_f)} (scikit-learn's {@code _tolerance}).</li>
 *   <li><b>{@code nInit} restarts</b>, one random generator drawn in turn: each seeds with greedy
 *       k-means++ ({@link KMeansPlusPlus}, Arthur &amp; Vassilvitskii 2007) and runs Lloyd's iterations
 *       ({@link Lloyd}); the run of lowest inertia is kept — a later run replaces the best only if its
 *       inertia is lower and its clustering is not the same one relabelled, as scikit-learn decides.</li>
 *   <li><b>Final labels</b> of the kept centres are computed as {@link Result#predict} computes them, and
 *       the inertia from those labels in double, so {@code predict(x)} reproduces {@code labels}.</li>
 * </ol>
 *
 * <p>The point-to-centre distances are float GEMMs over blocks of rows on every core (the assignment is
 * where the time goes: {@code 2·n·k·d} flops per iteration); sums are double. The result depends only on
 * the data and the options — the same bits whatever the thread count. k-means finds a local minimum;
 * it assumes roughly spherical clusters of similar size, and the inertia always falls with {@code k}.
 *
 * <p>Not provided: sample weights, {@code init="random"} or given centres, Elkan's algorithm.
 */
public final class KMeans {
    private KMeans() {
    }

    /**
     * The hyper-parameters, with scikit-learn 1.2's names and defaults.
     *
     * @param nClusters the number of clusters {@code k}, at least 1 and at most the number of rows
     * @param nInit     k-means++ restarts, the best kept (scikit-learn 1.2's default 10)
     * @param maxIter   the most Lloyd iterations per restart (300)
     * @param tol       relative tolerance on the centres' squared shift, ≥ 0 (1e-4); 0 stops only on
     *                  unchanged labels or {@code maxIter}
     * @param seed      seeds every random choice
     */
    public record Options(int nClusters, int nInit, int maxIter, double tol, long seed) {
        public Options {
            if (nClusters <= 0) {
                throw new IllegalArgumentException("nClusters is " + nClusters + "; expected at least 1");
            }
            if (nInit <= 0) {
                throw new IllegalArgumentException("nInit is " + nInit + "; expected at least 1 restart");
            }
            if (maxIter <= 0) {
                throw new IllegalArgumentException("maxIter is " + maxIter + "; expected at least 1 iteration");
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("tol is " + tol + "; expected a finite value >= 0");
            }
        }

        /** {@code nInit} 10, {@code maxIter} 300, {@code tol} 1e-4, {@code seed} 0. */
        public static Options defaults(int nClusters) {
            return new Options(nClusters, 10, 300, 1e-4, 0);
        }

        public Options withNInit(int nInit) {
            return new Options(nClusters, nInit, maxIter, tol, seed);
        }

        public Options withMaxIter(int maxIter) {
            return new Options(nClusters, nInit, maxIter, tol, seed);
        }

        public Options withTol(double tol) {
            return new Options(nClusters, nInit, maxIter, tol, seed);
        }

        public Options withSeed(long seed) {
            return new Options(nClusters, nInit, maxIter, tol, seed);
        }
    }

    /**
     * A fitted clustering: scikit-learn's {@code cluster_centers_}, {@code labels_}, {@code inertia_},
     * {@code n_iter_} (the iterations of the kept run).
     *
     * @param clusterCenters {@code (k, d)}
     * @param labels         each row's cluster, its nearest centre
     * @param inertia        {@code Σ_i ‖x_i − c_{labels[i]}‖²}, in double
     * @param nIter          Lloyd iterations of the kept restart
     */
    public record Result(Tensor clusterCenters, int[] labels, double inertia, int nIter) {
        /** Each row's nearest centre (ties to the lower index), by blocked GEMM distances. */
        public int[] predict(Tensor x) {
            return predictNearest(x, clusterCenters);
        }

        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "KMeans.Result(nClusters=" + clusterCenters.dim(0) + ", inertia_=" + Preview.number(inertia)
                    + ", nIter_=" + nIter + ", labels_=" + Preview.of(labels) + ", clusterCenters_=" + clusterCenters + ")";
        }
    }

    /**
     * Clusters the rows of {@code x} ({@code (n_samples, n_features)}, finite, not modified).
     *
     * @throws IllegalArgumentException if {@code x} is not a non-empty finite matrix or has fewer rows than
     *                                  {@code nClusters}
     */
    public static Result fit(Tensor x, Options options) {
        PairwiseDistances.requireFiniteMatrix("x", x);
        int n = x.dim(0);
        int d = x.dim(1);
        int k = options.nClusters();
        requireEnoughSamples(k, n);
        double[] mean = new double[d];
        double meanVariance = meanVariance(x.data(), n, d, mean);
        double tol = options.tol() * meanVariance;
        RowBlocks centred = RowBlocks.copyOf(x.data(), n, d, mean);

        Rng rng = new Rng(options.seed());
        Lloyd.Run best = null;
        double bestInertia = Double.POSITIVE_INFINITY;
        float[] init = new float[k * d];
        for (int restart = 0; restart < options.nInit(); restart++) {
            int[] seeds = KMeansPlusPlus.seeds(centred, k, rng);
            for (int j = 0; j < k; j++) {
                centred.copyRow(seeds[j], init, j * d);
            }
            Lloyd.Run run = Lloyd.run(centred, init, k, options.maxIter(), tol);
            double inertia = inertia(centred, run.centers(), run.labels());
            if (best == null || (inertia < bestInertia && !sameClustering(run.labels(), best.labels(), k))) {
                best = run;
                bestInertia = inertia;
            }
        }
        float[] centers = best.centers().clone();
        for (int j = 0; j < k; j++) {
            for (int f = 0; f < d; f++) {
                centers[j * d + f] = (float) (centers[j * d + f] + mean[f]);
            }
        }
        int[] labels = Assignment.nearest(x.data(), n, d, centers, k);
        double inertia = Assignment.inertia(x.data(), n, d, centers, labels);
        return new Result(new Tensor(centers, k, d), labels, inertia, best.nIter());
    }

    static void requireEnoughSamples(int nClusters, int n) {
        if (nClusters > n) {
            throw new IllegalArgumentException("nClusters is " + nClusters + " but x has " + n
                    + " samples; expected nClusters <= n_samples");
        }
    }

    /**
     * {@code mean_f var(x_f)}, the variance per feature averaged over the features (scikit-learn's
     * {@code _tolerance} scale), in double; fills {@code mean} with the per-feature means.
     */
    static double meanVariance(float[] x, int n, int d, double[] mean) {
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                mean[f] += x[i * d + f];
            }
        }
        for (int f = 0; f < d; f++) {
            mean[f] /= n;
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                double diff = x[i * d + f] - mean[f];
                total += diff * diff;
            }
        }
        return total / n / d;
    }

    /** The inertia of a run on the (centred) blocks, summed in double in row order. */
    private static double inertia(RowBlocks x, float[] centers, int[] labels) {
        double total = 0;
        for (int b = 0; b < x.count(); b++) {
            for (int i = 0, m = x.size(b); i < m; i++) {
                total += Assignment.squaredDistance(x.rows[b], i * x.d, centers, labels[x.start(b) + i] * x.d, x.d);
            }
        }
        return total;
    }

    /**
     * Whether two labellings are the same partition up to renaming the clusters (scikit-learn's
     * {@code _is_same_clustering}): then a lower inertia is rounding, not a better clustering.
     */
    static boolean sameClustering(int[] labels1, int[] labels2, int k) {
        int[] mapping = new int[k];
        java.util.Arrays.fill(mapping, -1);
        for (int i = 0; i < labels1.length; i++) {
            if (mapping[labels1[i]] == -1) {
                mapping[labels1[i]] = labels2[i];
            } else if (mapping[labels1[i]] != labels2[i]) {
                return false;
            }
        }
        return true;
    }

    /** The shared {@code predict}: checks {@code x} against the centres' width, then labels its rows. */
    static int[] predictNearest(Tensor x, Tensor centers) {
        PairwiseDistances.requireFiniteMatrix("x", x);
        int d = centers.dim(1);
        if (x.dim(1) != d) {
            throw new IllegalArgumentException("x has " + x.dim(1) + " features (shape " + Tensor.shapeString(x.shape())
                    + "); expected " + d + ", as the data the centres were fitted on");
        }
        return Assignment.nearest(x.data(), x.dim(0), d, centers.data(), centers.dim(0));
    }
}
