package glassbox.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import org.jblas.NativeBlas;

/**
 * The one door to BLAS: every matrix product in glassbox goes through here (and {@link BlasLibrary}, which
 * binds the native library); no other class reaches native code.
 *
 * <p><b>Storage order.</b> glassbox stores matrices row-major; BLAS (Fortran) reads them column-major.
 * A row-major {@code m×n} matrix with leading dimension {@code ld} is, read column-major, its own
 * transpose ({@code n×m}, same {@code ld}). So the row-major product {@code C = op(A)·op(B)} is computed as
 * the column-major product {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: swap the operands, swap {@code m} and {@code n},
 * keep the transpose flags. No data is copied or rearranged on the Java side.
 *
 * <p><b>No copies.</b> The products are FFM downcalls on the Java arrays themselves (see
 * {@link BlasLibrary}): a call costs its {@code 2·m·n·k} flops and a few hundred nanoseconds. (Through
 * jblas's JNI, still a path the launcher's probe measures, each operand was copied in and the output out,
 * which at the MLP's shapes cost as much as the arithmetic.) LAPACK ({@link #dsyevd}, {@link #orthonormalizeRows}) stays
 * with jblas, whose copies are nothing beside an eigen-decomposition.
 *
 * <p><b>Threads, chosen per shape.</b> OpenBLAS runs on one thread ({@code OPENBLAS_NUM_THREADS=1}, the
 * launcher's setting), and this facade decides per product how many cores it gets: a product of at least
 * {@link #SPLIT_FLOPS} flops is cut into {@code GLASSBOX_BLAS_THREADS} bands of rows of C, each computed by
 * its own Java thread calling the one-thread OpenBLAS straight into its rows of C; smaller products — the
 * MLP's batch-32 ones, a convolution's thin patch products — stay whole on the caller's thread, where
 * OpenBLAS's own thread hand-off would cost more than a second core gives (on a thin conv product, many
 * times more: the probe measures it, see {@code docs/performance.md}).
 * Bands start on multiples of {@link #BAND_ROWS} rows, so each row of C is computed by the same kernel
 * code over the same {@code k} as in the whole call: the result does not depend on the split or the
 * thread count (tests check it bit for bit) — unlike OpenBLAS's own threads, whose split changes the last
 * bits of large products. A call made from a worker of a parallel loop ({@link java.util.concurrent.ForkJoinPool}
 * thread) is never split: the loop already has every core busy.
 */
public final class Blas {
    /**
     * The smallest product ({@code 2·m·n·k} flops) split over the facade's threads. Between the MLP's
     * batch-32 products (at most 6.4 Mflop, where one thread beats two on a 2-core machine) and its
     * batch-256 ones (51 Mflop); {@code ./glassbox bench numpy-gap} shows per product whether a split pays.
     */
    public static final double SPLIT_FLOPS = 16e6;

    /**
     * Bands start on multiples of this many rows. OpenBLAS's kernels work on C in blocks of a few rows
     * (in our row-major terms) and finish an incomplete block with other code, whose rounding differs: a
     * band boundary inside a block would change the bits of the rows around it. 48 is a multiple of every
     * x86 kernel's block (4, 6, 8, 12, 16, 24 rows), measured bit-identical by the tests for every path the
     * probe can choose.
     */
    static final int BAND_ROWS = 48;

    /** Java threads a large product is split over ({@code GLASSBOX_BLAS_THREADS}, default 1: no split). */
    private static final int THREADS = threadsFromEnvironment(System.getenv("GLASSBOX_BLAS_THREADS"));

    /** The native routines, bound on first use ({@code GLASSBOX_BLAS_LIBRARY}, see {@link BlasLibrary}). */
    private static volatile BlasLibrary.Binding binding;
    private static volatile boolean jblasLoaded;

    /** The helper threads of a split (the caller computes the first band itself); made on first use. */
    private static volatile ExecutorService pool;

