package glassbox.tensor.vector;

import glassbox.tensor.ThinConv;
import glassbox.tensor.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ThinConv}'s loops with the JDK's Vector API ({@code jdk.incubator.vector}, compiled and run only with
 * {@code --add-modules jdk.incubator.vector}; {@link ThinConv#vectorOrNull()} loads this class only when the
 * module is there). Each lane computes one output element by the scalar loops' own {@link Math#fma} chain, in
 * the same order, so the bits are theirs (the tests compare them); what changes is that a vector of outputs
 * advances per instruction, each sum stays in a register for its whole chain, and four independent chains
 * run side by side, so that an FMA never waits for the one before it (its latency is four cycles, two can
 * start per cycle).
 *
 * <ul>
 *   <li>One input channel: lanes over the filters. Convolution: four neighbouring window positions at a
 *       time, each tap's kernel vector loaded once for the four. Kernel gradient: four taps at a time, the
 *       row of {@code dz} at each window position loaded once for the four, summed over the sample's
 *       positions in registers.</li>
 *   <li>One filter: the kernel gradient's lanes run over the channels the same way; the convolution's over
 *       consecutive window positions of an output row (stride 1), two rows by two vectors at a time, from
 *       the channel-by-channel copy where such a run is contiguous. A row whose length is not a multiple of
 *       the lanes ends with a vector that overlaps the one before: those outputs are computed twice,
 *       identically.</li>
 * </ul>
 * Filters or channels beyond the last whole vector, and rows shorter than a vector, take the scalar chain.
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
        int sw = g.sw();
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            for (int oh = 0; oh < g.outH(); oh++) {
                int ow = 0;
                for (; ow + 4 <= g.outW(); ow += 4) { // four window positions share each kernel vector
                    int out = ((s * g.outH() + oh) * g.outW() + ow) * filters;
                    int corner = oh * g.sh() * wp + ow * sw;
                    int f = 0;
                    for (; f + LANES <= filters; f += LANES) {
                        FloatVector acc0 = FloatVector.zero(SPECIES);
                        FloatVector acc1 = acc0;
                        FloatVector acc2 = acc0;
                        FloatVector acc3 = acc0;
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                FloatVector kv = FloatVector.fromArray(SPECIES, k, (i * g.kw() + j) * filters + f);
                                int at = corner + i * wp + j;
                                acc0 = kv.lanewise(VectorOperators.FMA, scratch[at], acc0);
                                acc1 = kv.lanewise(VectorOperators.FMA, scratch[at + sw], acc1);
                                acc2 = kv.lanewise(VectorOperators.FMA, scratch[at + 2 * sw], acc2);
                                acc3 = kv.lanewise(VectorOperators.FMA, scratch[at + 3 * sw], acc3);
                            }
                        }
                        acc0.intoArray(z, out + f);
                        acc1.intoArray(z, out + filters + f);
                        acc2.intoArray(z, out + 2 * filters + f);
                        acc3.intoArray(z, out + 3 * filters + f);
                    }
                    for (int q = 0; q < 4; q++) {
                        scalarFilters(scratch, corner + q * sw, wp, g, k, filters, f, z, out + q * filters);
                    }
                }
                for (; ow < g.outW(); ow++) {
                    int out = ((s * g.outH() + oh) * g.outW() + ow) * filters;
                    int corner = oh * g.sh() * wp + ow * sw;
                    int f = 0;
                    for (; f + LANES <= filters; f += LANES) {
                        FloatVector acc = FloatVector.zero(SPECIES);
                        for (int i = 0; i < g.kh(); i++) {
                            for (int j = 0; j < g.kw(); j++) {
                                FloatVector kv = FloatVector.fromArray(SPECIES, k, (i * g.kw() + j) * filters + f);
                                acc = kv.lanewise(VectorOperators.FMA, scratch[corner + i * wp + j], acc);
                            }
                        }
                        acc.intoArray(z, out + f);
                    }
                    scalarFilters(scratch, corner, wp, g, k, filters, f, z, out);
                }
            }
        }
    }

    /** Filters {@code from…} of one window position by the scalar loop's chain (those past the last vector). */
    private static void scalarFilters(float[] xp, int corner, int wp, Window2D g, float[] k, int filters, int from,
                                      float[] z, int out) {
        for (int f = from; f < filters; f++) {
            float acc = 0f;
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    acc = Math.fma(xp[corner + i * wp + j], k[(i * g.kw() + j) * filters + f], acc);
                }
            }
            z[out + f] = acc;
        }
    }

    @Override
    public void convolveOneFilter(float[] x, int first, int samples, Window2D g, float[] k, float[] z,
                                  float[] scratch) {
        requireStrideOne(g);
        int c = g.channels();
        int wp = paddedWidth(g);
        int outW = g.outW();
        int outH = g.outH();
        int starts = (outW + LANES - 1) / LANES; // vectors per output row; the last overlaps the one before
        for (int s = 0; s < samples; s++) {
            padChannelByChannel(x, first + s, g, scratch);
            if (outW < LANES) {
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        z[(s * outH + oh) * outW + ow] = oneFilterSum(scratch, g, k, oh, ow);
                    }
                }
                continue;
            }
            // Two output rows by two vectors of positions at a time: four independent sums per tap, so the
            // FMAs do not wait on each other. Where there is no second row or vector, the first is computed
            // twice and stored once.
            for (int oh = 0; oh < outH; oh += 2) {
                int oh1 = Math.min(oh + 1, outH - 1);
                for (int v = 0; v < starts; v += 2) {
                    int at0 = Math.min(v * LANES, outW - LANES);
                    int at1 = Math.min((v + 1) * LANES, outW - LANES);
                    FloatVector acc00 = FloatVector.zero(SPECIES);
                    FloatVector acc01 = acc00;
                    FloatVector acc10 = acc00;
                    FloatVector acc11 = acc00;
                    for (int i = 0; i < g.kh(); i++) {
                        for (int j = 0; j < g.kw(); j++) {
                            int tap = (i * g.kw() + j) * c;
                            for (int ch = 0; ch < c; ch++) {
                                float kv = k[tap + ch];
                                int row0 = ((oh + i) * c + ch) * wp + j;
                                int row1 = ((oh1 + i) * c + ch) * wp + j;
                                acc00 = FloatVector.fromArray(SPECIES, scratch, row0 + at0)
                                        .lanewise(VectorOperators.FMA, kv, acc00);
                                acc01 = FloatVector.fromArray(SPECIES, scratch, row0 + at1)
                                        .lanewise(VectorOperators.FMA, kv, acc01);
                                acc10 = FloatVector.fromArray(SPECIES, scratch, row1 + at0)
                                        .lanewise(VectorOperators.FMA, kv, acc10);
                                acc11 = FloatVector.fromArray(SPECIES, scratch, row1 + at1)
                                        .lanewise(VectorOperators.FMA, kv, acc11);
                            }
                        }
                    }
                    int out0 = (s * outH + oh) * outW;
                    int out1 = (s * outH + oh1) * outW;
                    acc00.intoArray(z, out0 + at0);
                    acc01.intoArray(z, out0 + at1);
                    acc10.intoArray(z, out1 + at0);
                    acc11.intoArray(z, out1 + at1);
                }
            }
        }
    }

    @Override
    public void filterGradientOneChannel(float[] x, int first, int samples, Window2D g, float[] dz, int filters,
                                         float[] dk, float[] scratch) {
        requireChannels(g, 1);
        int wp = paddedWidth(g);
        int taps = g.kh() * g.kw();
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            int sample = s * g.positions() * filters;
            for (int t = 0; t < taps; t += 4) { // four taps' sums at a time: independent chains
                int group = Math.min(4, taps - t);
                int off0 = tapOffset(g, t, wp);
                int off1 = tapOffset(g, t + Math.min(1, group - 1), wp);
                int off2 = tapOffset(g, t + Math.min(2, group - 1), wp);
                int off3 = tapOffset(g, t + Math.min(3, group - 1), wp);
                int f = 0;
                for (; f + LANES <= filters; f += LANES) {
                    FloatVector acc0 = FloatVector.fromArray(SPECIES, dk, t * filters + f);
                    FloatVector acc1 = group > 1 ? FloatVector.fromArray(SPECIES, dk, (t + 1) * filters + f) : acc0;
                    FloatVector acc2 = group > 2 ? FloatVector.fromArray(SPECIES, dk, (t + 2) * filters + f) : acc0;
                    FloatVector acc3 = group > 3 ? FloatVector.fromArray(SPECIES, dk, (t + 3) * filters + f) : acc0;
                    for (int oh = 0, out = sample + f; oh < g.outH(); oh++) {
                        int row = oh * g.sh() * wp;
                        for (int ow = 0; ow < g.outW(); ow++, out += filters) {
                            FloatVector dv = FloatVector.fromArray(SPECIES, dz, out);
                            int at = row + ow * g.sw();
                            acc0 = dv.lanewise(VectorOperators.FMA, scratch[at + off0], acc0);
                            acc1 = dv.lanewise(VectorOperators.FMA, scratch[at + off1], acc1);
                            acc2 = dv.lanewise(VectorOperators.FMA, scratch[at + off2], acc2);
                            acc3 = dv.lanewise(VectorOperators.FMA, scratch[at + off3], acc3);
                        }
                    }
                    // a group of fewer than four taps computes its spare sums on the last tap's pixels: not stored
                    acc0.intoArray(dk, t * filters + f);
                    if (group > 1) {
                        acc1.intoArray(dk, (t + 1) * filters + f);
                    }
                    if (group > 2) {
                        acc2.intoArray(dk, (t + 2) * filters + f);
                    }
                    if (group > 3) {
                        acc3.intoArray(dk, (t + 3) * filters + f);
                    }
                }
                for (; f < filters; f++) {
                    for (int q = 0; q < group; q++) {
                        int off = tapOffset(g, t + q, wp);
                        float acc = dk[(t + q) * filters + f];
                        for (int oh = 0, out = sample + f; oh < g.outH(); oh++) {
                            int row = oh * g.sh() * wp;
                            for (int ow = 0; ow < g.outW(); ow++, out += filters) {
                                acc = Math.fma(scratch[row + ow * g.sw() + off], dz[out], acc);
                            }
                        }
                        dk[(t + q) * filters + f] = acc;
                    }
                }
            }
        }
    }

    /** Where tap {@code t = i·kw + j} reads, relative to its window's corner in a padded sample of row length {@code wp}. */
    private static int tapOffset(Window2D g, int t, int wp) {
        return (t / g.kw()) * wp + t % g.kw();
    }

    @Override
    public void filterGradientOneFilter(float[] x, int first, int samples, Window2D g, float[] dz, float[] dk,
                                        float[] scratch) {
        int c = g.channels();
        int wp = paddedWidth(g);
        int taps = g.kh() * g.kw();
        for (int s = 0; s < samples; s++) {
            pad(x, first + s, g, scratch);
            int sample = s * g.positions();
            for (int t = 0; t < taps; t += 4) { // four taps' sums at a time: independent chains
                int group = Math.min(4, taps - t);
                int off0 = tapOffset(g, t, wp) * c;
                int off1 = tapOffset(g, t + Math.min(1, group - 1), wp) * c;
                int off2 = tapOffset(g, t + Math.min(2, group - 1), wp) * c;
                int off3 = tapOffset(g, t + Math.min(3, group - 1), wp) * c;
                int ch = 0;
                for (; ch + LANES <= c; ch += LANES) {
                    FloatVector acc0 = FloatVector.fromArray(SPECIES, dk, t * c + ch);
                    FloatVector acc1 = group > 1 ? FloatVector.fromArray(SPECIES, dk, (t + 1) * c + ch) : acc0;
                    FloatVector acc2 = group > 2 ? FloatVector.fromArray(SPECIES, dk, (t + 2) * c + ch) : acc0;
                    FloatVector acc3 = group > 3 ? FloatVector.fromArray(SPECIES, dk, (t + 3) * c + ch) : acc0;
                    for (int oh = 0, out = sample; oh < g.outH(); oh++) {
                        int row = oh * g.sh() * wp * c + ch;
                        for (int ow = 0; ow < g.outW(); ow++, out++) {
                            float d = dz[out];
                            int at = row + ow * g.sw() * c;
                            acc0 = FloatVector.fromArray(SPECIES, scratch, at + off0).lanewise(VectorOperators.FMA, d, acc0);
                            acc1 = FloatVector.fromArray(SPECIES, scratch, at + off1).lanewise(VectorOperators.FMA, d, acc1);
                            acc2 = FloatVector.fromArray(SPECIES, scratch, at + off2).lanewise(VectorOperators.FMA, d, acc2);
                            acc3 = FloatVector.fromArray(SPECIES, scratch, at + off3).lanewise(VectorOperators.FMA, d, acc3);
                        }
                    }
                    acc0.intoArray(dk, t * c + ch);
                    if (group > 1) {
                        acc1.intoArray(dk, (t + 1) * c + ch);
                    }
                    if (group > 2) {
                        acc2.intoArray(dk, (t + 2) * c + ch);
                    }
                    if (group > 3) {
                        acc3.intoArray(dk, (t + 3) * c + ch);
                    }
                }
                for (; ch < c; ch++) {
                    for (int q = 0; q < group; q++) {
                        int off = tapOffset(g, t + q, wp) * c;
                        float acc = dk[(t + q) * c + ch];
                        for (int oh = 0, out = sample; oh < g.outH(); oh++) {
                            int row = oh * g.sh() * wp * c + ch;
                            for (int ow = 0; ow < g.outW(); ow++, out++) {
                                acc = Math.fma(dz[out], scratch[row + ow * g.sw() * c + off], acc);
                            }
                        }
                        dk[(t + q) * c + ch] = acc;
                    }
                }
            }
        }
    }
}
