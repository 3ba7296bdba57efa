package glassbox.bench;

import glassbox.nn.FitOptions;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Blas;
import glassbox.tensor.ReferenceGemm;
import glassbox.tensor.Tensor;
import glassbox.util.Json;
import glassbox.util.Rng;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jblas.NativeBlas;

/**
 * The glassbox side of {@code ./glassbox bench numpy-gap} ({@link NumpyGapBenchmark}): a JVM that times
 * matrix products and training steps on request, one request per line on stdin, one answer per line on
 * stdout; the twin of {@code benchmarks/python/numpy_gemm.py}, with the same protocol.
 *
 * <p>Why a process per setting: the OpenBLAS thread count ({@code OPENBLAS_NUM_THREADS}) and glibc's
 * malloc thresholds are fixed when a process starts, so "1 thread against 2" or "malloc keeps freed memory
 * or not" needs one JVM each; the parent keeps them all alive and asks each in turn, so that the load of
 * the moment hits every setting alike. On start it prints {@code ready {json}} naming the OpenBLAS file
 * this process mapped and the environment that configures it. Requests (times are seconds, averaged over
 * the {@code REPS} repetitions of one batch):
 * <pre>
 *   gemm M N K TA TB REPS VARIANT   C = op(A)·op(B) at that shape, VARIANT one of
 *       facade   Blas.sgemm, what the layers call
 *       copy     a jblas JNI call with m = n = k = 0: only the JNI transition and jblas's copies of
 *                the three arrays remain (GemmBenchmark.jniCopyOnly): what the FFM calls no longer pay
 *       split2   C's rows cut in two halves, each computed by its own Java thread (the batch split over
 *                threads; meant for a 1-thread OpenBLAS), then joined into C
 *       chunks8  the batch cut in eight: eight calls on separate arrays of an eighth of the rows (forward,
 *                dX: M/8 rows each) or, when A is transposed (dW = xᵀ·dZ), eight accumulating calls over
 *                K/8 samples each: what eight small mini-batches cost next to one large one
 *   dense VARIANT IN UNITS BATCH REPS   one Dense layer's pass, VARIANT one of
 *       fwd      y = x·W + b as the layer does it: b copied into every row of y, then GEMM with beta = 1
 *       fwdAug   one GEMM [x 1]·[W; b] (x copied into a batch×(IN+1) array with a column of ones first)
 *       bwd      dW += xᵀ·dZ by GEMM, then db += Σ_rows dZ by a Java loop, as the layer does it
 *       bwdAug   one GEMM [x 1]ᵀ·dZ giving dW and db together (after copying x as for fwdAug)
 *   mlp BATCH STEPS          seconds per training step of seed 000's MLP (784-128-128-10, Adam) on
 *                            synthetic data: one epoch of BATCH·STEPS samples, epoch time / STEPS
 *   predict CHUNK            seconds to predict 8,192 samples with that MLP, CHUNK rows per forward pass
 *   quit
 * </pre>
 */
public final class GemmWorker {
    private static final int PREDICT_SAMPLES = 8192;

    private final Map<String, GemmOperands> gemms = new HashMap<>();
    private final Map<String, DenseOperands> denses = new HashMap<>();
    private final Map<Integer, Sequential> models = new HashMap<>();
    private final Map<Integer, Tensor[]> trainData = new HashMap<>();
    private ExecutorService pool;

    GemmWorker() {
    }

