package glassbox.manifold;

import glassbox.decomposition.Pca;

import glassbox.neighbors.NearestNeighbors;
import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import glassbox.util.Rng;
import glassbox.util.Preview;
import java.util.ArrayList;
import java.util.List;

/**
 * t-distributed Stochastic Neighbor Embedding (van der Maaten &amp; Hinton 2008), with the Barnes-Hut
 * approximation (van der Maaten 2014): scikit-learn 1.2's {@code sklearn.manifold.TSNE}.
 *
 * <p><b>What it optimises.</b> t-SNE places {@code n} points in {@code nComponents} dimensions so that the
 * Student-t similarities {@code Q} of the embedding match the Gaussian similarities {@code P} of the data:
 * it minimises {@code KL(P‖Q) = Σ p_ij·ln(p_ij/q_ij)} by gradient descent. {@code P} is calibrated per point
 * to a {@code perplexity} (an effective number of neighbours); the heavy tail of {@code Q}
 * ({@code q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹}) lets dissimilar points sit far apart, which is what separates clusters.
 *
 * <p><b>The phases of {@link #fit}:</b>
 * <ol>
 *   <li><i>Neighbours</i> (Barnes-Hut only): each point's {@code k = min(n − 1, ⌊3·perplexity + 1⌋)} nearest
 *       neighbours, exact, Euclidean ({@link NearestNeighbors}).</li>
 *   <li><i>Affinities</i> ({@link Affinities}): binary search of each point's precision to the perplexity,
 *       then {@code P = (P_cond + P_condᵀ)/sum} — sparse (Barnes-Hut) or dense (exact).</li>
 *   <li><i>Initialisation</i>: PCA scores scaled so the first has standard deviation 10⁻⁴ (scikit-learn 1.2's
 *       {@code init='pca'}, {@link Pca} with the full solver), or 10⁻⁴·N(0, 1) (RANDOM, from {@code seed}).</li>
 *   <li><i>Early exaggeration</i>: 250 steps of {@link GradientDescent} with {@code P} multiplied by
 *       {@code earlyExaggeration} and momentum 0.5, letting clusters form and move freely.</li>
 *   <li><i>Optimisation</i>: the remaining {@code maxIter − 250} steps with momentum 0.8.</li>
 * </ol>
 * Each step's gradient is {@link BarnesHutGradient} (O(n log n), a quad-tree, θ = {@code angle}) or
 * {@link ExactGradient} (O(n²)). The degrees of freedom of the Student-t are {@code α = max(nComponents − 1, 1)}
 * (van der Maaten 2009, as scikit-learn). All arithmetic on affinities, gradients and the embedding is double.
 *
 * <p><b>Defaults</b> are scikit-learn 1.2's, with its announced 1.2 defaults taken as final:
 * {@code n_components=2, perplexity=30, early_exaggeration=12, learning_rate='auto'} ({@code max(n / 12 / 4, 50)}:
 * Belkina et al. 2019 and Kobak &amp; Berens 2019 propose {@code n / 12} for bhtsne, whose gradient omits the
 * factor 4 that scikit-learn's keeps, hence the further {@code / 4}; scikit-learn #18018),
 * {@code n_iter=1000, n_iter_without_progress=300, min_grad_norm=1e-7, angle=0.5, method='barnes_hut', init='pca'}.
 *
 * <p><b>Where glassbox differs:</b> double instead of float32 throughout; an exact PCA instead of a randomized
 * one; the true gradient for {@code α ≠ 1} (see {@link ExactGradient}); {@link Result#nIter()} counts the
 * iterations run (scikit-learn's {@code n_iter_} is the index of the last one, one less); with
 * {@code maxIter = 250} the KL divergence is the early-exaggeration phase's (scikit-learn reports float max).
 * The result is the same bits for the same seed whatever the number of threads.
 */
public final class Tsne {
    /** How many steps early exaggeration lasts (scikit-learn's {@code _EXPLORATION_N_ITER}). */
    public static final int EXPLORATION_N_ITER = 250;
    /** How often the KL divergence is computed and progress checked (scikit-learn's {@code _N_ITER_CHECK}). */
    public static final int N_ITER_CHECK = 50;

    private Tsne() {
    }

    /** How the gradient is computed: scikit-learn's {@code method}. */
    public enum Method { BARNES_HUT, EXACT }

    /** How the embedding starts: scikit-learn's {@code init}. */
    public enum Init { PCA, RANDOM }

