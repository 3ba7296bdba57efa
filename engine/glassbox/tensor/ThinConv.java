package glassbox.tensor;

import java.util.Arrays;

/**
 * Direct convolution loops for the two thin cases where im2col + GEMM mostly moves memory: <b>one input
 * channel</b> ({@code C = 1}, a grey image's first convolution: the GEMM has {@code k = 9}) and <b>one
 * filter</b> ({@code F = 1}, an autoencoder's last convolution: the GEMM is a matrix-vector product over a
 * patch matrix {@code kh·kw} times larger than the input). No patch matrix is built: each loop reads a
 * zero-padded copy of one sample where the window lies.
 *
 * <pre>
 *   x : (samples, inH, inW, C), from sample first    k : (kh, kw, C, F)    z, dz : (samples·P, F), from index 0
 *   z[s, oh, ow, f]  = Σ_{i, j, c} x[first + s, oh·sh − padTop + i, ow·sw − padLeft + j, c] · k[i, j, c, f]
 *   dk[i, j, c, f]  += Σ_{s, oh, ow} x[first + s, oh·sh − padTop + i, ow·sw − padLeft + j, c] · dz[s, oh, ow, f]
 * </pre>
 * (0 where the window lies in the padding). The input gradient needs no loop of its own: for stride 1 it
 * is the convolution of {@code dz} with the flipped kernel (see {@link ConvPlan}), which is thin too — one
 * input channel where the layer has one filter, and one filter where the layer has one input channel.
 *
 * <p><b>One order of arithmetic, two implementations.</b> Every output element is one chain of
 * {@link Math#fma} in a fixed order — over taps {@code (i, j)} in row-major order and channels for
 * {@code z}, over samples and window positions for {@code dk} — with no sum across the lanes of a vector.
 * So these scalar loops and their Vector API twin ({@code glassbox.tensor.vector.VectorThinConv}, which
 * {@link #vectorOrNull()} loads when the JVM has {@code jdk.incubator.vector}) give the same bits, and the tests
 * check that they do. The twin's lanes run along an axis of independent outputs: the filters for
 * {@code C = 1}, the channels for {@code F = 1}'s kernel gradient, and consecutive window positions of an
 * output row for {@code F = 1}'s convolution (stride 1), which reads a copy of each sample laid out
 * channel by channel, {@code (h, c, w)}, so that a run of positions is one load.
 *
 * <p>The padded copies hold zeros where the window lies in the padding, so those taps add {@code 0·k}: to a
 * sum that starts at {@code +0} and can never become {@code −0}, that changes no bit.
 */
public class ThinConv {
    private static final String VECTOR_CLASS = "glassbox.tensor.vector.VectorThinConv";
    private static final ThinConv VECTOR = loadVector();

    protected ThinConv() {
    }

    /** These loops in plain Java. */
    public static ThinConv scalar() {
        return new ThinConv();
    }

    /**
     * The Vector API twin when the JVM was started with {@code --add-modules jdk.incubator.vector} (the
     * launcher and the tests do), else {@code null}.
     */
    public static ThinConv vectorOrNull() {
        return VECTOR;
    }

    /** The Vector API twin when the JVM has the module, else the plain-Java loops: the same bits either way. */
    public static ThinConv vectorOrScalar() {
        return VECTOR != null ? VECTOR : scalar();
    }

