package glassbox.tensor;

/**
 * Where a 2-D sliding window visits an NHWC image: the geometry shared by convolution and pooling.
 *
 * <pre>
 *   input  : (inH, inW, channels) per sample
 *   window : kh × kw, moved by strides (sh, sw)
 *   output : (outH, outW) window positions; position (oh, ow) covers input rows
 *            oh·sh − padTop … oh·sh − padTop + kh − 1, and the matching columns
 * </pre>
 *
 * Rows and columns outside the input (the padding) read as zero for a convolution and are skipped by
 * max-pooling. Built by {@link #of}, which applies {@link Padding}'s TensorFlow rule.
 */
public record Window2D(int inH, int inW, int channels, int kh, int kw, int sh, int sw,
                       int outH, int outW, int padTop, int padLeft) {

    /** The geometry of a {@code kh×kw} window with strides {@code (sh, sw)} over {@code inH×inW×channels}. */
    public static Window2D of(int inH, int inW, int channels, int kh, int kw, int sh, int sw, Padding padding) {
        if (inH <= 0 || inW <= 0 || channels <= 0) {
            throw new IllegalArgumentException("input must be (height, width, channels) with every size positive, got ("
                    + inH + ", " + inW + ", " + channels + ")");
        }
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0) {
            throw new IllegalArgumentException("window " + kh + "×" + kw + " and strides (" + sh + ", " + sw
                    + ") must be positive");
        }
        return new Window2D(inH, inW, channels, kh, kw, sh, sw,
                padding.outputLength(inH, kh, sh), padding.outputLength(inW, kw, sw),
                padding.padBefore(inH, kh, sh), padding.padBefore(inW, kw, sw));
    }

    /** Window positions per sample, {@code outH·outW}: the rows one sample contributes to a patch matrix. */
    public int positions() {
        return outH * outW;
    }

    /** Values under one window, {@code kh·kw·channels}: the length of one patch row. */
    public int patchLength() {
        return kh * kw * channels;
    }

    /** Floats in one input sample, {@code inH·inW·channels}. */
    public int inputSize() {
        return inH * inW * channels;
    }
}