    private Blas() {
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, all row-major, {@code op(X)} being {@code X} or {@code Xᵀ}.
     *
     * @param transA whether to use {@code Aᵀ}; {@code op(A)} is {@code m×k}, so {@code A} is {@code m×k}
     *               (lda ≥ k) or, transposed, {@code k×m} (lda ≥ m)
     * @param transB whether to use {@code Bᵀ}; {@code op(B)} is {@code k×n}
     * @param c      {@code m×n}, leading dimension {@code ldc ≥ n}; overwritten (beta = 0) or accumulated into
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        BlasLibrary.Binding lib = binding();
        sgemmInBands(lib.copyFree() ? bands(THREADS, m, n, k) : 1, transA, transB, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
    }

    /**
     * {@link #sgemm} wholly on the calling thread, whatever its size: for code that already runs its work in
     * parallel tasks, one product per task (a convolution's chunks, see {@code ConvPlan}), where a split
     * would only crowd the cores.
     */
    public static void sgemmOnThisThread(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                         float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        sgemmInBands(1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * {@link #sgemm} with C's rows cut into {@code bands} bands, each computed on its own thread (the
     * caller's for the first). Public for the tests and benchmarks that compare it with the whole call;
     * layers call {@link #sgemm}, which splits by itself when configured to.
     */
    public static void sgemmInBands(int bands, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                    float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc) {
        checkGemmOperands(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
        BlasLibrary.Binding lib = bandable(bands, m);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) { // BLAS would still scale C by beta; do the same without a native call
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[i * ldc + j] *= beta;
                }
            }
            return;
        }
        char opA = transA ? 'T' : 'N';
        char opB = transB ? 'T' : 'N';
        // Rows [from, to) of C: row r of op(A) begins at r·lda in A, or, A being stored transposed, at
        // column r (offset r); row r of C at r·ldc.
        runBands(bands, m, (from, to) -> lib.sgemm(opB, opA, n, to - from, k, alpha, b, 0, ldb,
                a, transA ? from : from * lda, lda, beta, c, from * ldc, ldc));
    }

    /** Double-precision twin of {@link #sgemm}, for algorithms whose accuracy needs it (PCA, t-SNE). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        BlasLibrary.Binding lib = binding();
        dgemmInBands(lib.copyFree() ? bands(THREADS, m, n, k) : 1, transA, transB, m, n, k, alpha, a, lda, b, ldb,
                beta, c, ldc);
    }

    /** Double-precision twin of {@link #sgemmInBands}. */
    public static void dgemmInBands(int bands, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                    double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc) {
        checkGemmOperands(transA, transB, m, n, k, a.length, lda, b.length, ldb, c.length, ldc);
        BlasLibrary.Binding lib = bandable(bands, m);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    c[i * ldc + j] *= beta;
                }
            }
            return;
        }
        char opA = transA ? 'T' : 'N';
        char opB = transB ? 'T' : 'N';
        runBands(bands, m, (from, to) -> lib.dgemm(opB, opA, n, to - from, k, alpha, b, 0, ldb,
                a, transA ? from : from * lda, lda, beta, c, from * ldc, ldc));
    }

    /**
     * How many bands {@link #sgemm} cuts a product into with {@code threads} threads: 1 below
     * {@link #SPLIT_FLOPS}, and 1 on a worker of a parallel loop.
     */
    static int bands(int threads, int m, int n, int k) {
        if (threads <= 1 || 2.0 * m * n * k < SPLIT_FLOPS || ForkJoinTask.inForkJoinPool()) {
            return 1;
        }
        return Math.max(1, Math.min(threads, m / BAND_ROWS));
    }

    /**
     * Band {@code i}'s first row: {@code i·m/bands} rounded to a multiple of {@link #BAND_ROWS}, so that every
     * row of C meets the same kernel code as in the whole call.
     */
    static int bandStart(int i, int bands, int m) {
        if (i >= bands) {
            return m;
        }
        long even = (long) i * m / bands;
        return (int) Math.min(m, Math.round(even / (double) BAND_ROWS) * BAND_ROWS);
    }