    /**
     * t-SNE's hyper-parameters, scikit-learn's names in Java case.
     *
     * @param nComponents          the embedding's dimension (Barnes-Hut: at most 3)
     * @param perplexity           the effective number of neighbours each point's {@code P} is calibrated to; {@code < n}
     * @param earlyExaggeration    the factor on {@code P} for the first 250 steps, ≥ 1
     * @param learningRate         the step size, or NaN for scikit-learn's {@code 'auto'}: {@code max(n / earlyExaggeration / 4, 50)}
     * @param maxIter              the total number of steps (scikit-learn's {@code n_iter}), ≥ 250
     * @param nIterWithoutProgress stop after this many steps without a lower KL divergence (checked every 50; −1 … ∞)
     * @param minGradNorm          stop when the gradient's norm falls to this, ≥ 0
     * @param angle                Barnes-Hut's θ in [0, 1]: a cell is summarised when its width / distance &lt; θ
     * @param method               {@link Method#BARNES_HUT} or {@link Method#EXACT}
     * @param init                 {@link Init#PCA} or {@link Init#RANDOM}
     * @param seed                 seeds the random initialisation
     * @param verbose              print each phase's time and the KL divergence every 50 steps, as scikit-learn's {@code verbose=2}
     */
    public record Options(int nComponents, double perplexity, double earlyExaggeration, double learningRate,
                          int maxIter, int nIterWithoutProgress, double minGradNorm, double angle, Method method,
                          Init init, long seed, boolean verbose) {
        /** scikit-learn 1.2's defaults (init PCA, learning rate auto). */
        public static Options defaults() {
            return new Options(2, 30.0, 12.0, Double.NaN, 1000, 300, 1e-7, 0.5, Method.BARNES_HUT, Init.PCA, 0L, false);
        }

        public Options withNComponents(int v) {
            return new Options(v, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, seed, verbose);
        }

        public Options withPerplexity(double v) {
            return new Options(nComponents, v, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, seed, verbose);
        }

        public Options withEarlyExaggeration(double v) {
            return new Options(nComponents, perplexity, v, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, seed, verbose);
        }

        /** A fixed learning rate; {@code Double.NaN} means {@code 'auto'}. */
        public Options withLearningRate(double v) {
            return new Options(nComponents, perplexity, earlyExaggeration, v, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, seed, verbose);
        }

        public Options withMaxIter(int v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, v, nIterWithoutProgress, minGradNorm, angle, method, init, seed, verbose);
        }

