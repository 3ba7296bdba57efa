package glassbox.decomposition;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Preview;

/**
 * Principal component analysis: the {@code k} orthonormal directions along which the centred data vary
 * most — scikit-learn 1.2's {@code PCA(n_components, svd_solver, n_oversamples, iterated_power,
 * random_state)}.
 *
 * <p><b>What it optimises.</b> With {@code Xc = X − 1·meanᵀ} ({@code n×d}), the components
 * {@code v_1 … v_k} maximise the variance of the projections {@code Xc·v_j}, one after another, each
 * orthogonal to the previous: they are the top right singular vectors of {@code Xc} ({@code Xc = U·S·Vᵀ}),
 * equivalently the top eigenvectors of the scatter matrix {@code Xcᵀ·Xc = V·S²·Vᵀ}. Projecting onto them
 * keeps the most variance, and reconstructs the data with the least squared error, of any {@code k}-dim
 * linear map (Pearson 1901; Hotelling 1933).
 *
 * <p><b>Solvers</b> ({@code svd_solver}):
 * <ul>
 *   <li>{@link Solver#FULL} — scikit-learn runs an SVD of the whole {@code n×d} matrix; we form the
 *       {@code d×d} scatter matrix {@code Xcᵀ·Xc} with double GEMMs over blocks of rows, and eigen-decompose
 *       it with LAPACK's {@code dsyevd}. Same components and variances; far faster when {@code n ≫ d}
 *       ({@code O(n·d² + d³)}). Eigenvalues carry an absolute error of about {@code 1e-16·σ_1²}, so only
 *       directions with less than {@code ~1e-16} of the leading variance are resolved worse than by an SVD.
 *       It always costs {@code d³}, also when {@code n < d}.</li>
 *   <li>{@link Solver#RANDOMIZED} — Halko et al. (2011), see {@link RandomizedSvd}: a seeded Gaussian test
 *       matrix of {@code k + nOversamples} vectors, {@code nPowerIterations} power iterations (auto: 7 if
 *       {@code k < 0.1·min(n, d)}, else 4), then the SVD of the small projected matrix.</li>
 *   <li>{@link Solver#AUTO} — scikit-learn 1.2's policy: FULL if {@code max(n, d) ≤ 500}, else
 *       RANDOMIZED if {@code k < 0.8·min(n, d)}, else FULL ({@link #chosenSolver}).</li>
 * </ul>
 *
 * <p><b>Signs.</b> A singular vector is defined up to sign; as scikit-learn's {@code svd_flip} (which 1.2
 * applies to both solvers, always deciding on the sample side), each component's sign is chosen so that the
 * entry of largest magnitude in its score vector {@code u_j = Xc·v_j} is positive (the first such entry on
 * a tie; a score vector of all zeros keeps the sign the solver returned, where numpy's {@code sign(0)} would
 * zero the component).
 *
 * <p><b>Reported quantities</b> (scikit-learn's names): {@code explained_variance_ = S²/(n − 1)};
 * {@code explained_variance_ratio_} = that over the total variance (the sum of the per-feature variances,
 * {@code ddof = 1}; NaN when every sample is the same, as in scikit-learn); {@code noise_variance_} = the
 * mean variance of the {@code min(n, d) − k} directions left out (0 if none): for FULL the mean of the
 * left-out eigenvalues, for RANDOMIZED {@code (total − Σ explained) / (min(n, d) − k)}, as scikit-learn.
 * <p>All arithmetic that decides the reported numbers is double. The data stay float, and products with
 * the centred data are taken block by block ({@code CenteredRows}); the randomized solver's power
 * iterations, which only choose a subspace, run as float GEMMs on a kept float copy of the centred data
 * (up to 256 MB).
 */
public final class Pca {
    private Pca() {
    }

    /** scikit-learn's {@code svd_solver} ({@code "auto"}, {@code "full"}, {@code "randomized"}). */
    public enum Solver { AUTO, FULL, RANDOMIZED }

    /**
     * @param nComponents      {@code n_components}: how many components to keep, {@code 1 ≤ k ≤ min(n, d)}
     * @param svdSolver        {@code svd_solver}, default AUTO
     * @param nOversamples     {@code n_oversamples} (RANDOMIZED): extra random vectors, default 10, ≥ 1
     * @param nPowerIterations {@code iterated_power} (RANDOMIZED): ≥ 0, or −1 for scikit-learn's
     *                         {@code "auto"} (7 if {@code k < 0.1·min(n, d)}, else 4)
     * @param seed             {@code random_state} (RANDOMIZED): same seed, same result, bit for bit
     */
    public record Options(int nComponents, Solver svdSolver, int nOversamples, int nPowerIterations, long seed) {
        public Options {
            if (nComponents < 1) {
                throw new IllegalArgumentException("nComponents is " + nComponents + "; expected at least 1");
            }
            if (svdSolver == null) {
                throw new IllegalArgumentException("svdSolver is null; expected AUTO, FULL or RANDOMIZED");
            }
            if (nOversamples < 1) {
                throw new IllegalArgumentException("nOversamples is " + nOversamples + "; expected at least 1");
            }
            if (nPowerIterations < -1) {
                throw new IllegalArgumentException("nPowerIterations is " + nPowerIterations
                        + "; expected at least 0, or -1 for auto");
            }
        }

