package glassbox.kernels;

import glassbox.tensor.Window2D;

/**
 * One rung of the convolution ladder: a 2-D convolution's three passes over flat NHWC arrays, no bias, no
 * activation — the arithmetic of {@code Conv2D} and nothing around it.
 *
 * <pre>
 *   x      : (batch, inH, inW, C)        kernel : (kh, kw, C, F)        y, dy : (batch, outH, outW, F)
 *   forward          y[n, oh, ow, f]  = Σ_{i, j, c} x[n, oh·sh − padTop + i, ow·sw − padLeft + j, c] · kernel[i, j, c, f]
 *   backwardFilter   dkernel[i, j, c, f] = Σ_{n, oh, ow} x[n, …] · dy[n, oh, ow, f]
 *   backwardData     dx[n, h, w, c]   = Σ dy[n, oh, ow, f] · kernel[i, j, c, f] over every (oh, ow, i, j) reading (h, w)
 * </pre>
 *
 * (terms whose input position falls in the padding are zero; {@link Window2D} fixes the geometry). Each pass
 * does {@link #flops} floating-point operations, the same for all three, so GFLOP/s compare across passes
 * and rungs.
 *
 * <p>The public methods check every length against the geometry, then call the rung's {@code compute…}
 * method; the returned array belongs to the rung and is overwritten by its next call of the same pass (as a
 * layer's output is), so a caller that keeps a result copies it. Rungs are not thread-safe. They are teaching
 * and benchmark code ({@link ConvLadder}); the engine's layers do not call them.
 */
public abstract class Conv {
    /** A short name for tables and plots, e.g. {@code "direct loops"}. */
    public abstract String name();

    /** {@code y = conv(x, kernel)}, shape {@code (batch, outH, outW, F)}. */
    public final float[] forward(float[] x, int batch, Window2D g, float[] kernel, int filters) {
        checkGeometry("forward", batch, g, filters);
        checkLength("forward", "x", x, (long) batch * g.inputSize(), batch + "·" + g.inH() + "·" + g.inW() + "·"
                + g.channels() + " (batch·inH·inW·C)");
        checkKernel("forward", kernel, g, filters);
        return computeForward(x, batch, g, kernel, filters);
    }

    /** {@code dL/dkernel} for {@code dy = dL/dy}, shape {@code (kh, kw, C, F)} (overwritten, not accumulated). */
    public final float[] backwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters) {
        checkGeometry("backwardFilter", batch, g, filters);
        checkLength("backwardFilter", "x", x, (long) batch * g.inputSize(), batch + "·" + g.inH() + "·" + g.inW()
                + "·" + g.channels() + " (batch·inH·inW·C)");
        checkDy("backwardFilter", dy, batch, g, filters);
        return computeBackwardFilter(x, dy, batch, g, filters);
    }

    /** {@code dL/dx} for {@code dy = dL/dy}, shape {@code (batch, inH, inW, C)}. */
    public final float[] backwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters) {
        checkGeometry("backwardData", batch, g, filters);
        checkDy("backwardData", dy, batch, g, filters);
        checkKernel("backwardData", kernel, g, filters);
        return computeBackwardData(dy, batch, g, kernel, filters);
    }

    /** Floating-point operations of one pass over {@code batch} samples: {@code 2·batch·outH·outW·kh·kw·C·F}. */
    public static double flops(int batch, Window2D g, int filters) {
        return 2.0 * batch * g.positions() * g.patchLength() * filters;
    }

    protected abstract float[] computeForward(float[] x, int batch, Window2D g, float[] kernel, int filters);

    protected abstract float[] computeBackwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters);

    protected abstract float[] computeBackwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters);

    /** {@code buf} when it has exactly {@code size} floats, else a new array: the rungs' reusable outputs. */
    static float[] buffer(float[] buf, long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an array of " + size + " floats exceeds Java's 2^31−1 limit:"
                    + " use a smaller batch");
        }
        return buf != null && buf.length == size ? buf : new float[(int) size];
    }

    private void checkGeometry(String pass, int batch, Window2D g, int filters) {
        if (g == null) {
            throw new IllegalArgumentException(name() + " " + pass + ": the window geometry is null");
        }
        if (batch <= 0 || filters <= 0) {
            throw new IllegalArgumentException(name() + " " + pass + ": batch and filters must be positive, got batch "
                    + batch + " and filters " + filters);
        }
        if (g.outH() <= 0 || g.outW() <= 0) {
            throw new IllegalArgumentException(name() + " " + pass + ": the window " + g.kh() + "×" + g.kw()
                    + " does not fit the " + g.inH() + "×" + g.inW() + " input (output " + g.outH() + "×" + g.outW()
                    + ")");
        }
    }

    private void checkKernel(String pass, float[] kernel, Window2D g, int filters) {
        checkLength(pass, "kernel", kernel, (long) g.patchLength() * filters, g.kh() + "·" + g.kw() + "·"
                + g.channels() + "·" + filters + " (kh·kw·C·F)");
    }

    private void checkDy(String pass, float[] dy, int batch, Window2D g, int filters) {
        checkLength(pass, "dy", dy, (long) batch * g.positions() * filters, batch + "·" + g.outH() + "·" + g.outW()
                + "·" + filters + " (batch·outH·outW·F)");
    }

    private void checkLength(String pass, String what, float[] a, long expected, String formula) {
        if (a == null) {
            throw new IllegalArgumentException(name() + " " + pass + ": " + what + " is null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(name() + " " + pass + ": " + what + " has " + a.length
                    + " floats but needs " + expected + " = " + formula);
        }
    }
}
