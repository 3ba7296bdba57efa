package glassbox.tensor;

import glassbox.util.Parallel;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * How a convolution runs — tasks, chunks, buffers, routes — so that the layer
 * ({@code glassbox.nn.layers.Conv2D}) states only what it computes. One plan per built layer: its geometry
 * {@link Window2D} and filter count {@code F} fix every choice below, never the number of cores, so the
 * same model always gives the same bits, with the Vector API or without it (the direct loops' plain-Java
 * twin computes the same sums in the same order).
 *
 * <p><b>Tasks.</b> A batch is cut into {@value #TASKS} runs of whole samples (fewer when it has fewer
 * samples), which run in parallel, each wholly on one thread: im2col, its GEMMs (one OpenBLAS thread each,
 * now that a call copies nothing), bias and activation, with buffers of its own. Each task writes only its
 * own samples of the output and of {@code dX}; its kernel-gradient products accumulate in a buffer of its
 * own, and after the last task those are added into {@code dW} in task order, as the per-sample bias sums
 * are in sample order: the result does not depend on the thread count. Measured against one chunk at a
 * time with every loop split across the cores (the GEMMs over two threads, im2col and activation sample by
 * sample), tasks win on every seed convolution: fewer hand-offs, and thin products (k = 9, n = 1) gain
 * nothing from a second thread. (The figures behind every choice here are in {@code docs/performance.md},
 * "Why the convolution plan is shaped as it is", with the machine they were measured on.)
 *
 * <p><b>Chunks.</b> A task walks its samples in chunks whose working set — the patch matrix {@code X̂} and
 * the chunk's rows of {@code Z} — fits {@value #DEFAULT_CHUNK_BUDGET_BYTES} bytes, about one core's L2
 * cache: im2col writes {@code X̂} and the GEMM reads it while it is still there, and bias and activation
 * read {@code Z} the same way. (A whole batch's patch matrix for the seed-002 custom model's second
 * convolution is {@code 128·676·288} floats, 100 MB.) At least one sample per chunk. The budget is measured,
 * not derived: with jblas's copies a larger one paid (the copies were per call), with copy-free calls the
 * L2-sized one wins. {@link #setChunkBudgetBytes} changes it, for such measurements and for tests of the
 * chunked path. Backward rebuilds each chunk's patches rather than keeping the forward's:
 * recomputing costs one memory pass, keeping would cost the 100 MB.
 *
 * <p><b>Routes.</b> Two choices per layer, both by shape:
 * <ul>
 *   <li><b>Direct loops</b> ({@link #direct()}) for one input channel, and for one filter with stride 1:
 *       {@link ThinConv}'s Vector API loops compute {@code X̂·W} and {@code X̂ᵀ·dZ} without the patch matrix.
 *       A product with k = 9 or n = 1 is bound by memory, not arithmetic, and the patch matrix is 9× the
 *       input's bytes: skipping it wins on the seed models' first convolutions (28×28×1 → 16 or 32) and the
 *       autoencoder's last (28×28×16 → 1), whose input gradient is itself a one-channel convolution of dZ.
 *       Without the Vector API (a JVM started without {@code --add-modules jdk.incubator.vector}; the
 *       launcher and the tests add it) the plain-Java twin runs instead: the same bits, slower than
 *       im2col + GEMM — the price of a model's numbers not depending on a JVM option.</li>
 *   <li><b>The input gradient as a convolution</b> ({@link #inputGradientByConvolution()}): for stride 1,
 *       {@code dX} is the convolution of {@code dZ} with the kernel rotated by 180° and its channel axes
 *       swapped, which needs no col2im; where it moves fewer bytes it replaces {@code dZ·Wᵀ} + col2im. With
 *       one filter, {@code dZ} has one channel, and that convolution is a direct loop too.</li>
 * </ul>
 */
public final class ConvPlan {
    /** The default working set per chunk: its patch matrix and its rows of Z, in bytes. */
    public static final long DEFAULT_CHUNK_BUDGET_BYTES = 1L << 20;

    /** A batch is cut into this many tasks (fewer when it has fewer samples). */
    static final int TASKS = 8;

    private final Window2D g;
    private final int filters;
    private final Window2D transposed; // the input gradient as a convolution of dZ (stride 1), or null: col2im
    private long chunkBudgetBytes = DEFAULT_CHUNK_BUDGET_BYTES;
    private ThinConv thin = ThinConv.vectorOrScalar();

    private final ArrayDeque<Workspace> idle = new ArrayDeque<>(); // buffers not in use by a running task
    private float[][] filterSums;     // per task: its Σ X̂ᵀ·dZ, (L, F)
    private float[] sampleSums;       // per sample: Σ_rows dZ, (batch, F)
    private float[] flipped;          // the kernel for the input gradient as a convolution, (kh·kw·F, C)
    private boolean flippedThisPass;  // whether flipped holds this pass's kernel (it is fixed during a pass)

    private ConvPlan(Window2D g, int filters) {
        this.g = g;
        this.filters = filters;
        this.transposed = chooseTransposed(g, filters);
    }

    /** The plan for a convolution of {@code filters} filters over the window {@code g}. */
    public static ConvPlan of(Window2D g, int filters) {
        if (filters <= 0) {
            throw new IllegalArgumentException("filters must be positive, got " + filters);
        }
        return new ConvPlan(g, filters);
    }

    /** The window geometry. */
    public Window2D window() {
        return g;
    }

    /** Tasks a batch of {@code batch} samples is cut into. */
    public int tasks(int batch) {
        return Math.max(1, Math.min(batch, TASKS));
    }

    /**
     * Samples per chunk for a batch of {@code batch}: as many as fit the chunk budget, at most a task's
     * share, at least one.
     */
    public int chunkSamples(int batch) {
        int tasks = tasks(batch);
        long perSample = 4L * g.positions() * ((direct() ? 0 : g.patchLength()) + filters);
        long fit = Math.min(chunkBudgetBytes / perSample, (batch + tasks - 1) / tasks);
        return (int) Math.max(1, fit);
    }

    /**
     * Sets the working-set budget per chunk (bytes; at least one sample per chunk whatever it is). It changes
     * the speed and the memory used; the results only by float rounding (the kernel gradient is summed
     * chunk by chunk). Fixed for a given model, so the same seed still gives the same numbers.
     */
    public void setChunkBudgetBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("chunk budget must be positive, got " + bytes + " bytes");
        }
        this.chunkBudgetBytes = bytes;
    }

    /**
     * Sets the direct loops used for one input channel or one filter ({@code null}: im2col + GEMM for every
     * shape). By default {@link ThinConv#vectorOrScalar()}. For tests and measurements.
     */
    public void setThinConv(ThinConv loops) {
        this.thin = loops;
    }

    /**
     * Whether the forward product and the kernel gradient are direct loops ({@link ThinConv}) rather than
     * im2col + GEMM: for one input channel, and for one filter with stride 1, when direct loops are set.
     */
    public boolean direct() {
        return thin != null && (g.channels() == 1 || (filters == 1 && g.sh() == 1 && g.sw() == 1));
    }

    /** Whether the input gradient is computed as a convolution of dZ (else as {@code dZ·Wᵀ} and col2im). */
    public boolean inputGradientByConvolution() {
        return transposed != null;
    }

    /** Whether that convolution is a direct loop: with one filter, {@code dZ} has one channel. */
    public boolean inputGradientDirect() {
        return thin != null && transposed != null && filters == 1;
    }

    /**
     * Runs {@code body} on each chunk of a batch of {@code batch} samples — the tasks in parallel, each
     * task's chunks in order on its thread — then adds the tasks' kernel-gradient sums into the array given
     * to {@link Chunk#gemmTN} or {@link Chunk#filterGradient}, in task order, and the samples' bias sums
     * into the one given to {@link Chunk#addColumnSums}, in sample order.
     */
    public void forEachChunk(int batch, Consumer<Chunk> body) {
        int tasks = tasks(batch);
        int per = chunkSamples(batch);
        if (filterSums == null || filterSums.length != tasks) {
            filterSums = new float[tasks][];
        }
        sampleSums = buffer(sampleSums, batch * filters);
        flippedThisPass = false;
        Targets targets = new Targets();
        Parallel.forEach(tasks, (long) (batch / tasks) * g.positions() * g.patchLength() * filters, t -> {
            Workspace ws = take(per);
            try {
                for (int first = t * batch / tasks, end = (t + 1) * batch / tasks; first < end; first += per) {
                    body.accept(new Chunk(t, first == t * batch / tasks, first, Math.min(per, end - first), ws,
                            targets));
                }
            } finally {
                give(ws);
            }
        });
        if (targets.filter != null) {
            for (int t = 0; t < tasks; t++) {
                float[] sum = filterSums[t];
                for (int j = 0; j < targets.filter.length; j++) {
                    targets.filter[j] += sum[j];
                }
            }
        }
        if (targets.bias != null) {
            for (int i = 0; i < batch * filters; i++) {
                targets.bias[i % filters] += sampleSums[i];
            }
        }
    }

    /** Where one pass's sums go once every task is done (set by the chunks; the same arrays in each). */
    private static final class Targets {
        volatile float[] filter;
        volatile float[] bias;
    }

    private synchronized Workspace take(int samples) {
        Workspace ws = idle.poll();
        return ws != null && ws.samples == samples ? ws : new Workspace(samples);
    }

    private synchronized void give(Workspace ws) {
        idle.push(ws);
    }

    /** One running task's buffers, for chunks of up to {@code samples} samples; each allocated on first use. */
    private static final class Workspace {
        final int samples;
        float[] cols;    // the patch matrix (rows, L)
        float[] fRows;   // an (rows, F) matrix: Z, or dZ
        float[] dCols;   // the gradient of the patch matrix
        float[] tCols;   // the patch matrix of dZ
        float[] dxRows;  // rows of dX
        float[] padded;  // one sample, zero-padded, for the direct loops

        Workspace(int samples) {
            this.samples = samples;
        }
    }

    /** A run of whole samples, {@code first … first+samples−1}, and the products on its rows. */
    public final class Chunk {
        /** The chunk's first sample and its sample count. */
        public final int first;
        public final int samples;
        /** Rows of its patch matrix and of its {@code (·, F)} matrices: {@code samples·P}. */
        public final int rows;
        /** Where its rows start in an {@code (batch·P, F)} array such as the output: {@code first·P·F}. */
        public final int at;
        private final int task;
        private final boolean firstOfTask;
        private final Workspace ws;
        private final Targets targets;

        private Chunk(int task, boolean firstOfTask, int first, int samples, Workspace ws, Targets targets) {
            this.task = task;
            this.firstOfTask = firstOfTask;
            this.first = first;
            this.samples = samples;
            this.rows = samples * g.positions();
            this.at = first * g.positions() * filters;
            this.ws = ws;
            this.targets = targets;
        }

        /** Whether this chunk's forward and kernel gradient are direct loops ({@link ConvPlan#direct()}). */
        public boolean direct() {
            return ConvPlan.this.direct();
        }

        /** {@code X̂ = im2col(x)} for these samples: {@code (rows, L)}, in the task's buffer. */
        public float[] im2col(float[] x) {
            float[] cols = ws.cols = buffer(ws.cols, ws.samples * g.positions() * g.patchLength());
            Im2col.im2col(x, first, samples, g, cols);
            return cols;
        }

        /** A buffer for this chunk's {@code (rows, F)} matrix, from index 0. */
        public float[] rows() {
            return ws.fRows = buffer(ws.fRows, ws.samples * g.positions() * filters);
        }

        /** {@code Z = X̂·W}: {@code (rows, F) = (rows, L)·(L, F)}, in the task's buffer. */
        public float[] gemm(float[] patches, float[] w) {
            int l = g.patchLength();
            float[] z = rows();
            gemmOnThisThread(false, false, rows, filters, l, patches, l, w, filters, 0f, z, filters);
            return z;
        }

        /** {@code Z = X̂·W} by a direct loop, without the patch matrix: {@code (rows, F)}, in the task's buffer. */
        public float[] convolve(float[] x, float[] w) {
            float[] z = rows();
            float[] scratch = ws.padded = buffer(ws.padded, ThinConv.scratchLength(g));
            if (g.channels() == 1) {
                thin.convolveOneChannel(x, first, samples, g, w, filters, z, scratch);
            } else {
                thin.convolveOneFilter(x, first, samples, g, w, z, scratch);
            }
            return z;
        }

        /**
         * {@code dW += X̂ᵀ·dZ}: {@code (L, F) += (L, rows)·(rows, F)}, accumulated in the task's sum, which
         * {@link #forEachChunk} adds into {@code dw} after the last task.
         */
        public void gemmTN(float[] patches, float[] dz, float[] dw) {
            int l = g.patchLength();
            float[] sum = filterSum(dw);
            gemmOnThisThread(true, false, l, filters, rows, patches, l, dz, filters, firstOfTask ? 0f : 1f, sum,
                    filters);
        }

        /** {@code dW += X̂ᵀ·dZ} by a direct loop, without the patch matrix; accumulated as {@link #gemmTN}'s is. */
        public void filterGradient(float[] x, float[] dz, float[] dw) {
            float[] sum = filterSum(dw);
            if (firstOfTask) {
                Arrays.fill(sum, 0f);
            }
            float[] scratch = ws.padded = buffer(ws.padded, ThinConv.scratchLength(g));
            if (g.channels() == 1) {
                thin.filterGradientOneChannel(x, first, samples, g, dz, filters, sum, scratch);
            } else {
                thin.filterGradientOneFilter(x, first, samples, g, dz, sum, scratch);
            }
        }

        private float[] filterSum(float[] dw) {
            targets.filter = dw;
            return filterSums[task] = buffer(filterSums[task], g.patchLength() * filters);
        }

        /** {@code dX̂ = dZ·Wᵀ}: {@code (rows, L) = (rows, F)·(F, L)}, in the task's buffer. */
        public float[] gemmNT(float[] dz, float[] w) {
            int l = g.patchLength();
            float[] dCols = ws.dCols = buffer(ws.dCols, ws.samples * g.positions() * l);
            gemmOnThisThread(false, true, rows, l, filters, dz, filters, w, filters, 0f, dCols, l);
            return dCols;
        }

        /** {@code dX = col2im(dX̂)} for these samples: sets their part of {@code dx}. */
        public void col2im(float[] dPatches, float[] dx) {
            Im2col.col2im(dPatches, first, samples, g, dx);
        }

        /**
         * {@code db += Σ_rows dZ} for {@code dz}'s {@code (rows, F)}: each sample's sums, which
         * {@link #forEachChunk} adds into {@code db} in sample order after the last task.
         */
        public void addColumnSums(float[] dz, float[] db) {
            int p = g.positions();
            for (int s = 0; s < samples; s++) {
                int to = (first + s) * filters;
                Arrays.fill(sampleSums, to, to + filters, 0f);
                for (int r = s * p * filters, end = r + p * filters; r < end; r += filters) {
                    for (int f = 0; f < filters; f++) {
                        sampleSums[to + f] += dz[r + f];
                    }
                }
            }
            targets.bias = db;
        }

        /**
         * {@code dX} of these samples as a convolution of their {@code dZ} (rows of {@code dz}, from index 0)
         * with the flipped kernel, {@code dX = im2col(dZ)·W̃} — or a direct loop where {@code dZ} has one
         * channel (stride 1 only; see {@link #inputGradientByConvolution()}): sets their part of {@code dx}.
         */
        public void inputGradientAsConvolution(float[] dz, float[] w, float[] dx) {
            int c = g.channels();
            int lt = transposed.patchLength();
            int rowsIn = samples * g.inH() * g.inW();
            float[] flipped = flipped(w);
            float[] out = ws.dxRows = buffer(ws.dxRows, ws.samples * g.inputSize());
            if (inputGradientDirect()) {
                float[] scratch = ws.padded = buffer(ws.padded, ThinConv.scratchLength(transposed));
                thin.convolveOneChannel(dz, 0, samples, transposed, flipped, c, out, scratch);
            } else {
                float[] tCols = ws.tCols = buffer(ws.tCols, ws.samples * transposed.positions() * lt);
                Im2col.im2col(dz, 0, samples, transposed, tCols);
                gemmOnThisThread(false, false, rowsIn, c, lt, tCols, lt, flipped, c, 0f, out, c);
            }
            System.arraycopy(out, 0, dx, first * g.inputSize(), rowsIn * c);
        }
    }

    /**
     * {@code C = op(A)·op(B) + beta·C} on the calling thread: the tasks already keep every core busy. (The
     * facade's {@link Blas#sgemm} would split a large product over a second thread when called from the
     * thread that started the parallel loop, which then runs a task too.)
     */
    private static void gemmOnThisThread(boolean transA, boolean transB, int m, int n, int k, float[] a, int lda,
                                         float[] b, int ldb, float beta, float[] c, int ldc) {
        Blas.sgemmOnThisThread(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }

    /** The kernel flipped for the input gradient: once per pass, by whichever task asks first. */
    private synchronized float[] flipped(float[] k) {
        if (!flippedThisPass) {
            flipped = flip(k, buffer(flipped, k.length));
            flippedThisPass = true;
        }
        return flipped;
    }

    /** {@code W̃[i', j', f, c] = K[kh−1−i', kw−1−j', c, f]}: the kernel rotated by 180°, channel axes swapped. */
    private float[] flip(float[] k, float[] out) {
        int c = g.channels();
        int kh = g.kh();
        int kw = g.kw();
        for (int i = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int f = 0; f < filters; f++) {
                        out[(((kh - 1 - i) * kw + (kw - 1 - j)) * filters + f) * c + ch] =
                                k[((i * kw + j) * c + ch) * filters + f];
                    }
                }
            }
        }
        return out;
    }

    /**
     * The transposed window for {@link Chunk#inputGradientAsConvolution}, or {@code null} where col2im moves
     * fewer bytes. With stride 1,
     * {@code dX[h, w, c] = Σ_{i', j', f} dZ[h − (kh−1−padTop) + i', w − (kw−1−padLeft) + j', f] · W̃[i', j', f, c]}:
     * a convolution over the output image with "padding" {@code kh−1−padTop} (the parts of dZ outside it
     * read as 0). Per sample, the col2im route moves about {@code P·(F + 3L) + 2·inH·inW·C} floats through
     * memory; this one {@code inH·inW·(2·kh·kw·F + 3C)}; the smaller wins (the seed-002 default model's second
     * conv, the custom model's last one and the autoencoder's last go this way).
     */
    private static Window2D chooseTransposed(Window2D g, int filters) {
        if (g.sh() != 1 || g.sw() != 1) {
            return null;
        }
        int kh = g.kh();
        int kw = g.kw();
        int in = g.inH() * g.inW();
        long viaCol2im = (long) g.positions() * (filters + 3L * g.patchLength()) + 2L * in * g.channels();
        long viaConvolution = (long) in * (2L * kh * kw * filters + 3L * g.channels());
        if (viaConvolution >= viaCol2im) {
            return null;
        }
        return new Window2D(g.outH(), g.outW(), filters, kh, kw, 1, 1, g.inH(), g.inW(),
                kh - 1 - g.padTop(), kw - 1 - g.padLeft());
    }

    private static float[] buffer(float[] buf, int size) {
        return buf != null && buf.length == size ? buf : new float[size];
    }
}