        /** scikit-learn 1.2's defaults: AUTO, 10 oversamples, auto power iterations; seed 0. */
        public static Options defaults(int nComponents) {
            return new Options(nComponents, Solver.AUTO, 10, -1, 0L);
        }

        public Options withSvdSolver(Solver s) {
            return new Options(nComponents, s, nOversamples, nPowerIterations, seed);
        }

        public Options withNOversamples(int p) {
            return new Options(nComponents, svdSolver, p, nPowerIterations, seed);
        }

        public Options withNPowerIterations(int q) {
            return new Options(nComponents, svdSolver, nOversamples, q, seed);
        }

        public Options withSeed(long s) {
            return new Options(nComponents, svdSolver, nOversamples, nPowerIterations, s);
        }
    }

    /**
     * A fitted PCA (scikit-learn's attributes): {@code components} {@code (k, d)}, one unit vector per row,
     * by decreasing variance; per component its {@code explainedVariance}, {@code explainedVarianceRatio}
     * and {@code singularValues}; the training {@code mean} ({@code d}); {@code nSamples};
     * {@code noiseVariance}. Immutable: arrays and the tensor are copied in and out.
     */
    public record Result(Tensor components, double[] explainedVariance, double[] explainedVarianceRatio,
                         double[] singularValues, double[] mean, int nSamples, double noiseVariance) {
        public Result {
            components = components.copy();
            explainedVariance = explainedVariance.clone();
            explainedVarianceRatio = explainedVarianceRatio.clone();
            singularValues = singularValues.clone();
            mean = mean.clone();
        }

        @Override
        public Tensor components() {
            return components.copy();
        }

        @Override
        public double[] explainedVariance() {
            return explainedVariance.clone();
        }

        @Override
        public double[] explainedVarianceRatio() {
            return explainedVarianceRatio.clone();
        }

        @Override
        public double[] singularValues() {
            return singularValues.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "Pca.Result(nComponents=" + components.dim(0) + ", nSamples=" + nSamples + ", explainedVarianceRatio_="
                    + Preview.of(explainedVarianceRatio) + ", explainedVariance_=" + Preview.of(explainedVariance)
                    + ", singularValues_=" + Preview.of(singularValues) + ", noiseVariance_="
                    + Preview.number(noiseVariance) + ", components_=" + components + ", mean_=" + Preview.of(mean) + ")";
        }

        /** {@code (x − mean)·componentsᵀ}: {@code (n, d)} → {@code (n, k)}, in double, returned as float. */
        public Tensor transform(Tensor x) {
            int k = components.dim(0);
            int d = components.dim(1);
            requireColumns("x", x, d);
            int n = x.dim(0);
            double[] v = toDouble(components.data());
            double[] scores = new CenteredRows(x.data(), n, d, mean, 1, false).project(v, k); // k×n
            float[] out = new float[n * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    out[i * k + j] = (float) scores[j * n + i];
                }
            }
            return new Tensor(out, n, k);
        }