    /** The number of facade threads the environment asks for; 1 when unset, with a clear error when bad. */
    static int threadsFromEnvironment(String value) {
        if (value == null || value.isBlank()) {
            return 1;
        }
        try {
            int t = Integer.parseInt(value.trim());
            if (t >= 1 && t <= 256) {
                return t;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("GLASSBOX_BLAS_THREADS must be a whole number from 1 to 256, got '"
                + value + "'");
    }

    /** The facade's thread count ({@code GLASSBOX_BLAS_THREADS}). */
    public static int threads() {
        return THREADS;
    }

    /**
     * The library, once {@code bands} is checked: from 1 to {@code m / BAND_ROWS}, and 1 unless the calls are
     * copy-free (jblas's JNI copies all of C back after each call, undoing the other bands' rows).
     */
    private static BlasLibrary.Binding bandable(int bands, int m) {
        if (bands < 1 || bands > Math.max(1, m / BAND_ROWS)) {
            throw new IllegalArgumentException("bands must be from 1 to m / " + BAND_ROWS + " = " + Math.max(1,
                    m / BAND_ROWS) + " (each band at least " + BAND_ROWS + " rows of C, m = " + m + "), got " + bands);
        }
        BlasLibrary.Binding lib = binding();
        if (bands > 1 && !lib.copyFree()) {
            throw new IllegalStateException("bands need the copy-free BLAS: jblas's JNI copies all of C back"
                    + " after each call, undoing the other bands' rows (" + lib.description() + ")");
        }
        return lib;
    }

    /** Computes rows {@code [from, to)} of C, straight into C. */
    private interface Band {
        void compute(int from, int to);
    }

    /**
     * Runs {@code band} on rows {@code [bandStart(i), bandStart(i+1))} for each i, the first on this thread,
     * and waits for all of them (after a failure too, so no band still writes into C when this returns).
     */
    private static void runBands(int bands, int m, Band band) {
        if (bands == 1) {
            band.compute(0, m);
            return;
        }
        List<Future<?>> others = new ArrayList<>(bands - 1);
        ExecutorService helpers = pool();
        for (int i = 1; i < bands; i++) {
            int from = bandStart(i, bands, m);
            int to = bandStart(i + 1, bands, m);
            others.add(helpers.submit(() -> band.compute(from, to)));
        }
        RuntimeException failure = null;
        try {
            band.compute(0, bandStart(1, bands, m));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("a BLAS band failed", e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) {
                    failure = new IllegalStateException("interrupted while waiting for a BLAS band", e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Blas.class) {
                if (pool == null) {
                    int[] count = {0};
                    pool = Executors.newFixedThreadPool(Math.max(1, Math.max(THREADS, 2) - 1), r -> {
                        Thread t = new Thread(r, "glassbox-blas-" + (++count[0]));
                        t.setDaemon(true); // never keeps the JVM alive
                        return t;
                    });
                }
                p = pool;
            }
        }
        return p;
    }

    /**
     * Eigen-decomposition of a symmetric {@code n×n} matrix, LAPACK's {@code dsyevd} (divide and conquer;
     * what numpy's {@code eigh} calls): {@code A = Σ_j w[j]·v_j·v_jᵀ} with orthonormal {@code v_j}.
     *
     * <p>A symmetric matrix reads the same row- or column-major, so no swap is needed on the way in; on the
     * way out LAPACK writes eigenvector {@code j} as column {@code j} of a column-major matrix, which is
     * <b>row</b> {@code j} of our row-major one: {@code a[j·n + i]} is component {@code i} of {@code v_j}.
     *
     * @param a row-major {@code n×n}, symmetric (only the upper triangle, read column-major, is used);
     *          overwritten by the eigenvectors, one per row
     * @param w receives the {@code n} eigenvalues in <b>ascending</b> order
     * @throws IllegalArgumentException if the arrays are too short
     * @throws IllegalStateException if LAPACK reports a failure to converge
     */
    public static void dsyevd(int n, double[] a, double[] w) {
        checkOperand("A", a.length, n, n, Math.max(1, n));
        if (w.length < n) {
            throw new IllegalArgumentException("w has " + w.length + " elements; expected at least n = " + n);
        }
        if (n == 0) {
            return;
        }
        ensureLoaded();
        int info = NativeBlas.dsyevd('V', 'U', n, a, 0, n, w, 0);
        if (info != 0) {
            throw new IllegalStateException("LAPACK dsyevd failed with info = " + info + " on a " + n + "×" + n
                    + " matrix" + (info > 0 ? " (the algorithm did not converge)" : ""));
        }
    }

    /**
     * Replaces the rows of a row-major {@code rows×cols} matrix ({@code rows ≤ cols}) by orthonormal rows
     * spanning the same space: the {@code Q} of a Householder QR factorisation, LAPACK's {@code dgeqrf}
     * then {@code dorgqr} (what {@code scipy.linalg.qr(mode="economic")} calls).
     *
     * <p>Read column-major, our row-major {@code rows×cols} array is the {@code cols×rows} matrix whose
     * columns are our rows, so factorising it directly makes our rows the columns of {@code Q}: row {@code j}
     * becomes {@code ±}(row {@code j} minus its projection on rows {@code 0…j−1}), normalised. The sign is
     * LAPACK's (the sign of {@code R}'s diagonal), not fixed here. Rows that are linearly dependent still
     * come out orthonormal (Householder QR always returns an orthonormal {@code Q}), which is why this and
     * not Gram–Schmidt normalises randomized SVD's power iterations.
     *
     * @throws IllegalArgumentException if {@code rows > cols} or the array is too short
     */
    public static void orthonormalizeRows(int rows, int cols, double[] a) {
        checkOperand("A", a.length, rows, cols, Math.max(1, cols));
        if (rows > cols) {
            throw new IllegalArgumentException("orthonormalizeRows: " + rows + " rows of length " + cols
                    + "; expected at most as many rows as columns");
        }
        if (rows == 0) {
            return;
        }
        ensureLoaded();
        double[] tau = new double[rows];
        int info = NativeBlas.dgeqrf(cols, rows, a, 0, cols, tau, 0);
        if (info == 0) {
            info = NativeBlas.dorgqr(cols, rows, rows, a, 0, cols, tau, 0);
        }
        if (info != 0) {
            throw new IllegalStateException("LAPACK dgeqrf/dorgqr failed with info = " + info);
        }
    }

    /**
     * {@code C = op(A)·op(B)} for 2-D tensors, written into {@code c} (beta = 0). Shapes are checked and
     * a mismatch names both shapes.
     */
    public static void matmul(Tensor a, boolean transA, Tensor b, boolean transB, Tensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("matmul needs 2-D tensors, got A" + Tensor.shapeString(a.shape())
                    + ", B" + Tensor.shapeString(b.shape()) + ", C" + Tensor.shapeString(c.shape()));
        }
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (k != kb || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("matmul shape mismatch: op(A) is " + m + "×" + k + ", op(B) is "
                    + kb + "×" + n + ", C is " + c.dim(0) + "×" + c.dim(1) + " (expected " + m + "×" + n + ")");
        }
        sgemm(transA, transB, m, n, k, 1f, a.data(), a.dim(1), b.data(), b.dim(1), 0f, c.data(), c.dim(1));
    }

    /**
     * The checks {@link #sgemm} makes before any call, with the same messages, for code that multiplies by
     * other means (the kernel laboratory's rungs): no negative dimension, each leading dimension at least its
     * row length, each array long enough.
     */
    public static void checkGemmOperands(boolean transA, boolean transB, int m, int n, int k,
                                         int aLength, int lda, int bLength, int ldb, int cLength, int ldc) {
        checkOperand("A", aLength, transA ? k : m, transA ? m : k, lda);
        checkOperand("B", bLength, transB ? n : k, transB ? k : n, ldb);
        checkOperand("C", cLength, m, n, ldc);
    }

    private static void checkOperand(String name, int length, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " has negative dimensions " + rows + "×" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " is " + ld
                    + " but it must be at least its row length " + cols);
        }
        long needed = rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
        if (needed > length) {
            throw new IllegalArgumentException(name + " is " + rows + "×" + cols + " with leading dimension " + ld
                    + " and needs " + needed + " elements, but its array has " + length);
        }
    }

