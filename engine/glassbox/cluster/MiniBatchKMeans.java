package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import glassbox.util.Preview;

/**
 * Mini-batch k-means (Sculley, "Web-scale k-means clustering", WWW 2010): the k-means objective
 * ({@link KMeans}) optimised by stochastic steps on small random batches instead of full passes — far
 * cheaper per step, at the price of a slightly higher inertia. scikit-learn 1.2's
 * {@code MiniBatchKMeans}, step for step:
 *
 * <ol>
 *   <li><b>Initialisation</b>: draw a validation sample of {@code initSize} rows (with replacement); then
 *       {@code nInit} times, run k-means++ ({@link KMeansPlusPlus}) on a fresh random subsample of
 *       {@code initSize} rows and measure its inertia on the validation sample; keep the lowest.</li>
 *   <li><b>Steps</b>: up to {@code maxIter · n / batchSize} of them. Each draws {@code batchSize} rows
 *       with replacement, labels them with their nearest centre (blocked GEMM), and moves every centre
 *       that received rows to the running mean of all rows it has ever received:
 *       {@code c ← (c·count + Σ batch rows) / (count + batch count)} — a per-centre learning rate of
 *       {@code 1/count} ({@code _minibatch_update_dense}).</li>
 *   <li><b>Random reassignment</b> ({@code _mini_batch_step}): whenever a centre has never received a row,
 *       or at least {@code 10·k} rows were drawn since the last time, centres whose count is below
 *       {@code reassignmentRatio · max count} (at most half a batch of them, the lowest counts) jump to
 *       distinct random rows of the current batch, and their counts are raised to the lowest remaining
 *       count so that they do not jump again at once.</li>
 *   <li><b>Early stopping</b> ({@code _mini_batch_convergence}): on an exponentially weighted average of
 *       the batch inertia per row (weight {@code α = 2·batchSize/(n+1)}), stop after
 *       {@code maxNoImprovement} steps without a new minimum; with {@code tol > 0}, also stop once the
 *       centres moved by {@code Σ ‖Δc‖² ≤ tol · mean_f var(x_f)}. The first step is not counted: its
 *       inertia is that of the initialisation.</li>
 *   <li><b>Labels and inertia</b> of the final centres over the whole data, as {@link Result#predict}
 *       computes them ({@code compute_labels=True}).</li>
 * </ol>
 *
 * <p>Differences from scikit-learn: random numbers come from glassbox's generator, so the same seed does
 * not give scikit-learn's batches; ties in the reassignment's count order go to the lower index (NumPy's
 * {@code argsort} leaves them unspecified); counts and sums are double. The result depends only on the
 * data and the options, not on the thread count.
 */
public final class MiniBatchKMeans {
    private MiniBatchKMeans() {
    }

