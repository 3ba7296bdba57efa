package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Padding;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Max-pooling against an independent reference: the image is padded explicitly with −∞ on TensorFlow's
 * sides (total = max((out − 1)·s + k − in, 0), the smaller half first) and then pooled "valid" by direct
 * loops, routing each gradient to the first maximum.
 */
class MaxPooling2DTest {

    /** {@code [y, dx]} of the reference, in double. */
    private static double[][] reference(float[] x, int batch, int h, int w, int c, int k, int s, Padding padding,
                                        float[] dy) {
        int outH = padding == Padding.SAME ? (h + s - 1) / s : (h - k) / s + 1;
        int outW = padding == Padding.SAME ? (w + s - 1) / s : (w - k) / s + 1;
        int totalH = padding == Padding.SAME ? Math.max((outH - 1) * s + k - h, 0) : 0;
        int totalW = padding == Padding.SAME ? Math.max((outW - 1) * s + k - w, 0) : 0;
        int top = totalH / 2;
        int left = totalW / 2;
        int ph = h + totalH;
        int pw = w + totalW;
        double[] padded = new double[batch * ph * pw * c];
        java.util.Arrays.fill(padded, Double.NEGATIVE_INFINITY);
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        padded[((n * ph + i + top) * pw + j + left) * c + ch] = x[((n * h + i) * w + j) * c + ch];
                    }
                }
            }
        }
        double[] y = new double[batch * outH * outW * c];
        double[] dx = new double[x.length];
        for (int n = 0; n < batch; n++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    for (int ch = 0; ch < c; ch++) {
                        double best = Double.NEGATIVE_INFINITY;
                        int bi = -1;
                        int bj = -1;
                        for (int i = 0; i < k; i++) {
                            for (int j = 0; j < k; j++) {
                                double v = padded[((n * ph + oh * s + i) * pw + ow * s + j) * c + ch];
                                if (v > best) {
                                    best = v;
                                    bi = oh * s + i - top;
                                    bj = ow * s + j - left;
                                }
                            }
                        }
                        int o = ((n * outH + oh) * outW + ow) * c + ch;
                        y[o] = best;
                        dx[((n * h + bi) * w + bj) * c + ch] += dy[o];
                    }
                }
            }
        }
        return new double[][]{y, dx};
    }

    @ParameterizedTest(name = "{0}×{1}×{2}, pool {3} stride {4}, {5}")
    @CsvSource({"8,8,3,2,2,VALID", "7,7,2,2,2,SAME", "7,7,2,2,2,VALID", "9,6,1,3,2,SAME", "6,9,4,3,2,VALID",
        "5,5,3,3,1,SAME", "13,13,2,2,2,VALID"})
    void forwardAndGradientMatchThePaddedReference(int h, int w, int c, int k, int s, Padding padding) {
        MaxPooling2D pool = new MaxPooling2D(k, k, s, s, padding, null);
        pool.build(new int[]{h, w, c}, new Rng(0));
        int batch = 2;
        Tensor x = GradientCheck.uniform(3, -1, 1, batch, h, w, c);
        Tensor y = pool.forward(x, true);
        Tensor dy = GradientCheck.uniform(4, -1, 1, y.shape());
        double[][] ref = reference(x.data(), batch, h, w, c, k, s, padding, dy.data());
        assertEquals(ref[0].length, y.size(), "output size");
        for (int i = 0; i < y.size(); i++) {
            assertEquals(ref[0][i], y.data()[i], 0.0, "y[" + i + "]");
        }
        Tensor dx = pool.backward(dy);
        for (int i = 0; i < dx.size(); i++) {
            assertEquals(ref[1][i], dx.data()[i], 1e-6, "dx[" + i + "]");
        }
    }

    @ParameterizedTest(name = "{0}×{1}×{2}, pool {3} stride {4}, {5}")
    @CsvSource({"6,6,2,2,2,VALID", "7,7,2,2,2,SAME", "5,6,3,3,2,SAME"})
    void backwardMatchesNumericalGradient(int h, int w, int c, int k, int s, Padding padding) {
        MaxPooling2D pool = new MaxPooling2D(k, k, s, s, padding, null);
        pool.build(new int[]{h, w, c}, new Rng(0));
        // distinct inputs spaced 2/size ≥ 0.01 apart, probed at h = 1e-3: no probe crosses a tie
        assertPasses(new GradientCheck(1e-3, 1e-2, 1e-3).checkLayer(pool, GradientCheck.distinct(8, -1, 1, 2, h, w, c), 9));
    }

    @Test
    void sevenBySevenSamePoolingGivesFourByFourAsSeed003Needs() {
        assertArrayEquals(new int[]{4, 4, 8}, new MaxPooling2D(2, "same").build(new int[]{7, 7, 8}, new Rng(0)));
        assertArrayEquals(new int[]{13, 13, 128}, new MaxPooling2D().build(new int[]{26, 26, 128}, new Rng(0)));
    }

    @Test
    void poolLargerThanInputWithValidPaddingIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPooling2D(3, 3, 3, 3, Padding.VALID, "p").build(new int[]{2, 2, 1}, new Rng(0)));
        assertTrue(e.getMessage().contains("'p'") && e.getMessage().contains("(2, 2, 1)"), e.getMessage());
    }

    @Test
    void nonPositivePoolOrStrideIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MaxPooling2D(0, 2, 2, 2, Padding.VALID, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MaxPooling2D(2, 2, 0, 2, Padding.VALID, null));
        assertTrue(e.getMessage().contains("strides"), e.getMessage());
    }
}
