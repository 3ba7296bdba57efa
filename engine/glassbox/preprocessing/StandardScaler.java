package glassbox.preprocessing;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Preview;

/**
 * Standardisation: each feature shifted to mean 0 and scaled to unit variance,
 * {@code z = (x − mean) / scale} — scikit-learn's {@code StandardScaler()} with its defaults
 * ({@code with_mean=True, with_std=True}).
 *
 * <p><b>Statistics.</b> Computed in double whatever the input: the mean, then the <em>population</em>
 * variance ({@code ddof = 0}, dividing by {@code n}) by the corrected two-pass formula of Chan, Golub &amp;
 * LeVeque (1983) that scikit-learn's {@code _incremental_mean_and_var} uses on a first batch:
 * {@code var = (Σ(x − mean)² − (Σ(x − mean))²/n) / n}; the second term cancels most of the rounding left in
 * the mean. {@code scale = √var}.
 *
 * <p><b>Constant features</b> are left unscaled ({@code scale = 1}), so they become exactly 0 rather than
 * 0/0. As scikit-learn 1.2 ({@code _is_constant_feature}), a feature counts as constant when its variance
 * is within the two-pass algorithm's error bound of zero: {@code var ≤ n·ε·var + (n·mean·ε)²},
 * {@code ε = 2⁻⁵²}.
 *
 * <p>Transformed values are returned as float (the data matrices' type), computed in double.
 */
public final class StandardScaler {
    private StandardScaler() {
    }

    /**
     * A fitted scaler: scikit-learn's {@code mean_}, {@code scale_}, {@code var_} and
     * {@code n_samples_seen_}, one entry per feature. Immutable (arrays are copied in and out).
     */
    public record Result(double[] mean, double[] scale, double[] variance, int nSamples) {
        public Result {
            mean = mean.clone();
            scale = scale.clone();
            variance = variance.clone();
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] scale() {
            return scale.clone();
        }

        @Override
        public double[] variance() {
            return variance.clone();
        }

        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "StandardScaler.Result(nFeatures=" + mean.length + ", nSamplesSeen_=" + nSamples + ", mean_="
                    + Preview.of(mean) + ", scale_=" + Preview.of(scale) + ", var_=" + Preview.of(variance) + ")";
        }

        /** {@code (x − mean) / scale}, row by row; {@code x} is {@code (n, nFeatures)} and left unmodified. */
        public Tensor transform(Tensor x) {
            requireColumns("x", x, mean.length);
            int n = x.dim(0);
            int d = mean.length;
            float[] in = x.data();
            float[] out = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    out[i * d + j] = (float) ((in[i * d + j] - mean[j]) / scale[j]);
                }
            }
            return new Tensor(out, n, d);
        }

        /** {@code z·scale + mean}: undoes {@link #transform} (up to float rounding). */
        public Tensor inverseTransform(Tensor z) {
            requireColumns("z", z, mean.length);
            int n = z.dim(0);
            int d = mean.length;
            float[] in = z.data();
            float[] out = new float[n * d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    out[i * d + j] = (float) (in[i * d + j] * scale[j] + mean[j]);
                }
            }
            return new Tensor(out, n, d);
        }
    }

    /**
     * Learns each feature's mean and population standard deviation.
     *
     * @param x {@code (n_samples, n_features)}, finite, at least one sample; left unmodified
     * @throws IllegalArgumentException if {@code x} is not such a matrix (the message names the problem)
     */
    public static Result fit(Tensor x) {
        PairwiseDistances.requireFiniteMatrix("x", x);
        int n = x.dim(0);
        int d = x.dim(1);
        float[] v = x.data();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += v[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] correction = new double[d];
        double[] squares = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = v[i * d + j] - mean[j];
                correction[j] += c;
                squares[j] += c * c;
            }
        }
        double eps = Math.ulp(1.0);
        double[] variance = new double[d];
        double[] scale = new double[d];
        for (int j = 0; j < d; j++) {
            variance[j] = Math.max(0, (squares[j] - correction[j] * correction[j] / n) / n);
            double bound = n * eps * variance[j] + Math.pow(n * mean[j] * eps, 2);
            scale[j] = variance[j] <= bound ? 1.0 : Math.sqrt(variance[j]);
        }
        return new Result(mean, scale, variance, n);
    }

    private static void requireColumns(String argument, Tensor x, int features) {
        PairwiseDistances.requireFiniteMatrix(argument, x);
        if (x.dim(1) != features) {
            throw new IllegalArgumentException(argument + " has " + x.dim(1) + " features (shape "
                    + Tensor.shapeString(x.shape()) + "); expected " + features + ", as in the data the scaler was fitted on");
        }
    }
}