        /** {@code z·components + mean}: {@code (n, k)} → {@code (n, d)}, the data's least-squares reconstruction. */
        public Tensor inverseTransform(Tensor z) {
            int k = components.dim(0);
            int d = components.dim(1);
            requireColumns("z", z, k);
            int n = z.dim(0);
            double[] v = toDouble(components.data());
            float[] out = new float[n * d];
            int rows = Math.max(1, Math.min(n, (1 << 20) / d));
            double[] zBlock = new double[rows * k];
            double[] xBlock = new double[rows * d];
            for (int from = 0; from < n; from += rows) {
                int m = Math.min(n, from + rows) - from;
                for (int p = 0; p < m * k; p++) {
                    zBlock[p] = z.data()[from * k + p];
                }
                Blas.dgemm(false, false, m, d, k, 1.0, zBlock, k, v, d, 0.0, xBlock, d);
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < d; c++) {
                        out[(from + i) * d + c] = (float) (xBlock[i * d + c] + mean[c]);
                    }
                }
            }
            return new Tensor(out, n, d);
        }
    }

    /** The solver {@code AUTO} resolves to for an {@code n×d} matrix (scikit-learn 1.2's rule); others as given. */
    public static Solver chosenSolver(int nSamples, int nFeatures, Options o) {
        if (o.svdSolver() != Solver.AUTO) {
            return o.svdSolver();
        }
        if (Math.max(nSamples, nFeatures) <= 500) {
            return Solver.FULL;
        }
        return o.nComponents() < 0.8 * Math.min(nSamples, nFeatures) ? Solver.RANDOMIZED : Solver.FULL;
    }

    /**
     * Fits PCA to {@code x}.
     *
     * @param x {@code (n_samples, n_features)}, finite, at least 2 samples (variances divide by
     *          {@code n − 1}); left unmodified
     * @throws IllegalArgumentException for a bad matrix or {@code nComponents > min(n, d)}
     */
    public static Result fit(Tensor x, Options o) {
        PairwiseDistances.requireFiniteMatrix("x", x);
        int n = x.dim(0);
        int d = x.dim(1);
        int k = o.nComponents();
        int r = Math.min(n, d);
        if (n < 2) {
            throw new IllegalArgumentException("x has " + n + " sample (shape " + Tensor.shapeString(x.shape())
                    + "); expected at least 2, as explained variances divide by n_samples − 1");
        }
        Solver solver = chosenSolver(n, d, o);
        if (k > r) {
            throw new IllegalArgumentException("nComponents is " + k + "; expected between 1 and min(n_samples, "
                    + "n_features) = " + r + " with svdSolver " + solver);
        }
        double[] mean = CenteredRows.columnMeans(x.data(), n, d);
        double[] vt;
        double[] s = new double[k];
        double[] ut;
        double totalVariance;
        double noiseVariance;
        if (solver == Solver.FULL) {
            CenteredRows xc = new CenteredRows(x.data(), n, d, mean, d, false); // tall blocks: C is copied per dgemm
            double[] scatter = xc.gram();
            double trace = 0;
            for (int j = 0; j < d; j++) {
                trace += scatter[j * d + j];
            }
            double[] eigenvalues = new double[d];
            Blas.dsyevd(d, scatter, eigenvalues);    // ascending; eigenvector j = row j
            vt = new double[k * d];
            for (int j = 0; j < k; j++) {
                System.arraycopy(scatter, (d - 1 - j) * d, vt, j * d, d);
                s[j] = Math.sqrt(Math.max(0.0, eigenvalues[d - 1 - j]));
            }
            ut = xc.project(vt, k);                  // scores Xc·v_j: S·U, enough for the sign
            totalVariance = trace / (n - 1);
            double leftOut = 0;
            for (int j = k; j < r; j++) {
                leftOut += Math.max(0.0, eigenvalues[d - 1 - j]);
            }
            noiseVariance = k < r ? leftOut / (n - 1) / (r - k) : 0.0;
        } else {
            int nIter = o.nPowerIterations() >= 0 ? o.nPowerIterations() : (k < 0.1 * r ? 7 : 4);
            RandomizedSvd.Triplets t = RandomizedSvd.compute(x.data(), n, d, mean, k, o.nOversamples(), nIter,
                    o.seed());
            vt = t.vt();
            s = t.s();
            ut = t.ut();
            totalVariance = t.sumOfSquares() / (n - 1);
            double explained = 0;
            for (int j = 0; j < k; j++) {
                explained += s[j] * s[j] / (n - 1);
            }
            noiseVariance = k < r ? (totalVariance - explained) / (r - k) : 0.0;
        }
        flipSigns(vt, ut, k, d, n);
        double[] variance = new double[k];
        double[] ratio = new double[k];
        float[] components = new float[k * d];
        for (int j = 0; j < k; j++) {
            variance[j] = s[j] * s[j] / (n - 1);
            ratio[j] = variance[j] / totalVariance;
        }
        for (int p = 0; p < k * d; p++) {
            components[p] = (float) vt[p];
        }
        return new Result(new Tensor(components, k, d), variance, ratio, s, mean, n, noiseVariance);
    }

    /** {@code fit(x, o).transform(x)}: the {@code (n, k)} scores of the training data. */
    public static Tensor fitTransform(Tensor x, Options o) {
        return fit(x, o).transform(x);
    }

    /**
     * scikit-learn's {@code svd_flip(U, Vt)} (u-based): makes the largest-magnitude entry of each score
     * vector (row {@code j} of {@code ut}, {@code k×n}) positive by negating, if needed, row {@code j} of
     * {@code vt}. The first index wins a tie, as numpy's {@code argmax}.
     */
    static void flipSigns(double[] vt, double[] ut, int k, int d, int n) {
        for (int j = 0; j < k; j++) {
            int best = j * n;
            for (int i = j * n + 1; i < (j + 1) * n; i++) {
                if (Math.abs(ut[i]) > Math.abs(ut[best])) {
                    best = i;
                }
            }
            if (ut[best] < 0) {
                for (int c = 0; c < d; c++) {
                    vt[j * d + c] = -vt[j * d + c];
                }
            }
        }
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static void requireColumns(String argument, Tensor x, int columns) {
        PairwiseDistances.requireFiniteMatrix(argument, x);
        if (x.dim(1) != columns) {
            throw new IllegalArgumentException(argument + " has " + x.dim(1) + " columns (shape "
                    + Tensor.shapeString(x.shape()) + "); expected " + columns + ", as the fitted PCA");
        }
    }
}