    /**
     * The hyper-parameters, with scikit-learn 1.2's names and defaults.
     *
     * @param nClusters         the number of clusters {@code k}, at least 1 and at most the number of rows
     * @param batchSize         rows per step (1024); more than the data means all of it
     * @param maxIter           passes over the data's worth of steps: at most {@code maxIter·n/batchSize}
     *                          steps (100)
     * @param maxNoImprovement  steps without a new minimum of the smoothed batch inertia before stopping, ≥ 0
     *                          (10; {@code Integer.MAX_VALUE} turns this off, scikit-learn's {@code None})
     * @param tol               relative tolerance on the centres' squared shift per step, ≥ 0 (0 = off)
     * @param initSize          rows drawn for each k-means++ trial and for the validation sample; 0 means
     *                          {@code 3·batchSize} (scikit-learn's {@code None}); raised to {@code 3·k} if
     *                          below {@code k}; capped at the number of rows
     * @param reassignmentRatio counts below this fraction of the largest count get their centre moved, ≥ 0
     *                          (0.01; 0 = never)
     * @param nInit             k-means++ trials, the best on the validation sample kept (3)
     * @param seed              seeds every random choice
     */
    public record Options(int nClusters, int batchSize, int maxIter, int maxNoImprovement, double tol,
                          int initSize, double reassignmentRatio, int nInit, long seed) {
        public Options {
            if (nClusters <= 0) {
                throw new IllegalArgumentException("nClusters is " + nClusters + "; expected at least 1");
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batchSize is " + batchSize + "; expected at least 1 row");
            }
            if (maxIter <= 0) {
                throw new IllegalArgumentException("maxIter is " + maxIter + "; expected at least 1");
            }
            if (maxNoImprovement < 0) {
                throw new IllegalArgumentException("maxNoImprovement is " + maxNoImprovement + "; expected >= 0");
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("tol is " + tol + "; expected a finite value >= 0");
            }
            if (initSize < 0) {
                throw new IllegalArgumentException("initSize is " + initSize
                        + "; expected >= 0 (0 = 3·batchSize, scikit-learn's default)");
            }
            if (!(reassignmentRatio >= 0) || Double.isInfinite(reassignmentRatio)) {
                throw new IllegalArgumentException("reassignmentRatio is " + reassignmentRatio
                        + "; expected a finite value >= 0");
            }
            if (nInit <= 0) {
                throw new IllegalArgumentException("nInit is " + nInit + "; expected at least 1 trial");
            }
        }

        /** batchSize 1024, maxIter 100, maxNoImprovement 10, tol 0, initSize 3·batchSize, ratio 0.01, nInit 3. */
        public static Options defaults(int nClusters) {
            return new Options(nClusters, 1024, 100, 10, 0.0, 0, 0.01, 3, 0);
        }

        public Options withBatchSize(int batchSize) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withMaxIter(int maxIter) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withMaxNoImprovement(int maxNoImprovement) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withTol(double tol) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withInitSize(int initSize) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withReassignmentRatio(double reassignmentRatio) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withNInit(int nInit) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }

