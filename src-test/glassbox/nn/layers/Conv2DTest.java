package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.ConvPlan;
import glassbox.tensor.Padding;
import glassbox.tensor.ReferenceConv2D;
import glassbox.tensor.Tensor;
import glassbox.tensor.Window2D;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conv2D against the direct seven-loop definition ({@link ReferenceConv2D}, double precision) for
 * forward, the input gradient, the kernel gradient and the bias gradient — strides 1 and 2, both
 * paddings, odd and even sizes, one to several channels, a whole batch in one chunk and in many chunks —
 * plus the numerical gradient check and the errors users meet.
 */
class Conv2DTest {

    /** {height, width, channels, filters, kernel, stride}. */
    static Stream<Arguments> configurations() {
        int[][] shapes = {
            {7, 7, 1, 4, 3, 1}, {8, 6, 3, 5, 3, 1}, {7, 9, 2, 3, 3, 2}, {8, 8, 4, 2, 2, 2}, {6, 5, 3, 4, 3, 2},
            {5, 5, 2, 3, 5, 1}, {6, 7, 6, 3, 3, 1}, {9, 8, 8, 4, 3, 1},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            for (Padding p : Padding.values()) {
                for (long budget : new long[]{ConvPlan.DEFAULT_PATCH_BUDGET_BYTES, 1}) { // one chunk, one sample per chunk
                    out.add(Arguments.of(s[0], s[1], s[2], s[3], s[4], s[5], p, budget));
                }
            }
        }
        return out.stream();
    }