        public Options withNIterWithoutProgress(int v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, v, minGradNorm, angle, method, init, seed, verbose);
        }

        public Options withMinGradNorm(double v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, v, angle, method, init, seed, verbose);
        }

        public Options withAngle(double v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, v, method, init, seed, verbose);
        }

        public Options withMethod(Method v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, v, init, seed, verbose);
        }

        public Options withInit(Init v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, v, seed, verbose);
        }

        public Options withSeed(long v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, v, verbose);
        }

        public Options withVerbose(boolean v) {
            return new Options(nComponents, perplexity, earlyExaggeration, learningRate, maxIter, nIterWithoutProgress, minGradNorm, angle, method, init, seed, v);
        }
    }

    /**
     * A fitted embedding.
     *
     * @param embedding    {@code (n, nComponents)}, float (computed in double): scikit-learn's {@code embedding_}
     * @param klDivergence the KL divergence at the last step (Barnes-Hut: with the approximate {@code Z}): {@code kl_divergence_}
     * @param nIter        the number of steps run (scikit-learn's {@code n_iter_} + 1)
     * @param klHistory    the KL divergence at every 50th step, early exaggeration included (there with the exaggerated {@code P})
     */
    public record Result(Tensor embedding, double klDivergence, int nIter, double[] klHistory) {
        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "Tsne.Result(klDivergence_=" + Preview.number(klDivergence) + ", nIter_=" + nIter + ", embedding_="
                    + embedding + ", klHistory=" + Preview.of(klHistory) + ")";
        }
    }

    /** Told of progress every 50 steps: the step count, the KL divergence and the seconds since {@code fit} began. */
    public interface Progress {
        void report(int iteration, double kl, double seconds);
    }

    /** Embeds the rows of {@code x} ({@code (n_samples, n_features)}, finite, left unmodified). */
    public static Result fit(Tensor x, Options options) {
        return fit(x, options, (iteration, kl, seconds) -> { });
    }

    /** {@link #fit(Tensor, Options)}, telling {@code progress} of each 50th step. */
    public static Result fit(Tensor x, Options options, Progress progress) {
        TsneChecks.validate(x, options);
        long start = System.nanoTime();
        int n = x.dim(0);
        int dims = options.nComponents();
        double alpha = Math.max(dims - 1, 1);
        double learningRate = Double.isNaN(options.learningRate())
                ? Math.max(n / options.earlyExaggeration() / 4, 50) : options.learningRate();
        Log log = new Log(options.verbose(), start);

        GradientDescent.Objective objective;
        if (options.method() == Method.BARNES_HUT) {
            int k = Math.min(n - 1, (int) (3.0 * options.perplexity() + 1));
            int[] indices = new int[n * k];
            double[] sqDistances = new double[n * k];
            nearestOthers(x, k, indices, sqDistances);
            log.phase("Computed " + k + " nearest neighbors for " + n + " samples");
            Affinities.SparseP p = Affinities.jointNearestNeighbors(indices, sqDistances, n, k, options.perplexity());
            log.phase("Computed conditional probabilities (" + p.nnz() + " non-zeros)");
            objective = new BarnesHutGradient(p, dims, options.angle(), alpha);
        } else {
            double[] p = Affinities.jointDense(allSquaredDistances(x), n, options.perplexity());
            log.phase("Computed conditional probabilities for all " + n + " × " + n + " pairs");
            objective = new ExactGradient(p, n, dims, alpha);
        }

        double[] y = initialEmbedding(x, options);
        log.phase("Initialised the embedding (" + options.init() + ")");

        List<Double> history = new ArrayList<>();
        GradientDescent.Checkpoint checkpoint = (iteration, error, gradNorm) -> {
            history.add(error);
            double seconds = (System.nanoTime() - start) / 1e9;
            log.line(String.format("Iteration %d: error = %.7f, gradient norm = %.7f (%.3fs)", iteration, error, gradNorm, seconds));
            progress.report(iteration, error, seconds);
        };
        GradientDescent.Outcome explore = GradientDescent.run(objective, y, 0, EXPLORATION_N_ITER, 0.5, learningRate,
                EXPLORATION_N_ITER, options.minGradNorm(), options.earlyExaggeration(), N_ITER_CHECK, checkpoint);
        log.line(String.format("KL divergence after %d iterations with early exaggeration: %f",
                explore.lastIteration() + 1, explore.error()));
        GradientDescent.Outcome last = GradientDescent.run(objective, y, explore.lastIteration() + 1, options.maxIter(),
                0.8, learningRate, options.nIterWithoutProgress(), options.minGradNorm(), 1.0, N_ITER_CHECK, checkpoint);
        boolean ranMore = explore.lastIteration() + 1 < options.maxIter();
        double kl = ranMore ? last.error() : explore.error();
        int nIter = (ranMore ? last.lastIteration() : explore.lastIteration()) + 1;
        log.line(String.format("KL divergence after %d iterations: %f", nIter, kl));

        float[] out = new float[y.length];
        for (int c = 0; c < y.length; c++) {
            out[c] = (float) y[c];
        }
        double[] klHistory = history.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(new Tensor(out, n, dims), kl, nIter, klHistory);
    }

    /** Every pair's squared Euclidean distance in double (the exact method: small {@code n}). */
    private static double[] allSquaredDistances(Tensor x) {
        int n = x.dim(0);
        int d = x.dim(1);
        float[] data = x.data();
        double[] sq = new double[n * n];
        Parallel.forEach(n, (long) n * d, i -> {
            for (int j = 0; j < n; j++) {
                sq[i * n + j] = PairwiseDistances.squaredDistanceExact(data, i, data, j, d);
            }
        });
        return sq;
    }

    /**
     * Each row's {@code k} nearest <em>other</em> rows, exact ({@link NearestNeighbors}: blocked GEMM, ties to
     * the lower index), with their squared distances recomputed in double for the perplexity calibration.
     * One neighbour more is asked for and the row itself dropped — not simply the first column, since with
     * duplicate rows a lower-indexed twin may come first.
     */
    static void nearestOthers(Tensor x, int k, int[] indices, double[] sqDistances) {
        int n = x.dim(0);
        int d = x.dim(1);
        NearestNeighbors.Result knn = NearestNeighbors.kneighbors(x, x, Math.min(n, k + 1));
        float[] data = x.data();
        Parallel.forEach(n, (long) k * d, i -> {
            int kept = 0;
            for (int j = 0; j < knn.k() && kept < k; j++) {
                int other = knn.index(i, j);
                if (other != i) {
                    indices[i * k + kept] = other;
                    sqDistances[i * k + kept] = PairwiseDistances.squaredDistanceExact(data, i, data, other, d);
                    kept++;
                }
            }
        });
    }

    /** PCA scores scaled to a first-column standard deviation of 10⁻⁴, or 10⁻⁴·N(0, 1). */
    static double[] initialEmbedding(Tensor x, Options options) {
        int n = x.dim(0);
        int dims = options.nComponents();
        if (options.init() == Init.RANDOM) {
            Rng rng = new Rng(options.seed());
            double[] y = new double[n * dims];
            for (int c = 0; c < y.length; c++) {
                y[c] = 1e-4 * rng.nextGaussian();
            }
            return y;
        }
        // scikit-learn: PCA(n_components, svd_solver="randomized") — the exact solver gives the same subspace
        Pca.Result pca = Pca.fit(x, Pca.Options.defaults(dims).withSvdSolver(Pca.Solver.FULL).withSeed(options.seed()));
        float[] scores = pca.transform(x).data();
        double[] y = new double[scores.length];
        for (int c = 0; c < y.length; c++) {
            y[c] = scores[c];
        }
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += y[i * dims];
        }
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double v = y[i * dims] - mean;
            var += v * v;
        }
        double std = Math.sqrt(var / n);
        double scale = std > 0 ? 1e-4 / std : 1e-4;
        for (int c = 0; c < y.length; c++) {
            y[c] *= scale;
        }
        return y;
    }

    /** scikit-learn's verbose lines, each with the seconds since the previous phase. */
    private static final class Log {
        private final boolean on;
        private long last;

        Log(boolean on, long start) {
            this.on = on;
            this.last = start;
        }

        void phase(String what) {
            long now = System.nanoTime();
            line(String.format("%s in %.3fs", what, (now - last) / 1e9));
            last = now;
        }

        void line(String text) {
            if (on) {
                System.out.println("[t-SNE] " + text);
            }
        }
    }
}