        public Options withSeed(long seed) {
            return new Options(nClusters, batchSize, maxIter, maxNoImprovement, tol, initSize, reassignmentRatio,
                    nInit, seed);
        }
    }

    /**
     * A fitted clustering: scikit-learn's {@code cluster_centers_}, {@code labels_}, {@code inertia_},
     * {@code n_iter_} (passes over the data's worth of steps, rounded up) and {@code n_steps_}.
     */
    public record Result(Tensor clusterCenters, int[] labels, double inertia, int nIter, int nSteps) {
        /** Each row's nearest centre (ties to the lower index), by blocked GEMM distances. */
        public int[] predict(Tensor x) {
            return KMeans.predictNearest(x, clusterCenters);
        }

        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "MiniBatchKMeans.Result(nClusters=" + clusterCenters.dim(0) + ", inertia_=" + Preview.number(inertia)
                    + ", nIter_=" + nIter + ", nSteps_=" + nSteps + ", labels_=" + Preview.of(labels)
                    + ", clusterCenters_=" + clusterCenters + ")";
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
        KMeans.requireEnoughSamples(k, n);
        float[] data = x.data();
        int batchSize = Math.min(options.batchSize(), n);
        int initSize = options.initSize() == 0 ? 3 * batchSize : options.initSize();
        initSize = Math.min(initSize < k ? 3 * k : initSize, n);
        double tol = options.tol() == 0 ? 0 : options.tol() * KMeans.meanVariance(data, n, d, new double[d]);
        Rng rng = new Rng(options.seed());

        float[] centers = initialCenters(data, n, d, k, initSize, options.nInit(), rng);
        float[] centersNew = new float[k * d];
        MiniBatchStep stepper = new MiniBatchStep(k, d, options.reassignmentRatio());
        EarlyStopping stopping = new EarlyStopping(n, batchSize, options.maxNoImprovement(), tol);
        long maxSteps = (long) options.maxIter() * n / batchSize;
        long rowsSinceReassign = 0;
        float[] batch = new float[batchSize * d];
        int steps = 0;
        while (steps < maxSteps) {
            for (int i = 0; i < batchSize; i++) {
                System.arraycopy(data, rng.nextInt(n) * d, batch, i * d, d);
            }
            rowsSinceReassign += batchSize;
            boolean reassign = stepper.anyEmpty() || rowsSinceReassign >= 10L * k;
            if (reassign) {
                rowsSinceReassign = 0;
            }
            double batchInertia = stepper.step(batch, batchSize, centers, centersNew, reassign, rng);
            double shift = 0;
            if (tol > 0) {
                for (int at = 0; at < centers.length; at++) {
                    double moved = (double) centersNew[at] - centers[at];
                    shift += moved * moved;
                }
            }
            float[] t = centers;
            centers = centersNew;
            centersNew = t;
            steps++;
            if (stopping.converged(steps, shift, batchInertia)) {
                break;
            }
        }
        int[] labels = Assignment.nearest(data, n, d, centers, k);
        double inertia = Assignment.inertia(data, n, d, centers, labels);
        int nIter = (int) Math.ceil((double) steps * batchSize / n);
        return new Result(new Tensor(centers, k, d), labels, inertia, nIter, steps);
    }

    /**
     * scikit-learn's initialisation: a validation sample, then {@code nInit} k-means++ trials on random
     * subsamples, the one of lowest validation inertia kept (the first of equals).
     */
    private static float[] initialCenters(float[] data, int n, int d, int k, int initSize, int nInit, Rng rng) {
        float[] validation = new float[initSize * d];
        for (int i = 0; i < initSize; i++) {
            System.arraycopy(data, rng.nextInt(n) * d, validation, i * d, d);
        }
        float[] best = null;
        double bestInertia = Double.POSITIVE_INFINITY;
        for (int trial = 0; trial < nInit; trial++) {
            RowBlocks sample;
            if (initSize < n) {
                int[] index = new int[initSize];
                for (int i = 0; i < initSize; i++) {
                    index[i] = rng.nextInt(n);
                }
                sample = RowBlocks.gather(data, d, index);
            } else {
                sample = RowBlocks.copyOf(data, n, d, null);
            }
            int[] seeds = KMeansPlusPlus.seeds(sample, k, rng);
            float[] centers = new float[k * d];
            for (int j = 0; j < k; j++) {
                sample.copyRow(seeds[j], centers, j * d);
            }
            int[] labels = Assignment.nearest(validation, initSize, d, centers, k);
            double inertia = Assignment.inertia(validation, initSize, d, centers, labels);
            if (best == null || inertia < bestInertia) {
                best = centers;
                bestInertia = inertia;
            }
        }
        return best;
    }

    /** scikit-learn's {@code _mini_batch_convergence}: the smoothed batch inertia and the centre shift. */
    private static final class EarlyStopping {
        private final double alpha;
        private final int batchSize;
        private final int maxNoImprovement;
        private final double tol;
        private double ewaInertia = Double.NaN;
        private double ewaInertiaMin = Double.NaN;
        private int noImprovement;

        EarlyStopping(int n, int batchSize, int maxNoImprovement, double tol) {
            this.alpha = Math.min(batchSize * 2.0 / (n + 1), 1);
            this.batchSize = batchSize;
            this.maxNoImprovement = maxNoImprovement;
            this.tol = tol;
        }

        /** Whether to stop after step {@code step} (counted from 1). */
        boolean converged(int step, double centersSquaredShift, double batchInertia) {
            double perRow = batchInertia / batchSize; // comparable whatever the batch size
            if (step == 1) {
                return false; // its inertia is the initialisation's
            }
            ewaInertia = Double.isNaN(ewaInertia) ? perRow : ewaInertia * (1 - alpha) + perRow * alpha;
            if (tol > 0 && centersSquaredShift <= tol) {
                return true;
            }
            if (Double.isNaN(ewaInertiaMin) || ewaInertia < ewaInertiaMin) {
                noImprovement = 0;
                ewaInertiaMin = ewaInertia;
            } else {
                noImprovement++;
            }
            return noImprovement >= maxNoImprovement;
        }
    }
}