    /** The routines serving the products, bound on first use (a fallback is reported in one line). */
    static BlasLibrary.Binding binding() {
        BlasLibrary.Binding b = binding;
        if (b == null) {
            synchronized (Blas.class) {
                if (binding == null) {
                    binding = BlasLibrary.bind(System.getenv("GLASSBOX_BLAS_LIBRARY"), Blas::ensureLoaded);
                }
                b = binding;
            }
        }
        return b;
    }

    /**
     * Loads jblas's native library once (LAPACK, and the JNI path), turning the cryptic failure of a machine
     * without {@code libgfortran.so.5} into one that says what to install.
     */
    public static void ensureLoaded() {
        if (jblasLoaded) {
            return;
        }
        synchronized (Blas.class) {
            if (jblasLoaded) {
                return;
            }
            org.jblas.util.Logger.getLogger().setLevel(org.jblas.util.Logger.WARNING);
            try {
                float[] one = {1f};
                float[] out = {0f};
                NativeBlas.sgemm('N', 'N', 1, 1, 1, 1f, one, 0, 1, one, 0, 1, 0f, out, 0, 1);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                throw new IllegalStateException("jblas's native BLAS could not be loaded (" + e.getMessage() + "). "
                        + "It needs libgfortran.so.5: run './glassbox setup' or 'apt-get install -y libgfortran5'.", e);
            }
            jblasLoaded = true;
        }
    }

    /**
     * What BLAS this process runs, as the launcher measured and chose it ({@code GLASSBOX_BLAS}), or
     * jblas's bundled OpenBLAS when started without the launcher.
     */
    public static String describe() {
        String chosen = System.getenv("GLASSBOX_BLAS");
        BlasLibrary.Binding lib = binding();
        if (chosen != null && chosen.contains(lib.name() + (lib.copyFree() ? " through FFM" : " through JNI"))) {
            return chosen; // the launcher's description already names the library, kernel and thread count
        }
        String core = System.getenv("OPENBLAS_CORETYPE");
        return binding().description() + (chosen == null || chosen.isBlank() ? " (not chosen by the launcher)"
                : " (a fallback: the launcher chose " + chosen + ")")
                + (core != null && !core.isEmpty() ? ", OPENBLAS_CORETYPE=" + core : "")
                + ", " + THREADS + " facade thread" + (THREADS == 1 ? "" : "s");
    }

    /** The system's OpenBLAS, if installed, as the facade finds it (for the launcher's probe). */
    public static java.util.Optional<java.nio.file.Path> systemOpenBlas() {
        return BlasLibrary.findSystemOpenBlas();
    }

    /** "system OpenBLAS 0.3.21 (…/libopenblasp-r0.3.21.so)", the version read from the real file name. */
    public static String systemOpenBlasName(java.nio.file.Path lib) {
        return BlasLibrary.libraryName(lib);
    }

    /** The library actually serving the products, as bound in this process (it may be a fallback). */
    public static String library() {
        return binding().description();
    }
}
