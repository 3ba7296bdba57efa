package glassbox.kernels;

import glassbox.tensor.Im2col;
import glassbox.tensor.Window2D;

/**
 * The middle rungs: im2col, then the whole batch's convolution as one matrix product, on any {@link Gemm}
 * rung — so the convolution ladder climbs the GEMM ladder.
 *
 * <pre>
 *   X̂ = im2col(x) : (batch·P, L)    one row per window position, P = outH·outW, L = kh·kw·C
 *   W = kernel    : (L, F)          the (kh, kw, C, F) kernel read as a matrix, no copy
 *   forward          y  = X̂·W                  (batch·P, F): already NHWC
 *   backwardFilter   dW = X̂ᵀ·dY                (L, F)
 *   backwardData     dX̂ = dY·Wᵀ, dx = col2im(dX̂)  (batch·P, L) folded back onto (batch, inH, inW, C)
 * </pre>
 *
 * <p>What it teaches. A convolution's arithmetic is a GEMM in disguise: copying every window into a row
 * ({@link Im2col}) turns seven loops into one product with {@code batch·P} rows, which a tuned GEMM runs near
 * its peak — the whole speed of the rung is the GEMM's. The price is memory: the patch matrix holds each
 * input value {@code kh·kw} times (9× for 3×3; 100 MB for one seed-002 convolution at batch 128), written
 * once and read once per pass, so a pass now also streams {@code ~2·batch·P·L} floats through memory,
 * which costs most where the GEMM is thin (one input channel: {@code L = 9}). The engine's rung
 * ({@link EngineConv}) keeps the same idea and works on the memory.
 */
public final class Im2colConv extends Conv {
    private final Gemm gemm;
    private float[] cols;
    private float[] y;
    private float[] dKernel;
    private float[] dx;

    /** im2col + one product on {@code gemm}. */
    public Im2colConv(Gemm gemm) {
        if (gemm == null) {
            throw new IllegalArgumentException("Im2colConv needs a GEMM rung, got null");
        }
        this.gemm = gemm;
    }

    @Override
    public String name() {
        return "im2col + " + gemm.name();
    }

    /** The GEMM rung this convolution runs on. */
    public Gemm gemm() {
        return gemm;
    }

    @Override
    protected float[] computeForward(float[] x, int batch, Window2D g, float[] kernel, int filters) {
        int rows = patchRows(batch, g);
        int l = g.patchLength();
        cols = buffer(cols, (long) rows * l);
        y = buffer(y, (long) rows * filters);
        Im2col.im2col(x, 0, batch, g, cols);
        gemm.multiply(false, false, rows, filters, l, cols, l, kernel, filters, y, filters);
        return y;
    }

    @Override
    protected float[] computeBackwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters) {
        int rows = patchRows(batch, g);
        int l = g.patchLength();
        cols = buffer(cols, (long) rows * l);
        dKernel = buffer(dKernel, (long) l * filters);
        Im2col.im2col(x, 0, batch, g, cols);
        gemm.multiply(true, false, l, filters, rows, cols, l, dy, filters, dKernel, filters);
        return dKernel;
    }

    @Override
    protected float[] computeBackwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters) {
        int rows = patchRows(batch, g);
        int l = g.patchLength();
        cols = buffer(cols, (long) rows * l); // here it holds dX̂, the gradient of the patch matrix
        dx = buffer(dx, (long) batch * g.inputSize());
        gemm.multiply(false, true, rows, l, filters, dy, filters, kernel, filters, cols, l);
        Im2col.col2im(cols, 0, batch, g, dx);
        return dx;
    }

    /** {@code batch·P}, the patch matrix's rows, checked to fit an array with its {@code L} columns. */
    private static int patchRows(int batch, Window2D g) {
        long rows = (long) batch * g.positions();
        if (rows * g.patchLength() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("im2col: the patch matrix of batch " + batch + " would hold " + rows
                    + "·" + g.patchLength() + " floats, more than a Java array can: use a smaller batch");
        }
        return (int) rows;
    }
}
