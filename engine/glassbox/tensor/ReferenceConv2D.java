package glassbox.tensor;

/**
 * Convolution by its definition — seven nested loops, summed in double — the oracle that the im2col path
 * of {@code Conv2D} is tested and benchmarked against. Slow on purpose: nothing here is shared with the
 * fast path but {@link Window2D}'s output size and padding offsets.
 *
 * <pre>
 *   x      : (batch, inH, inW, C)        kernel : (kh, kw, C, F)        bias : (F) or null
 *   y[n, oh, ow, f] = bias[f] + Σ_{i, j, c} x[n, oh·sh − padTop + i, ow·sw − padLeft + j, c] · kernel[i, j, c, f]
 *                     (terms whose input position falls in the padding are zero)
 * </pre>
 *
 * The two gradients follow from the same sum: {@code dx[n, h, w, c] = Σ dy[n, oh, ow, f]·kernel[i, j, c, f]}
 * over every (oh, ow, i, j) that reads {@code (h, w)}, and {@code dkernel[i, j, c, f] = Σ_{n, oh, ow}
 * x[n, …]·dy[n, oh, ow, f]}.
 */
public final class ReferenceConv2D {
    private ReferenceConv2D() {
    }

    /** The input row {@code h} that window position {@code oh} reads with kernel row {@code i}. */
    private static int inRow(Window2D g, int oh, int i) {
        return oh * g.sh() - g.padTop() + i;
    }

    private static int inCol(Window2D g, int ow, int j) {
        return ow * g.sw() - g.padLeft() + j;
    }

    /** {@code y} (before any activation), shape {@code (batch, outH, outW, F)}. */
    public static double[] forward(float[] x, int batch, Window2D g, float[] kernel, float[] bias, int filters) {
        int c = g.channels();
        double[] y = new double[batch * g.positions() * filters];
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int f = 0; f < filters; f++) {
                        double sum = bias == null ? 0 : bias[f];
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                int h = inRow(g, oh, i);
                                int w = inCol(g, ow, j);
                                if (h < 0 || h >= g.inH() || w < 0 || w >= g.inW()) {
                                    continue;
                                }
                                for (int ch = 0; ch < c; ch++) {
                                    sum += (double) x[((n * g.inH() + h) * g.inW() + w) * c + ch]
                                            * kernel[((i * g.kw() + j) * c + ch) * filters + f];
                                }
                            }
                        }
                        y[((n * g.outH() + oh) * g.outW() + ow) * filters + f] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** {@code dL/dx}, shape {@code (batch, inH, inW, C)}, for {@code dy = dL/dy} of shape {@code (batch, outH, outW, F)}. */
    public static double[] backwardData(float[] dy, int batch, Window2D g, float[] kernel, int filters) {
        int c = g.channels();
        double[] dx = new double[batch * g.inputSize()];
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            int h = inRow(g, oh, i);
                            int w = inCol(g, ow, j);
                            if (h < 0 || h >= g.inH() || w < 0 || w >= g.inW()) {
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                double sum = 0;
                                for (int f = 0; f < filters; f++) {
                                    sum += (double) dy[((n * g.outH() + oh) * g.outW() + ow) * filters + f]
                                            * kernel[((i * g.kw() + j) * c + ch) * filters + f];
                                }
                                dx[((n * g.inH() + h) * g.inW() + w) * c + ch] += sum;
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }

    /** {@code dL/dkernel}, shape {@code (kh, kw, C, F)}. */
    public static double[] backwardFilter(float[] x, float[] dy, int batch, Window2D g, int filters) {
        int c = g.channels();
        double[] dk = new double[g.kh() * g.kw() * c * filters];
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            int h = inRow(g, oh, i);
                            int w = inCol(g, ow, j);
                            if (h < 0 || h >= g.inH() || w < 0 || w >= g.inW()) {
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                double xv = x[((n * g.inH() + h) * g.inW() + w) * c + ch];
                                for (int f = 0; f < filters; f++) {
                                    dk[((i * g.kw() + j) * c + ch) * filters + f] +=
                                            xv * dy[((n * g.outH() + oh) * g.outW() + ow) * filters + f];
                                }
                            }
                        }
                    }
                }
            }
        }
        return dk;
    }

    /** {@code dL/dbias}, shape {@code (F)}: the sum of {@code dy} over every sample and position. */
    public static double[] backwardBias(float[] dy, int filters) {
        double[] db = new double[filters];
        for (int i = 0; i < dy.length; i++) {
            db[i % filters] += dy[i];
        }
        return db;
    }
}
