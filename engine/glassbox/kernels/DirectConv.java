package glassbox.kernels;

import glassbox.tensor.Window2D;

import java.util.Arrays;

/**
 * The first rung: convolution as its definition, seven nested loops in float on one core.
 *
 * <p>What it teaches. Every output needs {@code kh·kw·C} multiply-adds and nothing is reused between
 * outputs except what the caches happen to keep: each input value is read {@code kh·kw·F} times (once per
 * kernel position and filter), the kernel once per window position. The loop order is the one choice left
 * — {@code n, oh, ow, i, j, c} outside, <b>{@code f} innermost</b> — because in NHWC the {@code F} values of
 * an output pixel and of a kernel row {@code (i, j, c, ·)} are contiguous: forward and backward-filter
 * become {@code y[f] += x·k[f]} and {@code dk[f] += x·dy[f]}, two arrays walked with stride 1 and one scalar
 * broadcast, the shape a vectorising compiler wants. JDK 17's JIT still runs them scalar (the same speed
 * with {@code -XX:-UseSuperWord}): the two arrays are indexed from different offsets, and it cannot rule out
 * that they are one array whose ranges overlap. Backward-data is a dot product over {@code f}
 * ({@code dx += Σ_f dy[f]·k[f]}), a float sum in a fixed order. One core, no blocking: the rungs above
 * show what each missing idea is worth.
 *
 * <p>Compare {@link glassbox.tensor.ReferenceConv2D}, the tests' oracle: the same sums in double with
 * {@code c} innermost, written for checking rather than for speed.
 */
public final class DirectConv extends Conv {
    private float[] y;
    private float[] dKernel;
    private float[] dx;

    @Override
    public String name() {
        return "direct loops";
    }

    @Override
    protected float[] computeForward(float[] x, int batch, Window2D g, float[] kernel, int filters) {
        y = buffer(y, (long) batch * g.positions() * filters);
        Arrays.fill(y, 0f);
        int c = g.channels();
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((n * g.outH() + oh) * g.outW() + ow) * filters; // y[n, oh, ow, ·]
                    for (int i = 0; i < g.kh(); i++) {
                        int h = oh * g.sh() - g.padTop() + i;
                        if (h < 0 || h >= g.inH()) {
                            continue; // a padding row: zeros add nothing
                        }
                        for (int j = 0; j < g.kw(); j++) {
                            int w = ow * g.sw() - g.padLeft() + j;
                            if (w < 0 || w >= g.inW()) {
                                continue;
                            }
                            int in = ((n * g.inH() + h) * g.inW() + w) * c; // x[n, h, w, ·]
                            for (int ch = 0; ch < c; ch++) {
                                float xv = x[in + ch];
                                int k = ((i * g.kw() + j) * c + ch) * filters; // kernel[i, j, ch, ·]
                                for (int f = 0; f < filters; f++) {
                                    y[out + f] += xv * kernel[k + f];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @Override
    protected float[] computeBackwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters) {
        dKernel = buffer(dKernel, (long) g.patchLength() * filters);
        Arrays.fill(dKernel, 0f);
        int c = g.channels();
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((n * g.outH() + oh) * g.outW() + ow) * filters; // dy[n, oh, ow, ·]
                    for (int i = 0; i < g.kh(); i++) {
                        int h = oh * g.sh() - g.padTop() + i;
                        if (h < 0 || h >= g.inH()) {
                            continue;
                        }
                        for (int j = 0; j < g.kw(); j++) {
                            int w = ow * g.sw() - g.padLeft() + j;
                            if (w < 0 || w >= g.inW()) {
                                continue;
                            }
                            int in = ((n * g.inH() + h) * g.inW() + w) * c;
                            for (int ch = 0; ch < c; ch++) {
                                float xv = x[in + ch];
                                int k = ((i * g.kw() + j) * c + ch) * filters;
                                for (int f = 0; f < filters; f++) {
                                    dKernel[k + f] += xv * dy[out + f];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dKernel;
    }

    @Override
    protected float[] computeBackwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters) {
        dx = buffer(dx, (long) batch * g.inputSize());
        Arrays.fill(dx, 0f);
        int c = g.channels();
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((n * g.outH() + oh) * g.outW() + ow) * filters;
                    for (int i = 0; i < g.kh(); i++) {
                        int h = oh * g.sh() - g.padTop() + i;
                        if (h < 0 || h >= g.inH()) {
                            continue;
                        }
                        for (int j = 0; j < g.kw(); j++) {
                            int w = ow * g.sw() - g.padLeft() + j;
                            if (w < 0 || w >= g.inW()) {
                                continue;
                            }
                            int in = ((n * g.inH() + h) * g.inW() + w) * c;
                            for (int ch = 0; ch < c; ch++) {
                                int k = ((i * g.kw() + j) * c + ch) * filters;
                                float sum = 0f;
                                for (int f = 0; f < filters; f++) {
                                    sum += dy[out + f] * kernel[k + f];
                                }
                                dx[in + ch] += sum;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
