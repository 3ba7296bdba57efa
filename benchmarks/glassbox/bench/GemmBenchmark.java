package glassbox.bench;

import glassbox.kernels.BlasGemm;
import glassbox.kernels.BlockedGemm;
import glassbox.kernels.Gemm;
import glassbox.kernels.GemmLadder;
import glassbox.kernels.IkjGemm;
import glassbox.kernels.NaiveGemm;
import glassbox.kernels.PackedGemm;
import glassbox.kernels.ParallelGemm;
import glassbox.tensor.Blas;
import glassbox.tensor.ReferenceGemm;
import glassbox.util.Rng;
import java.util.Arrays;
import java.util.List;
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
 * Single-precision matrix product {@code C = op(A)·op(B)} ({@code m×k} times {@code k×n}, row-major): the
 * GEMM ladder of {@link glassbox.kernels} — one benchmark per rung, from the textbook loop to the BLAS
 * facade — on square sizes and on the seed models' real shapes ({@link GemmShapes}).
 *
 * <p>Every variant does {@code 2·m·n·k} floating-point operations ({@link #flops}); JMH reports the time
 * per product, and {@code ./glassbox bench gemm} turns it into GFLOP/s, % of this CPU's peak
 * ({@link CpuPeak}) and the ratio to BLAS. The ladder, in order ({@link #RUNGS}): {@link NaiveGemm},
 * {@link IkjGemm}, {@link BlockedGemm}, {@link PackedGemm}, {@link ParallelGemm}, the Vector API rung on one
 * thread and on every core ({@code glassbox.kernels.vector.VectorGemm}: the fork is started with
 * {@code --add-modules=jdk.incubator.vector}, which only benchmark runs and tests use), and
 * {@link BlasGemm}, the facade the layers call. The naive and ikj loops run only on shapes up to
 * {@link #SLOW_LIMIT} multiply-adds: beyond, one call takes seconds.
 *
 * <p>Three more variants take the JNI call apart (jblas copies every Java array into native memory on
 * the way in, and C back out, because HotSpot's {@code GetFloatArrayElements} copies; jblas #129):
 * <ul>
 *   <li>{@link #v4JblasNative}: {@link NativeBlas#sgemm} directly, the facade's call without its checks.</li>
 *   <li>{@link #jniCopyOnly}: the same call with the same three arrays but {@code m = n = k = 0}, so
 *       OpenBLAS returns at once and only the JNI transition and the copies remain. v4 minus this is the
 *       time spent in OpenBLAS's kernel.</li>
 *   <li>{@link #jblasPadded}: the same product, but each operand lives at the start of an array four times
 *       its size. The copies are of whole arrays, so this is what an "offset view into a big buffer"
 *       design would pay (the reason a glassbox tensor owns its own {@code float[]}).</li>
 * </ul>
 *
 * <p>Shapes are {@code "m:n:k:transA:transB"} with {@code N}/{@code T} flags (colons, because JMH's
 * {@code -p shape=a,b} splits its values on commas): squares 64…2048, the MLP 784-128-128-10 at batch 32
 * and 256 (forward {@code x·W}, backward {@code dW = xᵀ·dOut} (transA) and {@code dX = dOut·Wᵀ} (transB)),
 * and every seed Conv2D's per-call GEMMs at batch 128 (forward, backward-filter, backward-data, per im2col
 * chunk, as {@link GemmShapes} derives them; {@code GemmShapesTest} checks this list against it).
 *
 * <p>Inputs are built once per trial; before measuring, the variant about to run is checked once against
 * a double-precision reference (all of C for small shapes, 4096 sampled entries for large ones), so a
 * fast wrong kernel cannot post a number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = GemmBenchmark.VECTOR_MODULE)
public class GemmBenchmark {
    /** The JVM option that lets the fork load the Vector API rung (only benchmark forks get it). */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /** The naive and ikj loops are measured only up to this many multiply-adds (512³): beyond, a call takes seconds. */
    static final long SLOW_LIMIT = 512L * 512 * 512;

    /** Benchmark method names of the ladder, in order, with the rung each measures (a table's row labels). */
    static final List<String> RUNGS = List.of("naive", "ikj", "blocked", "packed", "parallel", "vector",
            "vectorParallel", "blas");

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
        Gemm gemm;

        void build(String shape, String variant) {
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
            gemm = rung(variant);
            check(variant);
        }

        /** Runs {@code variant} once and compares its C with a double-precision reference. */
        void check(String variant) {
            if (variant.equals("jniCopyOnly")) {
                return; // computes nothing by design
            }
            float[] out = run(variant, this);
            Rng pick = new Rng(1);
            boolean all = (long) m * n * k <= SLOW_LIMIT;
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

    /** Every shape; used by every variant but the slow loops. */
    @State(Scope.Benchmark)
    public static class AllShapes extends Operands {
        @Param({"64:64:64:N:N", "128:128:128:N:N", "256:256:256:N:N", "512:512:512:N:N", "1024:1024:1024:N:N",
            "2048:2048:2048:N:N", "32:128:784:N:N", "32:128:128:N:N", "784:128:32:T:N", "32:784:128:N:T",
            "256:128:784:N:N", "784:128:256:T:N", "256:784:128:N:T", "576:32:288:N:N", "288:32:576:T:N",
            "676:32:288:N:N", "700:64:288:N:N", "288:64:700:T:N", "700:288:64:N:T", "384:64:576:N:N",
            "576:64:384:T:N", "384:576:64:N:T", "784:32:288:N:N", "288:32:784:T:N", "676:128:288:N:N",
            "288:128:676:T:N", "676:288:128:N:T", "169:64:1152:N:N", "1152:64:169:T:N", "169:128:576:N:N",
            "1568:8:144:N:N", "144:8:1568:T:N", "1568:16:72:N:N", "784:8:72:N:N", "72:8:784:T:N", "256:8:72:N:N",
            "72:8:256:T:N", "1024:8:72:N:N", "72:8:1024:T:N", "2940:16:72:N:N", "72:16:2940:T:N", "2940:72:16:N:T",
            "576:64:288:N:N", "288:64:576:T:N", "576:288:64:N:T"})
        public String shape;

        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            build(shape, variantOf(params));
        }
    }

    /** The shapes small enough for the naive and ikj loops (at most {@link #SLOW_LIMIT} multiply-adds). */
    @State(Scope.Benchmark)
    public static class SmallShapes extends Operands {
        @Param({"64:64:64:N:N", "128:128:128:N:N", "256:256:256:N:N", "512:512:512:N:N", "32:128:784:N:N",
            "32:128:128:N:N", "784:128:32:T:N", "32:784:128:N:T", "256:128:784:N:N", "784:128:256:T:N",
            "256:784:128:N:T", "576:32:288:N:N", "288:32:576:T:N", "676:32:288:N:N", "700:64:288:N:N",
            "288:64:700:T:N", "700:288:64:N:T", "384:64:576:N:N", "576:64:384:T:N", "384:576:64:N:T",
            "784:32:288:N:N", "288:32:784:T:N", "676:128:288:N:N", "288:128:676:T:N", "676:288:128:N:T",
            "169:64:1152:N:N", "1152:64:169:T:N", "169:128:576:N:N", "1568:8:144:N:N", "144:8:1568:T:N",
            "1568:16:72:N:N", "784:8:72:N:N", "72:8:784:T:N", "256:8:72:N:N", "72:8:256:T:N", "1024:8:72:N:N",
            "72:8:1024:T:N", "2940:16:72:N:N", "72:16:2940:T:N", "2940:72:16:N:T", "576:64:288:N:N", "288:64:576:T:N",
            "576:288:64:N:T"})
        public String shape;

        @Setup(Level.Trial)
        public void setup(BenchmarkParams params) {
            int[] s = parse(shape);
            if ((long) s[0] * s[1] * s[2] > SLOW_LIMIT) {
                throw new IllegalArgumentException(variantOf(params) + " is limited to m·n·k ≤ 512³ (one call would"
                        + " take seconds); shape " + shape + " is larger: leave it to the other variants");
            }
            build(shape, variantOf(params));
        }
    }

    @Benchmark
    public float[] naive(SmallShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] ikj(SmallShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] blocked(AllShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] packed(AllShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] parallel(AllShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] vector(AllShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] vectorParallel(AllShapes s) {
        return multiply(s);
    }

    @Benchmark
    public float[] blas(AllShapes s) {
        return multiply(s);
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

    /** The rung measured by the benchmark method {@code variant}; {@code null} for the raw-jblas variants. */
    static Gemm rung(String variant) {
        switch (variant) {
            case "naive":
                return new NaiveGemm();
            case "ikj":
                return new IkjGemm();
            case "blocked":
                return new BlockedGemm();
            case "packed":
                return new PackedGemm();
            case "parallel":
                return new ParallelGemm();
            case "vector":
                return GemmLadder.vectorGemm(false);
            case "vectorParallel":
                return GemmLadder.vectorGemm(true);
            case "blas":
                return new BlasGemm();
            default:
                return null;
        }
    }

    private static float[] multiply(Operands o) {
        o.gemm.multiply(o.transA, o.transB, o.m, o.n, o.k, o.a, o.lda, o.b, o.ldb, o.c, o.n);
        return o.c;
    }

    /** v4: jblas's JNI entry point, with the row-major swap done by hand (Cᵀ = op(B)ᵀ·op(A)ᵀ). */
    static float[] jblasNative(Operands o, float[] a, float[] b, float[] c) {
        NativeBlas.sgemm(o.transB ? 'T' : 'N', o.transA ? 'T' : 'N', o.n, o.m, o.k, 1f,
                b, 0, o.ldb, a, 0, o.lda, 0f, c, 0, o.n);
        return c;
    }

    /** Runs a variant once (for the check before measuring). */
    static float[] run(String variant, Operands o) {
        switch (variant) {
            case "v4JblasNative":
                return jblasNative(o, o.a, o.b, o.c);
            case "jblasPadded":
                return jblasNative(o, o.aPadded, o.bPadded, o.cPadded);
            default:
                if (o.gemm == null) {
                    throw new IllegalArgumentException("unknown GEMM variant " + variant);
                }
                return multiply(o);
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