    private static ThinConv loadVector() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (ThinConv) Class.forName(VECTOR_CLASS).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // kernels-vector/ not compiled
        }
    }

    /** What serves the calls, for a run record: "scalar" or "Vector API, 16 lanes". */
    public String description() {
        return "scalar";
    }

    /** Floats of scratch any loop here needs for window {@code g}: one padded sample, either layout. */
    public static int scratchLength(Window2D g) {
        return paddedHeight(g) * paddedWidth(g) * g.channels();
    }

    /** Rows of a padded sample: those the windows read, {@code (outH − 1)·sh + kh}. */
    protected static int paddedHeight(Window2D g) {
        return (g.outH() - 1) * g.sh() + g.kh();
    }

    protected static int paddedWidth(Window2D g) {
        return (g.outW() - 1) * g.sw() + g.kw();
    }

    /**
     * {@code z = conv(x, k)} for one input channel ({@code g.channels() == 1}), any stride: sets
     * {@code z (samples·P, F)} from index 0.
     */
    public void convolveOneChannel(float[] x, int first, int samples, Window2D g, float[] k, int filters,
                                   float[] z, float[] scratch) {
        requireChannels(g, 1);
        int wp = paddedWidth(g);
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((s * g.outH() + oh) * g.outW() + ow) * filters;
                    int corner = oh * g.sh() * wp + ow * g.sw();
                    Arrays.fill(z, out, out + filters, 0f);
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            float xv = scratch[corner + i * wp + j];
                            int tap = (i * g.kw() + j) * filters;
                            for (int f = 0; f < filters; f++) {
                                z[out + f] = Math.fma(xv, k[tap + f], z[out + f]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code z = conv(x, k)} for one filter ({@code F = 1}), stride 1: sets {@code z (samples·P)} from index
     * 0. Reads each sample channel by channel, {@code xc[hp, c, wp]}: {@code z[oh, ow] = Σ_{i, j, c}
     * xc[oh + i, c, ow + j]·k[i, j, c]}.
     */
    public void convolveOneFilter(float[] x, int first, int samples, Window2D g, float[] k, float[] z,
                                  float[] scratch) {
        requireStrideOne(g);
        int c = g.channels();
        int wp = paddedWidth(g);
        for (int s = 0; s < samples; s++) {
            padChannelByChannel(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    z[(s * g.outH() + oh) * g.outW() + ow] = oneFilterSum(scratch, g, k, oh, ow);
                }
            }
        }
    }

    /** {@code Σ_{i, j, c} xc[oh + i, c, ow + j]·k[i, j, c]} in that order, as an fma chain. */
    protected static float oneFilterSum(float[] xc, Window2D g, float[] k, int oh, int ow) {
        int c = g.channels();
        int wp = paddedWidth(g);
        float acc = 0f;
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                for (int ch = 0; ch < c; ch++) {
                    acc = Math.fma(xc[((oh + i) * c + ch) * wp + ow + j], k[(i * g.kw() + j) * c + ch], acc);
                }
            }
        }
        return acc;
    }

    /**
     * {@code dk += Σ x·dz} over the chunk's samples for one input channel, any stride: {@code dk (kh·kw, F)},
     * each element's chain continued over samples and window positions in order.
     */
    public void filterGradientOneChannel(float[] x, int first, int samples, Window2D g, float[] dz, int filters,
                                         float[] dk, float[] scratch) {
        requireChannels(g, 1);
        int wp = paddedWidth(g);
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((s * g.outH() + oh) * g.outW() + ow) * filters;
                    int corner = oh * g.sh() * wp + ow * g.sw();
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            float xv = scratch[corner + i * wp + j];
                            int tap = (i * g.kw() + j) * filters;
                            for (int f = 0; f < filters; f++) {
                                dk[tap + f] = Math.fma(xv, dz[out + f], dk[tap + f]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dk += Σ x·dz} over the chunk's samples for one filter, any stride: {@code dk (kh·kw·C)}, each
     * element's chain continued over samples and window positions in order.
     */
    public void filterGradientOneFilter(float[] x, int first, int samples, Window2D g, float[] dz, float[] dk,
                                        float[] scratch) {
        int c = g.channels();
        int wp = paddedWidth(g);
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    float d = dz[(s * g.outH() + oh) * g.outW() + ow];
                    int corner = (oh * g.sh() * wp + ow * g.sw()) * c;
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            int from = corner + (i * wp + j) * c;
                            int tap = (i * g.kw() + j) * c;
                            for (int ch = 0; ch < c; ch++) {
                                dk[tap + ch] = Math.fma(d, scratch[from + ch], dk[tap + ch]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code xp[hp, wp, c] = x[n, hp − padTop, wp − padLeft, c]}, 0 outside the image: NHWC with a border. */
    protected static void pad(float[] x, int n, Window2D g, float[] xp) {
        int c = g.channels();
        int hp = paddedHeight(g);
        int wp = paddedWidth(g);
        Arrays.fill(xp, 0, hp * wp * c, 0f);
        int image = n * g.inputSize();
        int w0 = Math.max(0, -g.padLeft());
        int w1 = Math.min(g.inW(), wp - g.padLeft());
        for (int h = Math.max(0, -g.padTop()); h < Math.min(g.inH(), hp - g.padTop()); h++) {
            if (w1 > w0) {
                System.arraycopy(x, image + (h * g.inW() + w0) * c, xp, ((h + g.padTop()) * wp + w0 + g.padLeft()) * c,
                        (w1 - w0) * c);
            }
        }
    }

    /** {@code xc[hp, c, wp] = x[n, hp − padTop, wp − padLeft, c]}, 0 outside the image: channel by channel. */
    protected static void padChannelByChannel(float[] x, int n, Window2D g, float[] xc) {
        int c = g.channels();
        int hp = paddedHeight(g);
        int wp = paddedWidth(g);
        Arrays.fill(xc, 0, hp * wp * c, 0f);
        int image = n * g.inputSize();
        for (int h = Math.max(0, -g.padTop()); h < Math.min(g.inH(), hp - g.padTop()); h++) {
            for (int w = Math.max(0, -g.padLeft()); w < Math.min(g.inW(), wp - g.padLeft()); w++) {
                int from = image + (h * g.inW() + w) * c;
                int to = (h + g.padTop()) * c * wp + w + g.padLeft();
                for (int ch = 0; ch < c; ch++) {
                    xc[to + ch * wp] = x[from + ch];
                }
            }
        }
    }

    protected static void requireStrideOne(Window2D g) {
        if (g.sh() != 1 || g.sw() != 1) {
            throw new IllegalArgumentException("the one-filter convolution needs stride 1, got (" + g.sh() + ", "
                    + g.sw() + ")");
        }
    }

    protected static void requireChannels(Window2D g, int channels) {
        if (g.channels() != channels) {
            throw new IllegalArgumentException("this loop is for " + channels + " input channel(s), got "
                    + g.channels());
        }
    }
}
