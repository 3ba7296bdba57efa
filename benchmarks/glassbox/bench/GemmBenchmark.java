package glassbox.bench;

import glassbox.tensor.Blas;
import glassbox.tensor.ReferenceGemm;
import glassbox.util.Rng;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jblas.NativeBlas;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single-precision matrix product {@code C = op(A)·op(B)} ({@code m×k} times {@code k×n}, row-major),
 * as a ladder of implementations from the textbook loop to the raw BLAS call, on square sizes and on the
 * seed MLP's real shapes.
 *
 * <p>Every variant does {@code 2·m·n·k} floating-point operations ({@link #flops}); JMH reports the time
 * per product, and {@code ./glassbox bench gemm} turns it into GFLOP/s. The ladder:
 * <ol>
 *   <li>{@link #v1Naive}: the definition, {@code c[i][j] = Σ_p a[i][p]·b[p][j]}, walking B down a column
 *       (a cache miss per step for large n). Only on shapes up to 512³ multiply-adds.</li>
 *   <li>{@link #v2JavaBlocked}: i-p-j order, so the inner loop runs along rows of B and C (contiguous,
 *       vectorised by the JIT), with p and j cut into blocks whose panel of B stays in L2. One thread.</li>
 *   <li>{@link #v3BlasFacade}: {@link Blas#sgemm}, what glassbox's layers call: argument checks, then the
 *       row-major → column-major swap, then jblas.</li>
 *   <li>{@link #v4JblasNative}: {@link NativeBlas#sgemm} directly, the same call without the facade:
 *       the difference to v3 is the facade's cost.</li>
 * </ol>
 * and two variants that take the JNI call apart (jblas copies every Java array into native memory on
 * the way in, and C back out, because HotSpot's {@code GetFloatArrayElements} copies; jblas #129):
 * <ul>
 *   <li>{@link #jniCopyOnly}: the same call with the same three arrays but {@code m = n = k = 0}, so
 *       OpenBLAS returns at once and only the JNI transition and the copies remain. v4 minus this is the
 *       time spent in OpenBLAS's kernel.</li>
 *   <li>{@link #jblasPadded}: the same product, but each operand lives at the start of an array four times
 *       its size. The copies are of whole arrays, so this is what an "offset view into a big buffer"
 *       design would pay (the reason a glassbox tensor owns its own {@code float[]}).</li>
 * </ul>
 *
 * <p>Shapes are {@code "m:n:k:transA:transB"} with {@code N}/{@code T} flags (colons, because JMH's
 * {@code -p shape=a,b} splits its values on commas). The MLP 784-128-128-10 at
 * batch 32 does, per step: forward {@code x·W} as (32×784)·(784×128) and (32×128)·(128×128); backward
 * {@code dW = xᵀ·dOut} as (784×32)ᵀ-stored·(32×128) (transA, k = 32) and {@code dX = dOut·Wᵀ} as
 * (32×128)·(784×128)ᵀ (transB); batch 256 gives (256×784)·(784×128).
 *
 * <p>Inputs are built once per trial; before measuring, the variant about to run is checked once against
 * a double-precision reference (all of C for small shapes, 4096 sampled entries for large ones), so a
 * fast wrong kernel cannot post a number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBenchmark {
    /** Naive loops are measured only up to this many multiply-adds (512³): beyond, one call takes seconds. */
    static final long NAIVE_LIMIT = 512L * 512 * 512;

    /** Operands for one shape: A, B and C with tight leading dimensions, plus padded copies. */
    public abstract static class Operands {
        int m;
        int n;
        int k;
        boolean transA;
        boolean transB;
        int lda;
        int ldb;
        float[] a;
        float[] b;
        float[] c;
        float[] aPadded;
        float[] bPadded;
        float[] cPadded;

        void build(String shape) {
            // Load jblas's native library now, not inside the first measured call (and quieten its logger).
            Blas.ensureLoaded();
            int[] s = parse(shape);
            m = s[0];
            n = s[1];
            k = s[2];
            transA = s[3] == 1;
            transB = s[4] == 1;
            lda = transA ? m : k;
            ldb = transB ? k : n;
            Rng rnd = new Rng(20240611L);
            a = randomFloats(m * k, rnd);
            b = randomFloats(k * n, rnd);
            c = new float[m * n];
            aPadded = Arrays.copyOf(a, 4 * a.length);
            bPadded = Arrays.copyOf(b, 4 * b.length);
            cPadded = new float[4 * c.length];
        }

        /** Runs {@code variant} once and compares its C with a double-precision reference. */
        void check(String variant) {
            if (variant.equals("jniCopyOnly")) {
                return; // computes nothing by design
            }
            float[] out = run(variant, this);
            Rng pick = new Rng(1);
            boolean all = (long) m * n * k <= NAIVE_LIMIT;
            int samples = all ? m * n : 4096;
            for (int s = 0; s < samples; s++) {
                int i = all ? s / n : pick.nextInt(m);
                int j = all ? s % n : pick.nextInt(n);
                double sum = ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j);
                // |ĉ − c| ≤ γ_k Σ|a·b| with γ_k ≈ k·u: the worst-case rounding of a length-k float sum.
                if (!(Math.abs(out[i * n + j] - sum) <= ReferenceGemm.floatTolerance(transA, transB, k, a, lda, b, ldb, i, j))) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "%s computes a wrong product at shape %d,%d,%d: C[%d,%d] = %g, expected %g",
                            variant, m, n, k, i, j, out[i * n + j], sum));
                }
            }
        }
    }

    /** Every shape; used by every variant but the naive one. */
    @State(Scope.Benchmark)
    public static class AllShapes extends Operands {
        @Param({"256:256:256:N:N", "512:512:512:N:N", "1024:1024:1024:N:N", "2048:2048:2048:N:N",
                "32:128:784:N:N", "32:128:128:N:N", "256:128:784:N:N", "784:128:32:T:N", "32:784:128:N:T"})
        public String shape;

        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            build(shape);
            check(variantOf(params));
        }
    }

    /** The shapes small enough for the naive loop (at most {@link #NAIVE_LIMIT} multiply-adds). */
    @State(Scope.Benchmark)
    public static class SmallShapes extends Operands {
        @Param({"256:256:256:N:N", "512:512:512:N:N",
                "32:128:784:N:N", "32:128:128:N:N", "256:128:784:N:N", "784:128:32:T:N", "32:784:128:N:T"})
        public String shape;

        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            int[] s = parse(shape);
            if ((long) s[0] * s[1] * s[2] > NAIVE_LIMIT) {
                throw new IllegalArgumentException("v1Naive is limited to m·n·k ≤ 512³ (one call would take"
                        + " seconds); shape " + shape + " is larger: leave it to the other variants");
            }
            build(shape);
            check(variantOf(params));
        }
    }

    @Benchmark
    public float[] v1Naive(SmallShapes s) {
        return naive(s);
    }

    @Benchmark
    public float[] v2JavaBlocked(AllShapes s) {
        return javaBlocked(s);
    }

    @Benchmark
    public float[] v3BlasFacade(AllShapes s) {
        return blasFacade(s);
    }

    @Benchmark
    public float[] v4JblasNative(AllShapes s) {
        return jblasNative(s, s.a, s.b, s.c);
    }

    @Benchmark
    public float[] jniCopyOnly(AllShapes s) {
        // m = n = k = 0: a valid BLAS call that does no arithmetic, with the same arrays to copy.
        NativeBlas.sgemm('N', 'N', 0, 0, 0, 1f, s.b, 0, Math.max(1, s.ldb), s.a, 0, Math.max(1, s.lda),
                0f, s.c, 0, Math.max(1, s.n));
        return s.c;
    }

    @Benchmark
    public float[] jblasPadded(AllShapes s) {
        return jblasNative(s, s.aPadded, s.bPadded, s.cPadded);
    }

    /** v1: the definition, one dot product per element of C. */
    static float[] naive(Operands o) {
        for (int i = 0; i < o.m; i++) {
            for (int j = 0; j < o.n; j++) {
                float sum = 0f;
                for (int p = 0; p < o.k; p++) {
                    float x = o.transA ? o.a[p * o.lda + i] : o.a[i * o.lda + p];
                    float y = o.transB ? o.b[j * o.ldb + p] : o.b[p * o.ldb + j];
                    sum += x * y;
                }
                o.c[i * o.n + j] = sum;
            }
        }
        return o.c;
    }

    /** Block sizes of v2: a KB×JB panel of B is 256 KB, half of a typical L2. */
    private static final int KB = 128;
    private static final int JB = 512;

    /**
     * v2: {@code C[i, j0:j1] += A[i, p]·B[p, j0:j1]}, looping i-p-j inside blocks of p and j. The inner
     * loop is a contiguous AXPY the JIT vectorises. With B transposed its rows are not contiguous, so
     * that case computes dot products of rows of A and rows of B instead.
     */
    static float[] javaBlocked(Operands o) {
        float[] a = o.a;
        float[] b = o.b;
        float[] c = o.c;
        int m = o.m;
        int n = o.n;
        int k = o.k;
        if (o.transB) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float sum = 0f;
                    int bj = j * o.ldb;
                    for (int p = 0; p < k; p++) {
                        sum += (o.transA ? a[p * o.lda + i] : a[i * o.lda + p]) * b[bj + p];
                    }
                    c[i * n + j] = sum;
                }
            }
            return c;
        }
        Arrays.fill(c, 0f);
        for (int j0 = 0; j0 < n; j0 += JB) {
            int j1 = Math.min(n, j0 + JB);
            for (int p0 = 0; p0 < k; p0 += KB) {
                int p1 = Math.min(k, p0 + KB);
                for (int i = 0; i < m; i++) {
                    int ci = i * n;
                    for (int p = p0; p < p1; p++) {
                        float aip = o.transA ? a[p * o.lda + i] : a[i * o.lda + p];
                        int bp = p * o.ldb;
                        for (int j = j0; j < j1; j++) {
                            c[ci + j] += aip * b[bp + j];
                        }
                    }
                }
            }
        }
        return c;
    }

    /** v3: through glassbox's facade. */
    static float[] blasFacade(Operands o) {
        Blas.sgemm(o.transA, o.transB, o.m, o.n, o.k, 1f, o.a, o.lda, o.b, o.ldb, 0f, o.c, o.n);
        return o.c;
    }

    /** v4: jblas's JNI entry point, with the row-major swap done by hand (Cᵀ = op(B)ᵀ·op(A)ᵀ). */
    static float[] jblasNative(Operands o, float[] a, float[] b, float[] c) {
        NativeBlas.sgemm(o.transB ? 'T' : 'N', o.transA ? 'T' : 'N', o.n, o.m, o.k, 1f,
                b, 0, o.ldb, a, 0, o.lda, 0f, c, 0, o.n);
        return c;
    }

    /** Dispatches by benchmark method name, so setup can check exactly the variant about to be measured. */
    static float[] run(String variant, Operands o) {
        switch (variant) {
            case "v1Naive":
                return naive(o);
            case "v2JavaBlocked":
                return javaBlocked(o);
            case "v3BlasFacade":
                return blasFacade(o);
            case "v4JblasNative":
                return jblasNative(o, o.a, o.b, o.c);
            case "jblasPadded":
                return jblasNative(o, o.aPadded, o.bPadded, o.cPadded);
            default:
                throw new IllegalArgumentException("unknown GEMM variant " + variant);
        }
    }

    private static String variantOf(BenchmarkParams params) {
        String name = params.getBenchmark();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code "m:n:k:transA:transB"} → {@code {m, n, k, transA ? 1 : 0, transB ? 1 : 0}}. */
    static int[] parse(String shape) {
        String[] f = shape.split(":");
        if (f.length != 5 || !f[3].matches("[NT]") || !f[4].matches("[NT]")) {
            throw new IllegalArgumentException("shape must be \"m:n:k:transA:transB\" with N or T flags, e.g."
                    + " \"32:128:784:N:N\"; got \"" + shape + "\"");
        }
        return new int[] {Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()),
            Integer.parseInt(f[2].trim()), f[3].equals("T") ? 1 : 0, f[4].equals("T") ? 1 : 0};
    }

    /** Floating-point operations of one product at {@code shape}: {@code 2·m·n·k} (a multiply and an add). */
    public static double flops(String shape) {
        int[] s = parse(shape);
        return 2.0 * s[0] * s[1] * s[2];
    }

    private static float[] randomFloats(int size, Rng rnd) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return x;
    }
}