    public static void main(String[] args) throws Exception {
        Blas.ensureLoaded();
        // One line: the JSON writer indents over several.
        System.out.println("ready " + Json.toJson(describeProcess()).replaceAll("\\s*\\n\\s*", " "));
        System.out.flush();
        GemmWorker worker = new GemmWorker();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        try {
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                if (w[0].equals("quit")) {
                    break;
                }
                String answer;
                try {
                    answer = Double.toString(worker.handle(w));
                } catch (RuntimeException e) {
                    answer = "error " + e.getMessage();
                }
                System.out.println(answer);
                System.out.flush();
            }
        } finally {
            if (worker.pool != null) {
                worker.pool.shutdownNow();
            }
        }
    }

    /** The OpenBLAS files this process mapped (from /proc/self/maps) and the environment that sets it up. */
    static Map<String, Object> describeProcess() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("binding", Blas.library()); // binds the library first (the FFM lookup maps it on first use)
        d.put("libraries", mappedBlasLibraries());
        d.put("core", envOr("OPENBLAS_CORETYPE", "detected"));
        d.put("threads", envOr("OPENBLAS_NUM_THREADS", "all cores"));
        d.put("malloc_mmap_threshold", envOr("MALLOC_MMAP_THRESHOLD_", "glibc default"));
        d.put("java", System.getProperty("java.version"));
        return d;
    }

    /** The BLAS/LAPACK shared objects mapped into this process (empty when not on Linux). */
    static TreeSet<String> mappedBlasLibraries() {
        TreeSet<String> libs = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash >= 0) {
                    String path = line.substring(slash).trim();
                    if (path.contains("blas") || path.contains("lapack")) {
                        libs.add(path);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to report
        }
        return libs;
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    double handle(String[] w) throws Exception {
        switch (w[0]) {
            case "gemm": {
                need(w, 8);
                int m = Integer.parseInt(w[1]);
                int n = Integer.parseInt(w[2]);
                int k = Integer.parseInt(w[3]);
                boolean ta = w[4].equals("T");
                boolean tb = w[5].equals("T");
                GemmOperands o = gemms.computeIfAbsent(String.join(" ", w[1], w[2], w[3], w[4], w[5]),
                        key -> new GemmOperands(m, n, k, ta, tb));
                Body body = gemmVariant(o, w[7]);
                if (o.checked.add(w[7]) && !w[7].equals("copy")) {
                    check(o, body, w[7]); // a fast wrong variant must not post a number
                }
                return timeReps(Integer.parseInt(w[6]), body);
            }
            case "dense": {
                need(w, 6);
                int in = Integer.parseInt(w[2]);
                int units = Integer.parseInt(w[3]);
                int batch = Integer.parseInt(w[4]);
                DenseOperands d = denses.computeIfAbsent(in + " " + units + " " + batch,
                        key -> new DenseOperands(in, units, batch));
                return timeReps(Integer.parseInt(w[5]), denseVariant(d, w[1]));
            }
            case "mlp": {
                need(w, 3);
                return mlpStep(Integer.parseInt(w[1]), Integer.parseInt(w[2]));
            }
            case "predict": {
                need(w, 2);
                return predict(Integer.parseInt(w[1]));
            }
            default:
                throw new IllegalArgumentException("unknown request '" + w[0] + "'");
        }
    }

    private static void need(String[] w, int words) {
        if (w.length != words) {
            throw new IllegalArgumentException("request '" + String.join(" ", w) + "' needs " + words + " words");
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static double timeReps(int reps, Body body) throws Exception {
        long start = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            body.run();
        }
        return (System.nanoTime() - start) / 1e9 / reps;
    }

    /** A, B, C for one shape, plus what the split and chunked variants work on. */
    static final class GemmOperands {
        final int m;
        final int n;
        final int k;
        final boolean ta;
        final boolean tb;
        final int lda;
        final int ldb;
        final float[] a;
        final float[] b;
        final float[] c;
        float[][] halves;
        float[][] chunkA;
        float[][] chunkB;
        float[][] chunkC;
        final java.util.Set<String> checked = new java.util.HashSet<>();

        GemmOperands(int m, int n, int k, boolean ta, boolean tb) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.ta = ta;
            this.tb = tb;
            lda = ta ? m : k;
            ldb = tb ? k : n;
            Rng rnd = new Rng(20240611L);
            a = randomFloats(m * k, rnd);
            b = randomFloats(k * n, rnd);
            c = new float[m * n];
        }
    }

    /**
     * Runs {@code variant} once on a cleared C and compares 256 sampled entries with a double-precision
     * reference, within the rounding bound of a length-k float dot product.
     */
    private static void check(GemmOperands o, Body body, String variant) throws Exception {
        java.util.Arrays.fill(o.c, Float.NaN);
        body.run();
        if (variant.equals("chunks8") && !o.ta) { // each mini-batch's output is its own array: join them to check
            int rows = o.m / 8;
            for (int s = 0; s < 8; s++) {
                System.arraycopy(o.chunkC[s], 0, o.c, s * rows * o.n, rows * o.n);
            }
        }
        Rng pick = new Rng(1);
        for (int s = 0; s < 256; s++) {
            int i = pick.nextInt(o.m);
            int j = pick.nextInt(o.n);
            double want = ReferenceGemm.entry(o.ta, o.tb, o.k, o.a, o.lda, o.b, o.ldb, i, j);
            double tol = ReferenceGemm.floatTolerance(o.ta, o.tb, o.k, o.a, o.lda, o.b, o.ldb, i, j);
            if (!(Math.abs(o.c[i * o.n + j] - want) <= tol)) {
                throw new IllegalStateException(String.format(java.util.Locale.ROOT,
                        "%s computes a wrong product at %d×%d×%d: C[%d,%d] = %g, expected %g", variant, o.m, o.n,
                        o.k, i, j, o.c[i * o.n + j], want));
            }
        }
    }

    private Body gemmVariant(GemmOperands o, String variant) {
        switch (variant) {
            case "facade":
                return () -> Blas.sgemm(o.ta, o.tb, o.m, o.n, o.k, 1f, o.a, o.lda, o.b, o.ldb, 0f, o.c, o.n);
            case "copy":
                // As GemmBenchmark.jniCopyOnly: a valid call with nothing to compute, the same arrays to copy.
                return () -> NativeBlas.sgemm('N', 'N', 0, 0, 0, 1f, o.b, 0, Math.max(1, o.ldb), o.a, 0,
                        Math.max(1, o.lda), 0f, o.c, 0, Math.max(1, o.n));
            case "split2":
                return () -> split2(o);
            case "chunks8":
                return () -> chunks8(o);
            default:
                throw new IllegalArgumentException("unknown gemm variant '" + variant + "'");
        }
    }

    /**
     * Rows {@code [0, m/2)} and {@code [m/2, m)} of C on two threads. Each writes its own array: jblas
     * copies a whole output array back after the call, so two calls sharing C would overwrite each other's
     * half. A is passed whole with an offset (jblas copies all of it either way).
     */
    private void split2(GemmOperands o) throws Exception {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "split2");
                t.setDaemon(true);
                return t;
            });
        }
        int half = o.m / 2;
        if (o.halves == null) {
            o.halves = new float[][] {new float[half * o.n], new float[(o.m - half) * o.n]};
        }
        Future<?> top = pool.submit(() -> rows(o, 0, half, o.halves[0]));
        Future<?> bottom = pool.submit(() -> rows(o, half, o.m, o.halves[1]));
        top.get();
        bottom.get();
        System.arraycopy(o.halves[0], 0, o.c, 0, o.halves[0].length);
        System.arraycopy(o.halves[1], 0, o.c, half * o.n, o.halves[1].length);
    }

    /** Rows {@code [from, to)} of {@code C = op(A)·op(B)} into {@code out} (row-major, {@code n} wide). */
    private static void rows(GemmOperands o, int from, int to, float[] out) {
        // Row i of op(A) starts at i·lda in A, or at column i (offset i) when A is stored transposed.
        int offsetA = o.ta ? from : from * o.lda;
        NativeBlas.sgemm(o.tb ? 'T' : 'N', o.ta ? 'T' : 'N', o.n, to - from, o.k, 1f, o.b, 0, o.ldb,
                o.a, offsetA, o.lda, 0f, out, 0, o.n);
    }

    private static void chunks8(GemmOperands o) {
        if (o.chunkA == null) {
            buildChunks(o);
        }
        if (!o.ta) { // forward or dX: eight separate products of m/8 rows
            int rows = o.m / 8;
            for (int s = 0; s < 8; s++) {
                Blas.sgemm(false, o.tb, rows, o.n, o.k, 1f, o.chunkA[s], o.lda, o.b, o.ldb, 0f, o.chunkC[s], o.n);
            }

        } else { // dW = Σ over eight mini-batches of xᵀ·dZ, accumulated into C
            int samples = o.k / 8;
            for (int s = 0; s < 8; s++) {
                Blas.sgemm(true, o.tb, o.m, o.n, samples, 1f, o.chunkA[s], o.lda, o.chunkB[s], o.ldb,
                        s == 0 ? 0f : 1f, o.c, o.n);
            }
        }
    }

    private static void buildChunks(GemmOperands o) {
        if (!o.ta && (o.m % 8 != 0)) {
            throw new IllegalArgumentException("chunks8 needs m divisible by 8, got " + o.m);
        }
        if (o.ta && (o.k % 8 != 0 || o.tb)) {
            throw new IllegalArgumentException("chunks8 with A transposed needs k divisible by 8 and B not"
                    + " transposed, got k = " + o.k);
        }
        o.chunkA = new float[8][];
        o.chunkB = new float[8][];
        o.chunkC = new float[8][];
        if (!o.ta) {
            int rows = o.m / 8;
            for (int s = 0; s < 8; s++) {
                o.chunkA[s] = java.util.Arrays.copyOfRange(o.a, s * rows * o.lda, (s + 1) * rows * o.lda);
                o.chunkC[s] = new float[rows * o.n];
            }
        } else {
            int samples = o.k / 8; // A is k×m (x, one sample per row), B is k×n (dZ)
            for (int s = 0; s < 8; s++) {
                o.chunkA[s] = java.util.Arrays.copyOfRange(o.a, s * samples * o.lda, (s + 1) * samples * o.lda);
                o.chunkB[s] = java.util.Arrays.copyOfRange(o.b, s * samples * o.ldb, (s + 1) * samples * o.ldb);
            }
        }
    }

    /** A Dense layer's operands, and the augmented ones of the one-GEMM variants. */
    static final class DenseOperands {
        final int in;
        final int units;
        final int batch;
        final float[] x;
        final float[] w;
        final float[] bias;
        final float[] y;
        final float[] dz;
        final float[] dw;
        final float[] db;
        final float[] xAug;
        final float[] wAug;
        final float[] dwAug;

        DenseOperands(int in, int units, int batch) {
            this.in = in;
            this.units = units;
            this.batch = batch;
            Rng rnd = new Rng(3);
            x = randomFloats(batch * in, rnd);
            w = randomFloats(in * units, rnd);
            bias = randomFloats(units, rnd);
            dz = randomFloats(batch * units, rnd);
            y = new float[batch * units];
            dw = new float[in * units];
            db = new float[units];
            xAug = new float[batch * (in + 1)];
            // [W; b]: the kernel with the bias as one more row, as a layer storing them together would keep it.
            wAug = java.util.Arrays.copyOf(w, (in + 1) * units);
            System.arraycopy(bias, 0, wAug, in * units, units);
            dwAug = new float[(in + 1) * units];
        }

        void augmentX() {
            int w1 = in + 1;
            for (int r = 0; r < batch; r++) {
                System.arraycopy(x, r * in, xAug, r * w1, in);
                xAug[r * w1 + in] = 1f;
            }
        }
    }

    static Body denseVariant(DenseOperands d, String variant) {
        int in = d.in;
        int units = d.units;
        int batch = d.batch;
        switch (variant) {
            case "fwd":
                return () -> {
                    for (int r = 0; r < batch; r++) {
                        System.arraycopy(d.bias, 0, d.y, r * units, units);
                    }
                    Blas.sgemm(false, false, batch, units, in, 1f, d.x, in, d.w, units, 1f, d.y, units);
                };
            case "fwdAug":
                return () -> {
                    d.augmentX();
                    Blas.sgemm(false, false, batch, units, in + 1, 1f, d.xAug, in + 1, d.wAug, units, 0f, d.y,
                            units);
                };
            case "bwd":
                return () -> {
                    Blas.sgemm(true, false, in, units, batch, 1f, d.x, in, d.dz, units, 1f, d.dw, units);
                    for (int r = 0; r < batch; r++) {
                        for (int j = 0; j < units; j++) {
                            d.db[j] += d.dz[r * units + j];
                        }
                    }
                };
            case "bwdAug":
                return () -> {
                    d.augmentX();
                    Blas.sgemm(true, false, in + 1, units, batch, 1f, d.xAug, in + 1, d.dz, units, 1f, d.dwAug,
                            units);
                };
            default:
                throw new IllegalArgumentException("unknown dense variant '" + variant + "'");
        }
    }

    /** Seed 000's network, compiled as the experiment compiles it. */
    static Sequential mlp() {
        return new Sequential(0, new Flatten(), new Dense(128, "relu"), new Dense(128, "relu"),
                new Dense(10, "sigmoid")).compile(new SparseCategoricalCrossentropy(), new Adam());
    }

    /** Random inputs in [0, 1) (the scale of L2-normalised pixels does not matter for timing) and labels. */
    static Tensor[] syntheticData(int samples, long seed) {
        Rng rnd = new Rng(seed);
        float[] x = new float[samples * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextDouble() * 0.05f;
        }
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = rnd.nextInt(10);
        }
        return new Tensor[] {new Tensor(x, samples, 784), new Tensor(y, samples)};
    }

    private double mlpStep(int batch, int steps) {
        Sequential model = models.computeIfAbsent(batch, b -> mlp());
        Tensor[] data = trainData.computeIfAbsent(batch * steps, s -> syntheticData(s, 5));
        long start = System.nanoTime();
        model.fit(data[0], data[1], FitOptions.defaults().withEpochs(1).withBatchSize(batch).withVerbose(false));
        return (System.nanoTime() - start) / 1e9 / steps;
    }

    private double predict(int chunk) {
        Sequential model = models.computeIfAbsent(-1, b -> mlp());
        Tensor[] data = trainData.computeIfAbsent(-PREDICT_SAMPLES, s -> syntheticData(PREDICT_SAMPLES, 6));
        long start = System.nanoTime();
        model.predict(data[0], chunk);
        return (System.nanoTime() - start) / 1e9;
    }

    private static float[] randomFloats(int size, Rng rnd) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (rnd.nextDouble() - 0.5);
        }
        return v;
    }
}
