package glassbox.tensor;

import glassbox.util.Parallel;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * How a convolution runs — chunks, buffers, the input-gradient route, threads — so that the layer
 * ({@code glassbox.nn.layers.Conv2D}) states only what it computes. One plan per built layer: its geometry
 * {@link Window2D} and filter count {@code F} fix every choice below, so the same model always gives the
 * same bits.
 *
 * <p><b>Chunks.</b> A whole batch's patch matrix is large — the seed-002 custom model's second convolution
 * at batch 128 would need {@code 128·676·288} floats, 100 MB. So the batch is processed in chunks of whole
 * samples whose patch matrix fits a budget of {@value #DEFAULT_PATCH_BUDGET_BYTES} bytes (at least one
 * sample per chunk): small enough to stay in this machine's caches between im2col writing it and BLAS
 * reading it, large enough that a GEMM has thousands of rows and the per-call costs vanish. The budget was
 * chosen by measuring seconds per batch of the seed CNNs' convolutions at several budgets and the whole
 * batch (README, "Convolutional networks"); {@link #setPatchBudgetBytes} changes it for such measurements
 * (and for tests of the chunked path). Backward rebuilds each chunk's patches rather than keeping the
 * forward's: recomputing costs one memory pass, keeping would cost the 100 MB.
 *
 * <p><b>The input gradient as a convolution.</b> For stride 1, {@code dX} is also a convolution — of
 * {@code dZ} with the kernel rotated by 180° and its channel axes swapped — which needs no col2im; where it
 * moves fewer bytes it replaces {@code dZ·Wᵀ} + col2im ({@link #inputGradientByConvolution()}).
 *
 * <p><b>Threads.</b> Chunks run in order; inside a chunk, im2col, col2im and the per-sample loops run one
 * sample per task on every core ({@link Parallel}), and BLAS uses its own threads. The kernel gradient
 * accumulates chunk by chunk in chunk order, so the result does not depend on the thread count.
 */
public final class ConvPlan {
    /** The default patch-matrix budget per chunk. */
    public static final long DEFAULT_PATCH_BUDGET_BYTES = 4L << 20;

    private final Window2D g;
    private final int filters;
    private final Window2D transposed; // the input gradient as a convolution of dZ (stride 1), or null: col2im
    private long patchBudgetBytes = DEFAULT_PATCH_BUDGET_BYTES;

    // Buffers reused while the batch size holds.
    private float[] cols;        // one chunk's patch matrix (chunk·P, L)
    private float[] fRows;       // one chunk's rows of an (·, F) matrix
    private float[] dCols;       // one chunk's gradient of the patch matrix
    private float[] sums;        // one chunk's column sums, sample by sample
    private float[] flipped;     // the kernel for the input gradient as a convolution, (kh·kw·F, C)
    private float[] tCols;       // one chunk's patch matrix of dZ
    private float[] dxRows;      // one chunk's rows of dX

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

    /** Samples per chunk for a batch of {@code batch}: as many as fit the patch budget, at least one. */
    public int chunkSamples(int batch) {
        long perSample = 4L * g.positions() * g.patchLength();
        return (int) Math.max(1, Math.min(batch, patchBudgetBytes / perSample));
    }

    /**
     * Sets the patch-matrix budget per chunk (bytes; at least one sample per chunk whatever it is). It
     * changes the speed and the memory used; the results only by float rounding (the kernel gradient is
     * summed chunk by chunk). Fixed for a given model, so the same seed still gives the same numbers.
     */
    public void setPatchBudgetBytes(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("patch budget must be positive, got " + bytes + " bytes");
        }
        this.patchBudgetBytes = bytes;
    }

    /** Whether the input gradient is computed as a convolution of dZ (else as {@code dZ·Wᵀ} and col2im). */
    public boolean inputGradientByConvolution() {
        return transposed != null;
    }

    /**
     * Runs {@code body} on each chunk of a batch of {@code batch} samples, in sample order. The chunks share
     * this plan's buffers: what one returns is valid until the next chunk starts.
     */
    public void forEachChunk(int batch, Consumer<Chunk> body) {
        int chunk = chunkSamples(batch);
        int p = g.positions();
        cols = buffer(cols, chunk * p * g.patchLength());
        for (int first = 0; first < batch; first += chunk) {
            body.accept(new Chunk(first, Math.min(chunk, batch - first), batch, chunk));
        }
    }

    /** A run of whole samples, {@code first … first+samples−1}, and the products on its rows. */
    public final class Chunk {
        /** The chunk's first sample and its sample count. */
        public final int first;
        public final int samples;
        /** Rows of its patch matrix and of its {@code (·, F)} matrices: {@code samples·P}. */
        public final int rows;
        private final int batch;
        private final int capacity; // samples per full chunk: the buffers' size

        private Chunk(int first, int samples, int batch, int capacity) {
            this.first = first;
            this.samples = samples;
            this.rows = samples * g.positions();
            this.batch = batch;
            this.capacity = capacity;
        }

        /** {@code X̂ = im2col(x)} for these samples: {@code (rows, L)}, in the plan's buffer. */
        public float[] im2col(float[] x) {
            Im2col.im2col(x, first, samples, g, cols);
            return cols;
        }

        /**
         * Where this chunk's {@code (rows, F)} matrix goes: {@code whole} itself (an array of the batch's
         * rows) when the chunk is the whole batch, else a buffer of the plan; it starts at index 0 either way.
         */
        public float[] rowsIn(float[] whole) {
            return samples == batch ? whole : rows();
        }

        /** A buffer for this chunk's {@code (rows, F)} matrix, from index 0. */
        public float[] rows() {
            return fRows = buffer(fRows, capacity * g.positions() * filters);
        }

        /** Where sample {@code first + s}'s rows of an {@code (batch·P, F)} array start. */
        public int at(int s) {
            return (first + s) * g.positions() * filters;
        }

        /**
         * Runs {@code body.accept(s)} for each of the chunk's samples {@code s = 0 … samples−1} (sample
         * {@code first + s}), on every core: each must write only its own sample's rows.
         */
        public void eachSample(java.util.function.IntConsumer body) {
            Parallel.forEach(samples, (long) g.positions() * filters, body);
        }

        /** {@code Z = X̂·W}: {@code (rows, F) = (rows, L)·(L, F)}, into {@code z} from index 0. */
        public void gemm(float[] patches, float[] w, float[] z) {
            int l = g.patchLength();
            Blas.sgemm(false, false, rows, filters, l, 1f, patches, l, w, filters, 0f, z, filters);
        }

        /** {@code dW += X̂ᵀ·dZ}: {@code (L, F) += (L, rows)·(rows, F)}. */
        public void addGemmTransposedPatches(float[] patches, float[] dz, float[] dw) {
            int l = g.patchLength();
            Blas.sgemm(true, false, l, filters, rows, 1f, patches, l, dz, filters, 1f, dw, filters);
        }

        /** {@code dX̂ = dZ·Wᵀ}: {@code (rows, L) = (rows, F)·(F, L)}, in the plan's buffer. */
        public float[] gemmTransposedKernel(float[] dz, float[] w) {
            int l = g.patchLength();
            dCols = buffer(dCols, capacity * g.positions() * l);
            Blas.sgemm(false, true, rows, l, filters, 1f, dz, filters, w, filters, 0f, dCols, l);
            return dCols;
        }

        /** {@code dX = col2im(dX̂)} for these samples: sets their part of {@code dx}. */
        public void col2im(float[] dPatches, float[] dx) {
            Im2col.col2im(dPatches, first, samples, g, dx);
        }

        /**
         * {@code db += Σ_rows dZ} for {@code dz}'s {@code (rows, F)}: each sample's sums on every core, then
         * added into {@code db} in sample order (so the bits do not depend on the thread count).
         */
        public void addColumnSums(float[] dz, float[] db) {
            int p = g.positions();
            float[] perSample = sums = buffer(sums, capacity * filters);
            eachSample(s -> {
                Arrays.fill(perSample, s * filters, (s + 1) * filters, 0f);
                for (int r = s * p * filters, end = r + p * filters; r < end; r += filters) {
                    for (int f = 0; f < filters; f++) {
                        perSample[s * filters + f] += dz[r + f];
                    }
                }
            });
            for (int i = 0; i < samples * filters; i++) {
                db[i % filters] += perSample[i];
            }
        }

        /**
         * {@code dX} of these samples as a convolution of their {@code dZ} (rows of {@code dz}, from index 0)
         * with the flipped kernel, {@code dX = im2col(dZ)·W̃} (stride 1 only; see
         * {@link #inputGradientByConvolution()}): sets their part of {@code dx}.
         */
        public void inputGradientAsConvolution(float[] dz, float[] w, float[] dx) {
            int c = g.channels();
            int lt = transposed.patchLength();
            int rowsIn = samples * g.inH() * g.inW();
            if (first == 0) { // the kernel is fixed during a backward pass: flip it once per batch
                flipped = flip(w, buffer(flipped, w.length));
            }
            tCols = buffer(tCols, capacity * transposed.positions() * lt);
            Im2col.im2col(dz, 0, samples, transposed, tCols);
            boolean whole = samples == batch;
            float[] out = whole ? dx : (dxRows = buffer(dxRows, capacity * g.inputSize()));
            Blas.sgemm(false, false, rowsIn, c, lt, 1f, tCols, lt, flipped, c, 0f, out, c);
            if (!whole) {
                System.arraycopy(out, 0, dx, first * g.inputSize(), rowsIn * c);
            }
        }
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
     * read as 0). Per sample, the col2im route copies about {@code P·(F + 3L) + 2·inH·inW·C} floats through
     * memory; this one {@code inH·inW·(2·kh·kw·F + 3C)}; the smaller wins (the seed-002 default model's second
     * conv and the custom model's last one go this way).
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
