package glassbox.metrics;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The adjusted Rand index (Hubert &amp; Arabie 1985, "Comparing partitions"): how much two labelings of the
 * same samples agree, corrected for chance — scikit-learn's {@code adjusted_rand_score(labels_true,
 * labels_pred)}.
 *
 * <p><b>What it counts.</b> Over all ordered pairs of distinct samples, whether the two labelings agree on
 * putting the pair together or apart. From the contingency table {@code n_ij} (samples with true label
 * {@code i} and predicted label {@code j}), its row sums {@code a_i} and column sums {@code b_j}, the pair
 * confusion matrix (scikit-learn's {@code pair_confusion_matrix}, ordered pairs) is
 * <pre>
 *   tp = Σ n_ij² − n                     together in both
 *   fp = Σ_ij n_ij·b_j − Σ n_ij²          together in pred only
 *   fn = Σ_ij n_ij·a_i − Σ n_ij²          together in true only
 *   tn = n² − tp − fp − fn − n            apart in both
 *   ARI = 2·(tp·tn − fn·fp) / ((tp + fn)·(fn + tn) + (tp + fp)·(fp + tn))
 * </pre>
 * 1 for identical partitions (up to renaming), about 0 for independent ones, negative when they agree
 * less than chance. Labels are any {@code int}s (−1 for DBSCAN's noise is just another label); only which
 * samples share a label matters. As scikit-learn: when {@code fn = fp = 0} (the partitions are identical,
 * including when both put everything in one cluster, or every sample apart, or there are no samples) the
 * score is exactly 1.0. Products are formed exactly (as scikit-learn's Python integers), then divided in
 * double, so the value is scikit-learn's to the last bit.
 */
public final class AdjustedRandIndex {
    private AdjustedRandIndex() {
    }

    /**
     * @throws IllegalArgumentException if the arrays differ in length (or are null)
     */
    public static double score(int[] labelsTrue, int[] labelsPred) {
        if (labelsTrue == null || labelsPred == null) {
            throw new IllegalArgumentException("AdjustedRandIndex: labelsTrue and labelsPred must not be null");
        }
        if (labelsTrue.length != labelsPred.length) {
            throw new IllegalArgumentException("AdjustedRandIndex: labelsTrue has " + labelsTrue.length
                    + " labels but labelsPred has " + labelsPred.length + "; expected one of each per sample");
        }
        long n = labelsTrue.length;
        int[] t = dense(labelsTrue);
        int[] p = dense(labelsPred);
        long[] a = new long[max(t) + 1];
        long[] b = new long[max(p) + 1];
        for (int s = 0; s < n; s++) {
            a[t[s]]++;
            b[p[s]]++;
        }
        // The non-zero cells n_ij: sort the (i, j) keys of the samples and count runs.
        long[] keys = new long[(int) n];
        for (int s = 0; s < n; s++) {
            keys[s] = (long) t[s] * b.length + p[s];
        }
        Arrays.sort(keys);
        long sumSquares = 0;
        long togetherPred = 0; // Σ n_ij·b_j
        long togetherTrue = 0; // Σ n_ij·a_i
        for (int s = 0; s < n; ) {
            int e = s;
            while (e < n && keys[e] == keys[s]) {
                e++;
            }
            long nij = e - s;
            sumSquares += nij * nij;
            togetherPred += nij * b[(int) (keys[s] % b.length)];
            togetherTrue += nij * a[(int) (keys[s] / b.length)];
            s = e;
        }
        long tp = sumSquares - n;
        long fp = togetherPred - sumSquares;
        long fn = togetherTrue - sumSquares;
        long tn = n * n - fp - fn - sumSquares;
        if (fn == 0 && fp == 0) {
            return 1.0;
        }
        BigInteger numerator = big(tp).multiply(big(tn)).subtract(big(fn).multiply(big(fp)));
        BigInteger denominator = big(tp + fn).multiply(big(fn + tn)).add(big(tp + fp).multiply(big(fp + tn)));
        return 2.0 * numerator.doubleValue() / denominator.doubleValue();
    }

    /** Each label replaced by its rank among the distinct labels: {@code 0 … K−1}. */
    private static int[] dense(int[] labels) {
        int[] distinct = Arrays.stream(labels).distinct().sorted().toArray();
        int[] out = new int[labels.length];
        for (int s = 0; s < labels.length; s++) {
            out[s] = Arrays.binarySearch(distinct, labels[s]);
        }
        return out;
    }

    private static int max(int[] v) {
        int m = -1;
        for (int x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }
}
