package glassbox.tensor;

import glassbox.util.Parallel;

import java.util.Arrays;

/**
 * Unrolls image patches into the rows of a matrix (im2col) and folds such rows back (col2im): what turns a
 * convolution into one matrix product.
 *
 * <pre>
 *   x    : (batch, inH, inW, C)                    NHWC, row-major
 *   cols : (samples·outH·outW, kh·kw·C)            one row per window position, samples in order
 *   row (s, oh, ow), column (i, j, c) = x[first + s, oh·sh − padTop + i, ow·sw − padLeft + j, c]
 *                                      (0 where that falls in the padding)
 * </pre>
 *
 * Because the image is NHWC and a patch row is ordered {@code (i, j, c)} — the order of a Keras kernel
 * {@code (kh, kw, cin, cout)} flattened to {@code (kh·kw·cin, cout)} — the product {@code cols·kernel} is
 * the convolution's output already in NHWC order. And within one kernel row {@code i}, the {@code kw·C}
 * values of a patch are contiguous in {@code x}: each is one {@link System#arraycopy}.
 *
 * <p>Samples are independent, so both directions run one sample per task on every core; each task writes
 * only its own sample's rows (or its own sample of {@code dx}), so the result does not depend on the
 * thread count.
 */
public final class Im2col {
    private Im2col() {
    }

    /** Writes the patch rows of samples {@code first … first+samples−1} of {@code x} into {@code cols}. */
    public static void im2col(float[] x, int first, int samples, Window2D g, float[] cols) {
        int rowsPerSample = g.positions() * g.patchLength();
        Parallel.forEach(samples, rowsPerSample, s -> im2colSample(x, first + s, g, cols, s * rowsPerSample));
    }

    private static void im2colSample(float[] x, int n, Window2D g, float[] cols, int out) {
        int c = g.channels();
        int run = g.kw() * c; // one kernel row of a patch
        int sampleBase = n * g.inputSize();
        for (int oh = 0; oh < g.outH(); oh++) {
            int h0 = oh * g.sh() - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int w0 = ow * g.sw() - g.padLeft();
                boolean columnsInside = w0 >= 0 && w0 + g.kw() <= g.inW();
                for (int i = 0; i < g.kh(); i++, out += run) {
                    int h = h0 + i;
                    if (h < 0 || h >= g.inH()) {
                        Arrays.fill(cols, out, out + run, 0f);
                    } else if (columnsInside) {
                        copy(x, sampleBase + (h * g.inW() + w0) * c, cols, out, run);
                    } else {
                        for (int j = 0; j < g.kw(); j++) {
                            int w = w0 + j;
                            if (w < 0 || w >= g.inW()) {
                                Arrays.fill(cols, out + j * c, out + (j + 1) * c, 0f);
                            } else {
                                System.arraycopy(x, sampleBase + (h * g.inW() + w) * c, cols, out + j * c, c);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@link System#arraycopy}, but a plain loop for the short runs of few-channel images (a call costs more). */
    private static void copy(float[] src, int from, float[] dst, int to, int length) {
        if (length < 16) {
            for (int t = 0; t < length; t++) {
                dst[to + t] = src[from + t];
            }
        } else {
            System.arraycopy(src, from, dst, to, length);
        }
    }

    /**
     * The adjoint of {@link #im2col}: sets samples {@code first … first+samples−1} of {@code dx} to the sum,
     * over every patch row, of each value added back where {@link #im2col} read it (padding entries are
     * dropped). This is how the gradient of the patch matrix becomes the gradient of the image.
     */
    public static void col2im(float[] cols, int first, int samples, Window2D g, float[] dx) {
        int rowsPerSample = g.positions() * g.patchLength();
        Parallel.forEach(samples, rowsPerSample, s -> col2imSample(cols, s * rowsPerSample, g, dx, first + s));
    }

    private static void col2imSample(float[] cols, int in, Window2D g, float[] dx, int n) {
        int c = g.channels();
        int run = g.kw() * c;
        int sampleBase = n * g.inputSize();
        Arrays.fill(dx, sampleBase, sampleBase + g.inputSize(), 0f);
        for (int oh = 0; oh < g.outH(); oh++) {
            int h0 = oh * g.sh() - g.padTop();
            for (int ow = 0; ow < g.outW(); ow++) {
                int w0 = ow * g.sw() - g.padLeft();
                for (int i = 0; i < g.kh(); i++, in += run) {
                    int h = h0 + i;
                    if (h < 0 || h >= g.inH()) {
                        continue;
                    }
                    int rowBase = sampleBase + h * g.inW() * c;
                    int jFrom = Math.max(0, -w0);
                    int jTo = Math.min(g.kw(), g.inW() - w0);
                    for (int t = jFrom * c, d = rowBase + (w0 + jFrom) * c, end = jTo * c; t < end; t++, d++) {
                        dx[d] += cols[in + t];
                    }
                }
            }
        }
    }
}
