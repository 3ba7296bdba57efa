package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.ConvPlan;
import glassbox.tensor.Padding;
import glassbox.tensor.ReferenceConv2D;
import glassbox.tensor.ThinConv;
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

    /**
     * {height, width, channels, filters, kernel, stride}; each with both paddings, a chunk budget that holds
     * the batch's share of a task and one of 1 byte (a sample per chunk, several chunks per task), and, where
     * the plan has direct loops for the shape (one input channel; one filter with stride 1), each of the
     * three ways to compute it: the Vector API loops, their scalar twins, and im2col + GEMM.
     */
    static Stream<Arguments> configurations() {
        int[][] shapes = {
            {7, 7, 1, 4, 3, 1}, {8, 6, 3, 5, 3, 1}, {7, 9, 2, 3, 3, 2}, {8, 8, 4, 2, 2, 2}, {6, 5, 3, 4, 3, 2},
            {5, 5, 2, 3, 5, 1}, {6, 7, 6, 3, 3, 1}, {9, 8, 8, 4, 3, 1},
            {9, 7, 1, 17, 3, 2}, {7, 6, 3, 1, 3, 1}, {9, 8, 5, 1, 3, 2}, {6, 6, 1, 1, 3, 1}, {8, 9, 17, 1, 3, 1},
        };
        List<Arguments> out = new ArrayList<>();
        for (int[] s : shapes) {
            boolean thin = s[2] == 1 || s[3] == 1;
            for (Padding p : Padding.values()) {
                for (long budget : new long[]{ConvPlan.DEFAULT_CHUNK_BUDGET_BYTES, 1}) {
                    for (String loops : thin ? List.of("vector", "scalar", "gemm") : List.of("vector")) {
                        out.add(Arguments.of(s[0], s[1], s[2], s[3], s[4], s[5], p, budget, loops));
                    }
                }
            }
        }
        return out.stream();
    }

    /** The direct loops a configuration names: the Vector API's (the default), their scalar twins, or none. */
    private static ThinConv loops(String name) {
        return switch (name) {
            case "vector" -> ThinConv.vectorOrNull();
            case "scalar" -> ThinConv.scalar();
            default -> null;
        };
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

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters, {4}×{4} stride {5} {6}, budget {7}, {8}")
    @MethodSource("configurations")
    void forwardAndBothGradientsMatchTheDirectLoops(int h, int w, int c, int filters, int k, int stride,
                                                     Padding padding, long budget, String loops) {
        Conv2D conv = built(h, w, c, filters, k, stride, padding, 11);
        conv.plan().setChunkBudgetBytes(budget);
        conv.plan().setThinConv(loops(loops));
        int batch = 11; // 8 tasks: some with two samples
        Tensor x = GradientCheck.uniform(12, -1, 1, batch, h, w, c);
        Tensor y = conv.forward(x, true);
        Window2D g = conv.plan().window();
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

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters, {4}×{4} stride {5} {6}, budget {7}, {8}")
    @MethodSource("configurations")
    void backwardMatchesNumericalGradient(int h, int w, int c, int filters, int k, int stride, Padding padding,
                                          long budget, String loops) {
        if ((budget == 1 && c > 2) || loops.equals("scalar")) {
            return; // the chunked path and the scalar loops are covered by the reference test; keep the suite quick
        }
        Conv2D conv = new Conv2D(filters, k, k, stride, stride, padding, Activation.TANH, true, null);
        conv.build(new int[]{h, w, c}, new Rng(5));
        conv.plan().setChunkBudgetBytes(budget);
        conv.plan().setThinConv(loops(loops));
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
    void directLoopsServeOneInputChannelAndOneFilterWithStrideOne() {
        assertTrue(built(7, 7, 1, 4, 3, 1, Padding.SAME, 1).plan().direct());
        assertTrue(built(9, 7, 1, 17, 3, 2, Padding.VALID, 1).plan().direct());
        assertTrue(built(7, 6, 3, 1, 3, 1, Padding.SAME, 1).plan().direct());
        assertFalse(built(9, 8, 5, 1, 3, 2, Padding.SAME, 1).plan().direct());
        assertFalse(built(8, 6, 3, 5, 3, 1, Padding.SAME, 1).plan().direct());
        Conv2D none = built(7, 7, 1, 4, 3, 1, Padding.SAME, 1);
        none.plan().setThinConv(null);
        assertFalse(none.plan().direct());
    }

    /** Forward and backward of {@code conv} on a seeded batch of 13: the output, dX, dW and db, end to end. */
    private static float[] passBits(Conv2D conv, int batch) {
        int[] in = conv.inputShape();
        Tensor x = GradientCheck.uniform(21, -1, 1, batch, in[0], in[1], in[2]);
        conv.params().forEach(glassbox.nn.Param::zeroGrad);
        float[] y = conv.forward(x, true).data().clone();
        Tensor dx = conv.backward(GradientCheck.uniform(22, -1, 1, batch, y.length / batch));
        float[] dk = conv.params().get(0).grad().data();
        float[] db = conv.params().get(1).grad().data();
        float[] all = java.util.Arrays.copyOf(y, y.length + dx.size() + dk.length + db.length);
        System.arraycopy(dx.data(), 0, all, y.length, dx.size());
        System.arraycopy(dk, 0, all, y.length + dx.size(), dk.length);
        System.arraycopy(db, 0, all, y.length + dx.size() + dk.length, db.length);
        return all;
    }

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters, stride {4}")
    @org.junit.jupiter.params.provider.CsvSource({"9, 8, 3, 5, 1", "9, 8, 1, 6, 1", "10, 9, 4, 1, 1", "9, 9, 3, 4, 2",
            "8, 8, 6, 3, 1"})
    void sameBitsWhateverTheThreadCount(int h, int w, int c, int filters, int stride) throws Exception {
        // 13 samples: 8 tasks of one or two, chunks of one sample with a 1-byte budget
        for (long budget : new long[]{ConvPlan.DEFAULT_CHUNK_BUDGET_BYTES, 1}) {
            float[][] bits = new float[3][];
            for (int threads = 1; threads <= 3; threads++) {
                Conv2D conv = built(h, w, c, filters, 3, stride, Padding.SAME, 3);
                conv.plan().setChunkBudgetBytes(budget);
                java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
                try {
                    bits[threads - 1] = pool.submit(() -> passBits(conv, 13)).get();
                } finally {
                    pool.shutdown();
                }
            }
            assertArrayEquals(bits[0], bits[1], "1 and 2 threads, budget " + budget);
            assertArrayEquals(bits[0], bits[2], "1 and 3 threads, budget " + budget);
        }
    }

    @ParameterizedTest(name = "{0}×{1}×{2} → {3} filters")
    @org.junit.jupiter.params.provider.CsvSource({"9, 8, 1, 32, 1", "10, 9, 16, 1, 1", "7, 7, 1, 1, 1",
            "9, 7, 1, 17, 2"})
    void vectorLoopsGiveTheScalarLoopsBitsInTheLayer(int h, int w, int c, int filters, int stride) {
        Conv2D vector = built(h, w, c, filters, 3, stride, Padding.SAME, 3);
        Conv2D scalar = built(h, w, c, filters, 3, stride, Padding.SAME, 3);
        scalar.plan().setThinConv(ThinConv.scalar());
        assertTrue(vector.plan().direct() && scalar.plan().direct());
        assertArrayEquals(passBits(scalar, 13), passBits(vector, 13));
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
