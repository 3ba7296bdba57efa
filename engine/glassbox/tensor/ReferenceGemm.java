package glassbox.tensor;

/**
 * The textbook definition of one entry of {@code op(A)·op(B)} (row-major, as {@link Blas#sgemm} takes
 * them), summed in double: the oracle that the BLAS facade's tests, the BLAS-path probe and the GEMM
 * benchmark check every kernel against.
 *
 * <p>A float kernel's entry may differ from it by the rounding of a length-{@code k} float sum, at most
 * {@code γ_k·Σ|a·b|} with {@code γ_k ≈ k·u}, {@code u = 2^-24} ({@link #floatTolerance}).
 */
public final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /** {@code Σ_p op(A)[i][p]·op(B)[p][j]} in double. */
    public static double entry(boolean transA, boolean transB, int k, float[] a, int lda, float[] b, int ldb, int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += (double) (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
        }
        return sum;
    }

    /** {@code Σ_p |op(A)[i][p]·op(B)[p][j]|}: the scale of the entry's rounding error. */
    public static double absEntry(boolean transA, boolean transB, int k, float[] a, int lda, float[] b, int ldb, int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += Math.abs((double) (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]));
        }
        return sum;
    }

    /** Double-precision twin of {@link #entry(boolean, boolean, int, float[], int, float[], int, int, int)}. */
    public static double entry(boolean transA, boolean transB, int k, double[] a, int lda, double[] b, int ldb, int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += (transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
        }
        return sum;
    }

    /** Double-precision twin of {@link #absEntry(boolean, boolean, int, float[], int, float[], int, int, int)}. */
    public static double absEntry(boolean transA, boolean transB, int k, double[] a, int lda, double[] b, int ldb, int i, int j) {
        double sum = 0;
        for (int p = 0; p < k; p++) {
            sum += Math.abs((transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]));
        }
        return sum;
    }

    /** The largest difference a correct float kernel may show at entry (i, j): {@code 2·k·u·Σ|a·b|}, doubled for safety. */
    public static double floatTolerance(boolean transA, boolean transB, int k, float[] a, int lda, float[] b, int ldb, int i, int j) {
        return 2 * k * (Math.ulp(1f) / 2) * absEntry(transA, transB, k, a, lda, b, ldb, i, j) + 1e-30;
    }
}
