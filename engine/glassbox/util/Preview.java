package glassbox.util;

import java.util.Locale;

/**
 * The short text a REPL shows for an array: its type and length, then its first few values, as numpy and
 * PyTorch print a large array ({@code int[60000] [3, 1, 0, …]}). Shared by every {@code toString} that holds
 * arrays (tensors, datasets, fitted estimators), which would otherwise print {@code [I@1b6d3586}.
 */
public final class Preview {
    /** Values shown before the ellipsis: numpy and PyTorch show three at each end of a long array. */
    public static final int FIRST_VALUES = 3;

    private Preview() {
    }

    /** {@code int[60000] [3, 1, 0, …]}. */
    public static String of(int[] a) {
        StringBuilder sb = new StringBuilder("int[").append(a.length).append("] [");
        for (int i = 0; i < Math.min(a.length, FIRST_VALUES); i++) {
            sb.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return close(sb, a.length);
    }

    /** {@code float[784] [0.0, 0.1, 0.25, …]}. */
    public static String of(float[] a) {
        return "float[" + a.length + "] " + values(a);
    }

    /** {@code double[50] [2.53e+10, 0.5, 1.0, …]}. */
    public static String of(double[] a) {
        StringBuilder sb = new StringBuilder("double[").append(a.length).append("] [");
        for (int i = 0; i < Math.min(a.length, FIRST_VALUES); i++) {
            sb.append(i == 0 ? "" : ", ").append(number(a[i]));
        }
        return close(sb, a.length);
    }

    /** The first values of {@code a} alone, {@code [0.0, 0.1, 0.25, …]}: a tensor prints its shape instead of a length. */
    public static String values(float[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < Math.min(a.length, FIRST_VALUES); i++) {
            sb.append(i == 0 ? "" : ", ").append(number(a[i]));
        }
        return close(sb, a.length);
    }

    /**
     * A number as numpy's repr rounds it, to four significant digits: whole numbers as {@code 3.0}, others as
     * {@code 0.1235} or {@code 2.53e+10}, trailing zeros dropped; NaN and infinities as Java writes them.
     */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Double.toString(v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", ".0");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    private static String close(StringBuilder sb, int length) {
        return sb.append(length > FIRST_VALUES ? ", …]" : "]").toString();
    }
}
