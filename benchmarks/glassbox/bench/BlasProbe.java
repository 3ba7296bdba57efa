package glassbox.bench;

import glassbox.tensor.Blas;
import glassbox.tensor.ReferenceGemm;
import glassbox.util.Rng;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A quick measurement of the BLAS this JVM was started with: is it correct, and how fast is it on the
 * shapes glassbox cares about.
 *
 * <p>{@link BlasPaths} starts one JVM running this class per candidate environment (bundled vs system
 * OpenBLAS, forced vs detected kernel, 1 vs 2 threads): which library {@code sgemm_} resolves to is fixed
 * when the process starts, so each candidate needs its own process. The probe prints {@code key value}
 * lines on stdout, which the parent parses:
 * <pre>
 *   correct      true | false (and a reason)
 *   square1024   GFLOP/s of C = A·B, all 1024×1024
 *   mlp32        GFLOP/s of the MLP's first-layer forward, (32×784)·(784×128)
 *   mlp32dW      GFLOP/s of its weight gradient, dW = xᵀ·dOut, (784×32)·(32×128) with A transposed
 *   mlp256       the first-layer forward at batch 256, (256×784)·(784×128): large enough to be split
 *   thinconv     a one-channel 3×3 convolution's patch product, (6272×9)·(9×32): thin, memory-bound
 *   conv         a 32-channel 3×3 convolution's, (3136×288)·(288×128): large, compute-bound
 * </pre>
 * Run with {@code OPENBLAS_VERBOSE=2} set, OpenBLAS itself prints the kernel ("core") it picked on
 * stderr; the parent reads that too.
 *
 * <p><b>Correctness.</b> A forced kernel the CPU cannot run, or a preloaded library with another calling
 * convention, may compute garbage silently, so each product is checked against a naive triple loop in
 * {@code double}, with the textbook rounding-error bound for a length-{@code k} dot product:
 * {@code |ĉ − c| ≤ γ_k Σ|a||b|}, {@code γ_k ≈ k·u} ({@code u = 2⁻²⁴} in float), with a factor 2 of margin.
 * A wrong result is off by far more than that.
 *
 * <p><b>Timing.</b> Best of five batches, each long enough (≥ ~0.1 s) that the clock's resolution and
 * one stray interruption do not matter; the first batch also warms up the JIT and OpenBLAS's threads.
 */
public final class BlasProbe {
    /** The shapes timed, as {@code name → {m, n, k, transA}}. */
    static final Map<String, int[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("square1024", new int[] {1024, 1024, 1024, 0});
        SHAPES.put("mlp32", new int[] {32, 128, 784, 0});
        SHAPES.put("mlp32dW", new int[] {784, 128, 32, 1});
        SHAPES.put("mlp256", new int[] {256, 128, 784, 0});
        SHAPES.put("thinconv", new int[] {6272, 32, 9, 0});
        SHAPES.put("conv", new int[] {3136, 128, 288, 0});
    }

    private BlasProbe() {
    }

    public static void main(String[] args) {
        double batchSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 0.12;
        String problem = checkCorrect();
        System.out.println("correct " + (problem == null ? "true" : "false " + problem));
        if (problem != null) {
            return; // a wrong path is rejected whatever its speed
        }
        for (Map.Entry<String, int[]> e : SHAPES.entrySet()) {
            int[] s = e.getValue();
            double gflops = time(s[0], s[1], s[2], s[3] == 1, batchSeconds);
            System.out.println(e.getKey() + " " + String.format(Locale.ROOT, "%.1f", gflops));
        }
    }

    /** Null when sgemm and dgemm agree with the naive reference on a few shapes, else what went wrong. */
    static String checkCorrect() {
        Rng rnd = new Rng(42);
        // The MLP's shapes (they take OpenBLAS's real code paths, not a small-matrix shortcut), plus odd
        // sizes with padded leading dimensions and every transpose combination.
        int[][] cases = {
            {32, 128, 784, 0, 0}, {784, 128, 32, 1, 0}, {97, 131, 113, 0, 1}, {61, 45, 203, 1, 1},
        };
        for (int[] cs : cases) {
            String p = checkSgemm(cs[0], cs[1], cs[2], cs[3] == 1, cs[4] == 1, rnd);
            if (p != null) {
                return p;
            }
        }
        return checkDgemm(67, 59, 301, rnd);
    }

    private static String checkSgemm(int m, int n, int k, boolean transA, boolean transB, Rng rnd) {
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 1;
        float[] a = randomFloats(aRows * lda, rnd);
        float[] b = randomFloats(bRows * ldb, rnd);
        float[] c = new float[m * n];
        Blas.sgemm(transA, transB, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j);
                double bound = ReferenceGemm.floatTolerance(transA, transB, k, a, lda, b, ldb, i, j);
                if (!(Math.abs(c[i * n + j] - sum) <= bound)) {
                    return String.format(Locale.ROOT, "sgemm %s%s m=%d n=%d k=%d: C[%d,%d] = %g, expected %g",
                            transA ? "T" : "N", transB ? "T" : "N", m, n, k, i, j, c[i * n + j], sum);
                }
            }
        }
        return null;
    }

    private static String checkDgemm(int m, int n, int k, Rng rnd) {
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble() - 0.5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = rnd.nextDouble() - 0.5;
        }
        double[] c = new double[m * n];
        Blas.dgemm(false, false, m, n, k, 1.0, a, k, b, n, 0.0, c, n);
        double u = Math.ulp(1.0) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = ReferenceGemm.entry(false, false, k, a, k, b, n, i, j);
                double abs = ReferenceGemm.absEntry(false, false, k, a, k, b, n, i, j);
                // The reference itself rounds too, so allow both errors.
                if (!(Math.abs(c[i * n + j] - sum) <= 4 * k * u * abs + 1e-300)) {
                    return String.format(Locale.ROOT, "dgemm m=%d n=%d k=%d: C[%d,%d] = %g, expected %g",
                            m, n, k, i, j, c[i * n + j], sum);
                }
            }
        }
        return null;
    }

    /** Best-of-five GFLOP/s of {@code C = op(A)·B} at the given shape. */
    static double time(int m, int n, int k, boolean transA, double batchSeconds) {
        Rng rnd = new Rng(7);
        float[] a = randomFloats(m * k, rnd);
        float[] b = randomFloats(k * n, rnd);
        float[] c = new float[m * n];
        int lda = transA ? m : k;
        double flops = 2.0 * m * n * k;
        // Size a batch from one timed call, so slow and fast paths both take about batchSeconds.
        long t0 = System.nanoTime();
        Blas.sgemm(transA, false, m, n, k, 1f, a, lda, b, n, 0f, c, n);
        double once = Math.max(1e-7, (System.nanoTime() - t0) / 1e9);
        int reps = (int) Math.max(1, Math.min(1_000_000, batchSeconds / once));
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 6; batch++) {
            long start = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                Blas.sgemm(transA, false, m, n, k, 1f, a, lda, b, n, 0f, c, n);
            }
            double seconds = (System.nanoTime() - start) / 1e9 / reps;
            if (batch == 0) {
                // Warm-up batch: JIT, OpenBLAS thread start-up. Resize the batch with a better estimate.
                reps = (int) Math.max(1, Math.min(1_000_000, batchSeconds / seconds));
                continue;
            }
            best = Math.min(best, seconds);
        }
        return flops / best / 1e9;
    }

    private static float[] randomFloats(int size, Rng rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return x;
    }
}
