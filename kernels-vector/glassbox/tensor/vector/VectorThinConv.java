package glassbox.tensor.vector;

import glassbox.tensor.ThinConv;
import glassbox.tensor.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ThinConv}'s loops with the JDK's Vector API ({@code jdk.incubator.vector}, compiled and run only with
 * {@code --add-modules jdk.incubator.vector}; {@link ThinConv#vectorOrNull()} loads this class only when the module
 * is there). Each lane computes one output element by the scalar loops' own {@link Math#fma} chain, in the
 * same order, so the bits are theirs (the tests compare them); what changes is that a vector of outputs
 * advances per instruction, and that each sum stays in a register for its whole chain.
 *
 * <ul>
 *   <li>One input channel: lanes over the filters. Convolution: per window position, the kernel row of
 *       each tap times the broadcast pixel. Kernel gradient: per tap, the broadcast pixel under it times
 *       the row of {@code dz}, summed over the sample's positions in one register.</li>
 *   <li>One filter: the kernel gradient's lanes run over the channels the same way; the convolution's over
 *       consecutive window positions of an output row (stride 1), each lane its own sum over
 *       {@code (i, j, c)}, from the channel-by-channel copy where such a run is contiguous. A row whose
 *       length is not a multiple of the lanes ends with a vector that overlaps the one before: those
 *       outputs are computed twice, identically.</li>
 * </ul>
 * Filters or channels beyond the last whole vector, and rows shorter than a vector, take the scalar loop.
 */
public final class VectorThinConv extends ThinConv {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    public VectorThinConv() {
    }

    @Override
    public String description() {
        return "Vector API, " + LANES + " lanes";
    }

    @Override
    public void convolveOneChannel(float[] x, int first, int samples, Window2D g, float[] k, int filters,
                                   float[] z, float[] scratch) {
        requireChannels(g, 1);
        int wp = paddedWidth(g);
        int kh = g.kh();
        int kw = g.kw();
        int whole = filters - filters % LANES;
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) {
                    int out = ((s * g.outH() + oh) * g.outW() + ow) * filters;
                    int corner = oh * g.sh() * wp + ow * g.sw();
                    int f = 0;
                    for (; f + 2 * LANES <= whole; f += 2 * LANES) { // two vectors of filters share each pixel
                        FloatVector acc0 = FloatVector.zero(SPECIES);
                        FloatVector acc1 = FloatVector.zero(SPECIES);
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                float xv = scratch[corner + i * wp + j];
                                int tap = (i * kw + j) * filters + f;
                                acc0 = FloatVector.fromArray(SPECIES, k, tap).lanewise(VectorOperators.FMA, xv, acc0);
                                acc1 = FloatVector.fromArray(SPECIES, k, tap + LANES)
                                        .lanewise(VectorOperators.FMA, xv, acc1);
                            }
                        }
                        acc0.intoArray(z, out + f);
                        acc1.intoArray(z, out + f + LANES);
                    }
                    for (; f < whole; f += LANES) {
                        FloatVector acc = FloatVector.zero(SPECIES);
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                FloatVector kv = FloatVector.fromArray(SPECIES, k, (i * kw + j) * filters + f);
                                acc = kv.lanewise(VectorOperators.FMA, scratch[corner + i * wp + j], acc);
                            }
                        }
                        acc.intoArray(z, out + f);
                    }
                    for (; f < filters; f++) {
                        float acc = 0f;
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                acc = Math.fma(scratch[corner + i * wp + j], k[(i * kw + j) * filters + f], acc);
                            }
                        }
                        z[out + f] = acc;
                    }
                }
            }
        }
    }

    @Override
    public void convolveOneFilter(float[] x, int first, int samples, Window2D g, float[] k, float[] z,
                                  float[] scratch) {
        requireStrideOne(g);
        int c = g.channels();
        int wp = paddedWidth(g);
        int outW = g.outW();
        int kh = g.kh();
        int kw = g.kw();
        for (int s = 0; s < samples; s++) {
            padChannelByChannel(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                int out = (s * g.outH() + oh) * outW;
                if (outW < LANES) {
                    for (int ow = 0; ow < outW; ow++) {
                        z[out + ow] = oneFilterSum(scratch, g, k, oh, ow);
                    }
                    continue;
                }
                for (int ow = 0; ow < outW; ow += LANES) {
                    int at = Math.min(ow, outW - LANES); // the last vector overlaps the one before
                    FloatVector acc = FloatVector.zero(SPECIES);
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int tap = (i * kw + j) * c;
                            int from = (oh + i) * c * wp + at + j;
                            for (int ch = 0; ch < c; ch++) {
                                FloatVector xv = FloatVector.fromArray(SPECIES, scratch, from + ch * wp);
                                acc = xv.lanewise(VectorOperators.FMA, k[tap + ch], acc);
                            }
                        }
                    }
                    acc.intoArray(z, out + at);
                }
            }
        }
    }

    @Override
    public void filterGradientOneChannel(float[] x, int first, int samples, Window2D g, float[] dz, int filters,
                                         float[] dk, float[] scratch) {
        requireChannels(g, 1);
        int wp = paddedWidth(g);
        int whole = filters - filters % LANES;
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            int sample = s * g.positions() * filters;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int tap = (i * g.kw() + j) * filters;
                    for (int f = 0; f < whole; f += LANES) {
                        FloatVector acc = FloatVector.fromArray(SPECIES, dk, tap + f);
                        for (int oh = 0, out = sample + f; oh < g.outH(); oh++) {
                            int row = (oh * g.sh() + i) * wp + j;
                            for (int ow = 0; ow < g.outW(); ow++, out += filters) {
                                FloatVector dv = FloatVector.fromArray(SPECIES, dz, out);
                                acc = dv.lanewise(VectorOperators.FMA, scratch[row + ow * g.sw()], acc);
                            }
                        }
                        acc.intoArray(dk, tap + f);
                    }
                    for (int f = whole; f < filters; f++) {
                        float acc = dk[tap + f];
                        for (int oh = 0, out = sample + f; oh < g.outH(); oh++) {
                            int row = (oh * g.sh() + i) * wp + j;
                            for (int ow = 0; ow < g.outW(); ow++, out += filters) {
                                acc = Math.fma(scratch[row + ow * g.sw()], dz[out], acc);
                            }
                        }
                        dk[tap + f] = acc;
                    }
                }
            }
        }
    }

    @Override
    public void filterGradientOneFilter(float[] x, int first, int samples, Window2D g, float[] dz, float[] dk,
                                        float[] scratch) {
        int c = g.channels();
        int wp = paddedWidth(g);
        int whole = c - c % LANES;
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            int sample = s * g.positions();
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int tap = (i * g.kw() + j) * c;
                    for (int ch = 0; ch < whole; ch += LANES) {
                        FloatVector acc = FloatVector.fromArray(SPECIES, dk, tap + ch);
                        for (int oh = 0, out = sample; oh < g.outH(); oh++) {
                            int row = ((oh * g.sh() + i) * wp + j) * c + ch;
                            for (int ow = 0; ow < g.outW(); ow++, out++) {
                                FloatVector xv = FloatVector.fromArray(SPECIES, scratch, row + ow * g.sw() * c);
                                acc = xv.lanewise(VectorOperators.FMA, dz[out], acc);
                            }
                        }
                        acc.intoArray(dk, tap + ch);
                    }
                    for (int ch = whole; ch < c; ch++) {
                        float acc = dk[tap + ch];
                        for (int oh = 0, out = sample; oh < g.outH(); oh++) {
                            int row = ((oh * g.sh() + i) * wp + j) * c + ch;
                            for (int ow = 0; ow < g.outW(); ow++, out++) {
                                acc = Math.fma(dz[out], scratch[row + ow * g.sw() * c], acc);
                            }
                        }
                        dk[tap + ch] = acc;
                    }
                }
            }
        }
    }
}