    private static Conv2D built(int h, int w, int c, int filters, int k, int stride, Padding padding, long seed) {
        Conv2D conv = new Conv2D(filters, k, k, stride, stride, padding, Activation.LINEAR, true, null);
        conv.build(new int[]{h, w, c}, new Rng(seed));
        // a non-zero bias, so the bias path is exercised too
        float[] b = conv.params().get(1).value().data();
        Rng rng = new Rng(seed + 1);
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.uniform(-0.5, 0.5);
        }
        return conv;
    }

    /** max |actual − reference| relative to max |reference|: the tensors agree to this fraction of their scale. */
    private static double relativeError(float[] actual, double[] reference) {
        assertEquals(reference.length, actual.length, "sizes");
        double maxDiff = 0;
        double scale = 1e-12;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - reference[i]));
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return maxDiff / scale;
    }

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters, {4}×{4} stride {5} {6}, budget {7}")
    @MethodSource("configurations")
    void forwardAndBothGradientsMatchTheDirectLoops(int h, int w, int c, int filters, int k, int stride,
                                                     Padding padding, long budget) {
        Conv2D conv = built(h, w, c, filters, k, stride, padding, 11);
        conv.plan().setPatchBudgetBytes(budget);
        int batch = 3;
        Tensor x = GradientCheck.uniform(12, -1, 1, batch, h, w, c);
        Tensor y = conv.forward(x, true);
        Window2D g = conv.window();
        float[] kernel = conv.params().get(0).value().data();
        float[] bias = conv.params().get(1).value().data();
        assertTrue(relativeError(y.data(), ReferenceConv2D.forward(x.data(), batch, g, kernel, bias, filters)) < 1e-5,
                "forward");

        Tensor dy = GradientCheck.uniform(13, -1, 1, y.shape());
        conv.params().forEach(glassbox.nn.Param::zeroGrad);
        Tensor dx = conv.backward(dy);
        assertTrue(relativeError(dx.data(), ReferenceConv2D.backwardData(dy.data(), batch, g, kernel, filters)) < 1e-5,
                "input gradient");
        assertTrue(relativeError(conv.params().get(0).grad().data(),
                ReferenceConv2D.backwardFilter(x.data(), dy.data(), batch, g, filters)) < 1e-5, "kernel gradient");
        assertTrue(relativeError(conv.params().get(1).grad().data(), ReferenceConv2D.backwardBias(dy.data(), filters)) < 1e-5,
                "bias gradient");
    }

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters, {4}×{4} stride {5} {6}, budget {7}")
    @MethodSource("configurations")
    void backwardMatchesNumericalGradient(int h, int w, int c, int filters, int k, int stride, Padding padding,
                                          long budget) {
        if (budget == 1 && c > 2) {
            return; // the chunked path is covered by the reference test; keep the suite quick
        }
        Conv2D conv = new Conv2D(filters, k, k, stride, stride, padding, Activation.TANH, true, null);
        conv.build(new int[]{h, w, c}, new Rng(5));
        conv.plan().setPatchBudgetBytes(budget);
        assertPasses(GradientCheck.forFloatLayers().checkLayer(conv, GradientCheck.uniform(6, -1, 1, 2, h, w, c), 7));
    }

    @Test
    void bothInputGradientRoutesAreCoveredByTheReferenceTest() {
        // few filters over many channels, stride 1: the convolution of dZ moves fewer bytes than col2im
        assertTrue(built(6, 7, 6, 3, 3, 1, Padding.SAME, 1).plan().inputGradientByConvolution());
        assertTrue(built(9, 8, 8, 4, 3, 1, Padding.VALID, 1).plan().inputGradientByConvolution());
        // many filters over one channel, or stride 2: col2im
        assertFalse(built(7, 7, 1, 4, 3, 1, Padding.SAME, 1).plan().inputGradientByConvolution());
        assertFalse(built(7, 9, 2, 3, 3, 2, Padding.SAME, 1).plan().inputGradientByConvolution());
    }

    @Test
    void reluConvolutionByHand() {
        // 3×3 image, one 2×2 kernel of ones, bias −10: sums of each 2×2 block minus 10, then relu
        Conv2D conv = new Conv2D(1, 2, 2, 1, 1, Padding.VALID, Activation.RELU, true, null);
        conv.build(new int[]{3, 3, 1}, new Rng(0));
        java.util.Arrays.fill(conv.params().get(0).value().data(), 1f);
        conv.params().get(1).value().data()[0] = -10f;
        Tensor x = new Tensor(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        // blocks: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28
        assertArrayEquals(new float[]{2, 6, 14, 18}, conv.forward(x, false).data(), 1e-6f);
    }

    @Test
    void outputShapesFollowTensorFlowsRule() {
        assertArrayEquals(new int[]{28, 28, 32}, new Conv2D(32, 3, "same", "relu").build(new int[]{28, 28, 1}, new Rng(0)));
        assertArrayEquals(new int[]{26, 26, 128}, new Conv2D(128, 3, "valid", "relu").build(new int[]{28, 28, 32}, new Rng(0)));
        assertArrayEquals(new int[]{4, 4, 8}, new Conv2D(8, 3, 2, "same", null).build(new int[]{7, 7, 3}, new Rng(0)));
    }

    @Test
    void kerasParameterCounts() {
        Conv2D conv = new Conv2D(32, 3, "same", "relu");
        conv.build(new int[]{28, 28, 1}, new Rng(0));
        assertEquals(3 * 3 * 1 * 32 + 32, conv.params().stream().mapToLong(p -> p.value().size()).sum()); // 320
        assertArrayEquals(new int[]{3, 3, 1, 32}, conv.params().get(0).value().shape());
    }

    @Test
    void glorotLimitUsesKerasConvolutionFans() {
        Conv2D conv = new Conv2D(64, 3, "same", null);
        conv.build(new int[]{13, 13, 128}, new Rng(4));
        double limit = Math.sqrt(6.0 / (3 * 3 * 128 + 3 * 3 * 64));
        double max = 0;
        for (float v : conv.params().get(0).value().data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max <= limit && max > 0.95 * limit, "max |w| " + max + " vs limit " + limit);
    }

    @Test
    void kernelLargerThanInputWithValidPaddingNamesLayerAndShapes() {
        Conv2D conv = new Conv2D(4, 5, 5, 1, 1, Padding.VALID, Activation.LINEAR, true, "c1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.build(new int[]{3, 4, 1}, new Rng(0)));
        assertTrue(e.getMessage().contains("'c1'") && e.getMessage().contains("5×5")
                && e.getMessage().contains("(3, 4, 1)") && e.getMessage().contains("same"), e.getMessage());
    }

    @Test
    void channelMismatchNamesLayerAndBothShapes() {
        Conv2D conv = new Conv2D(4, 3, 3, 1, 1, Padding.SAME, Activation.LINEAR, true, "c2");
        conv.build(new int[]{6, 6, 3}, new Rng(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(2, 6, 6, 1), false));
        assertTrue(e.getMessage().contains("'c2'") && e.getMessage().contains("(2, 6, 6, 1)")
                && e.getMessage().contains("6, 6, 3"), e.getMessage());
    }

    @Test
    void flatInputIsRejectedWithAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(4, 3).build(new int[]{784}, new Rng(0)));
        assertTrue(e.getMessage().contains("(784,)") && e.getMessage().contains("(h, w, 1)"), e.getMessage());
    }

    @Test
    void nonPositiveFiltersKernelOrStridesAreRejected() {
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> new Conv2D(0, 3));
        assertTrue(f.getMessage().contains("filters") && f.getMessage().contains("0"), f.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(4, 3, 0, "same", null));
        assertTrue(s.getMessage().contains("strides") && s.getMessage().contains("(0, 0)"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2D(4, -1));
        IllegalArgumentException named = assertThrows(IllegalArgumentException.class,
                () -> new Conv2D(-3, 3, 3, 1, 1, Padding.SAME, Activation.RELU, true, "features"));
        assertTrue(named.getMessage().contains("'features'") && named.getMessage().contains("-3"), named.getMessage());
    }

    @Test
    void firstLayerSkipsInputGradient() {
        Conv2D conv = new Conv2D(2, 3, "same", "relu");
        conv.build(new int[]{5, 5, 1}, new Rng(1));
        conv.setInputGradientNeeded(false);
        Tensor y = conv.forward(GradientCheck.uniform(1, -1, 1, 2, 5, 5, 1), true);
        assertEquals(null, conv.backward(GradientCheck.uniform(2, -1, 1, y.shape())));
    }
}
