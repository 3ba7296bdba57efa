package glassbox.metrics;

import glassbox.util.Table;
import java.util.List;

/**
 * Counts of (true class, predicted class) pairs: scikit-learn's
 * {@code confusion_matrix(y_true, y_pred, labels=range(numClasses))}.
 *
 * <p>{@code count(i, j)} is the number of samples whose true class is {@code i} and whose predicted class
 * is {@code j}: rows are true classes, columns predicted ones, so the diagonal holds the correct
 * predictions, row {@code i} sums to the number of samples of class {@code i}, and column {@code j} to the
 * number predicted as {@code j}. From it:
 *
 * <pre>
 *   accuracy     = Σ_i count(i, i) / Σ_ij count(i, j)
 *   recall[i]    = count(i, i) / Σ_j count(i, j)      of the samples of class i, the fraction found
 *   precision[j] = count(j, j) / Σ_i count(i, j)      of the samples predicted j, the fraction right
 *   normalized   = each row divided by its sum         scikit-learn's normalize='true'
 * </pre>
 *
 * <p>Where a ratio's denominator is 0 (a class with no samples, or never predicted) recall and precision
 * are NaN, so that "undefined" cannot pass for "always wrong"; scikit-learn's default
 * ({@code zero_division="warn"}) returns 0 with a warning instead. {@link #normalized()} follows
 * scikit-learn there: an empty row stays all zeros, as its {@code nan_to_num} leaves it.
 *
 * <p>Immutable; accessors return copies.
 */
public final class ConfusionMatrix {
    private final long[][] counts;

    private ConfusionMatrix(long[][] counts) {
        this.counts = counts;
    }

    /**
     * Counts the pairs {@code (yTrue[k], yPred[k])}.
     *
     * @param yTrue      the true class of each sample, each in {@code [0, numClasses)}
     * @param yPred      the predicted class of each sample (e.g. the argmax of the model's output), same length
     * @param numClasses the number of classes: the matrix is {@code numClasses × numClasses}, whether or not
     *                   every class occurs
     * @throws IllegalArgumentException if the lengths differ, {@code numClasses < 1}, or a label is out of
     *                                  range (the message names the array, the index and the value)
     */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses is " + numClasses
                    + "; expected at least 1");
        }
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("ConfusionMatrix: yTrue has " + yTrue.length + " labels but yPred has "
                    + yPred.length + "; expected one prediction per sample");
        }
        long[][] counts = new long[numClasses][numClasses];
        for (int k = 0; k < yTrue.length; k++) {
            checkLabel("yTrue", k, yTrue[k], numClasses);
            checkLabel("yPred", k, yPred[k], numClasses);
            counts[yTrue[k]][yPred[k]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /**
     * A matrix from counts already made, {@code counts[true][predicted]}; square, non-negative. Copied.
     */
    public static ConfusionMatrix ofCounts(long[][] counts) {
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("ConfusionMatrix: counts has no rows; expected a square matrix");
        }
        long[][] copy = new long[n][];
        for (int i = 0; i < n; i++) {
            if (counts[i].length != n) {
                throw new IllegalArgumentException("ConfusionMatrix: counts row " + i + " has " + counts[i].length
                        + " entries; expected " + n + " (a square matrix)");
            }
            for (int j = 0; j < n; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("ConfusionMatrix: counts[" + i + "][" + j + "] = "
                            + counts[i][j] + "; expected a count >= 0");
                }
            }
            copy[i] = counts[i].clone();
        }
        return new ConfusionMatrix(copy);
    }

    private static void checkLabel(String array, int k, int label, int numClasses) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException("ConfusionMatrix: " + array + "[" + k + "] = " + label
                    + " is outside [0, " + numClasses + "); expected a class index below numClasses");
        }
    }

    /** The number of classes: the matrix is {@code numClasses × numClasses}. */
    public int numClasses() {
        return counts.length;
    }

    /** The samples of true class {@code trueClass} predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        return counts[trueClass][predictedClass];
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** The number of samples counted. */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    /** The fraction of samples on the diagonal; NaN for an empty matrix. */
    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Per class {@code i}: {@code count(i, i) / Σ_j count(i, j)}; NaN for a class with no samples. */
    public double[] recall() {
        int n = counts.length;
        double[] recall = new double[n];
        for (int i = 0; i < n; i++) {
            long row = 0;
            for (int j = 0; j < n; j++) {
                row += counts[i][j];
            }
            recall[i] = row == 0 ? Double.NaN : (double) counts[i][i] / row;
        }
        return recall;
    }

    /** Per class {@code j}: {@code count(j, j) / Σ_i count(i, j)}; NaN for a class never predicted. */
    public double[] precision() {
        int n = counts.length;
        double[] precision = new double[n];
        for (int j = 0; j < n; j++) {
            long column = 0;
            for (int i = 0; i < n; i++) {
                column += counts[i][j];
            }
            precision[j] = column == 0 ? Double.NaN : (double) counts[j][j] / column;
        }
        return precision;
    }

    /** Each row divided by its sum (the fraction of class {@code i} predicted as {@code j}); empty rows 0. */
    public double[][] normalized() {
        int n = counts.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            long row = 0;
            for (int j = 0; j < n; j++) {
                row += counts[i][j];
            }
            for (int j = 0; j < n; j++) {
                out[i][j] = row == 0 ? 0 : (double) counts[i][j] / row;
            }
        }
        return out;
    }

    /**
     * The matrix as a printable table: one row per true class, named by {@code classNames}, one column per
     * predicted class, then the class's recall; the last row holds each predicted class's precision.
     */
    public Table table(String title, List<String> classNames) {
        int n = counts.length;
        if (classNames.size() != n) {
            throw new IllegalArgumentException("ConfusionMatrix.table: " + classNames.size()
                    + " class names for " + n + " classes; expected one name per class");
        }
        String[] columns = new String[n + 2];
        columns[0] = "true \\ predicted";
        for (int j = 0; j < n; j++) {
            columns[j + 1] = classNames.get(j);
        }
        columns[n + 1] = "recall";
        Table table = new Table(title, columns);
        double[] recall = recall();
        for (int i = 0; i < n; i++) {
            Object[] cells = new Object[n + 2];
            cells[0] = classNames.get(i);
            for (int j = 0; j < n; j++) {
                cells[j + 1] = counts[i][j];
            }
            cells[n + 1] = recall[i];
            table.addRow(cells);
        }
        Object[] last = new Object[n + 2];
        last[0] = "precision";
        double[] precision = precision();
        for (int j = 0; j < n; j++) {
            last[j + 1] = precision[j];
        }
        last[n + 1] = null;
        table.addRow(last);
        return table;
    }
}
