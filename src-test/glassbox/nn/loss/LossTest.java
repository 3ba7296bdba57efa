package glassbox.nn.loss;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {
    private static final GradientCheck CHECK = new GradientCheck(1e-3, 1e-2, 1e-4);

    private static Tensor labels(float... y) {
        return new Tensor(y, y.length);
    }

    @Test
    void sparseProbabilityLossRescalesRowsLikeKeras() {
        // row 0: p = (0.2, 0.6, 0.2) sums to 1, label 1 → −log 0.6
        // row 1: p = (0.5, 0.5, 1.0) sums to 2 → q = (0.25, 0.25, 0.5), label 2 → −log 0.5
        Tensor p = new Tensor(new float[]{0.2f, 0.6f, 0.2f, 0.5f, 0.5f, 1.0f}, 2, 3);
        double loss = new SparseCategoricalCrossentropy().compute(p, labels(1, 2), null);
        assertEquals((-Math.log(0.6) - Math.log(0.5)) / 2, loss, 1e-6);
    }

    @Test
    void sparseProbabilityLossClipsZeroProbabilityToEpsilon() {
        Tensor p = new Tensor(new float[]{1f, 0f}, 1, 2);
        assertEquals(-Math.log(1e-7), new SparseCategoricalCrossentropy().compute(p, labels(1), null), 1e-3);
    }

    @Test
    void sparseProbabilityLossOfAnAllZeroRowIsLogOfClassCountAsTf2() {
        // every entry clips to 1e-7: the clipped row is uniform, −log(1/3) = log 3
        Tensor p = new Tensor(new float[]{0f, 0f, 0f}, 1, 3);
        assertEquals(Math.log(3), new SparseCategoricalCrossentropy().compute(p, labels(0), null), 1e-6);
    }

    @Test
    void sparseProbabilityGradientStillPushesDownWrongClassesWhenTheTrueOneIsClipped() {
        // p = (1e-9, 0.5, 0.5), y = 0: c = (1e-7, 0.5, 0.5), Σc ≈ 1; dL/dp_j = 1/Σc for the unclipped j
        Tensor p = new Tensor(new float[]{1e-9f, 0.5f, 0.5f}, 1, 3);
        Tensor g = Tensor.zeros(1, 3);
        new SparseCategoricalCrossentropy().compute(p, labels(0), g);
        assertEquals(0f, g.data()[0]);
        assertEquals(1.0, g.data()[1], 1e-5);
        assertEquals(1.0, g.data()[2], 1e-5);
    }

    @Test
    void sparseLogitsLossIsStableLogSoftmax() {
        // logits (1000, 0): log-softmax of class 1 = −1000 − log(1 + e^−1000) ≈ −1000
        Tensor z = new Tensor(new float[]{1000f, 0f, 1f, 2f}, 2, 2);
        double loss = new SparseCategoricalCrossentropy(true).compute(z, labels(1, 1), null);
        double row1 = Math.log(Math.exp(1) + Math.exp(2)) - 2;
        assertEquals((1000 + row1) / 2, loss, 1e-4);
    }

    @Test
    void sparseGradientsMatchNumerical() {
        Tensor p = GradientCheck.uniform(1, 0.05, 0.95, 4, 5);
        assertPasses(CHECK.checkLoss(new SparseCategoricalCrossentropy(), p, labels(0, 3, 4, 1), 2));
        assertPasses(CHECK.checkLoss(new SparseCategoricalCrossentropy(true), GradientCheck.uniform(3, -3, 3, 4, 5), labels(0, 3, 4, 1), 4));
    }

    @Test
    void categoricalMatchesSparseOnOneHotTargets() {
        Tensor p = GradientCheck.uniform(5, 0.05, 0.95, 3, 4);
        Tensor oneHot = new Tensor(new float[]{0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0}, 3, 4);
        double sparse = new SparseCategoricalCrossentropy().compute(p, labels(1, 3, 0), null);
        assertEquals(sparse, new CategoricalCrossentropy().compute(p, oneHot, null), 1e-6);
        assertPasses(CHECK.checkLoss(new CategoricalCrossentropy(), p, oneHot, 6));
        assertPasses(CHECK.checkLoss(new CategoricalCrossentropy(true), GradientCheck.uniform(7, -3, 3, 3, 4), oneHot, 8));
    }

    @Test
    void binaryCrossentropyByHandAndGradients() {
        // −[1·log 0.8 + 0] and −[0 + 1·log(1 − 0.3)], mean over 2 elements
        Tensor p = new Tensor(new float[]{0.8f, 0.3f}, 1, 2);
        Tensor t = new Tensor(new float[]{1f, 0f}, 1, 2);
        assertEquals(-(Math.log(0.8) + Math.log(0.7)) / 2, new BinaryCrossentropy().compute(p, t, null), 1e-6);
        Tensor targets = GradientCheck.uniform(9, 0, 1, 3, 4);
        assertPasses(CHECK.checkLoss(new BinaryCrossentropy(), GradientCheck.uniform(10, 0.05, 0.95, 3, 4), targets, 11));
        assertPasses(CHECK.checkLoss(new BinaryCrossentropy(true), GradientCheck.uniform(12, -4, 4, 3, 4), targets, 13));
    }

    @Test
    void binaryCrossentropyOfImagesIsTheMeanOverEveryPixelAsKeras() {
        // 2 images of 2×1×1 pixels: p = (0.8, 0.4 | 0.1, 0.5), t = (1, 0 | 0, 1): Keras's mean over the last
        // axis (size 1) then over the rest is the plain mean of the four per-pixel losses
        Tensor p = new Tensor(new float[]{0.8f, 0.4f, 0.1f, 0.5f}, 2, 2, 1, 1);
        Tensor t = new Tensor(new float[]{1f, 0f, 0f, 1f}, 2, 2, 1, 1);
        double expected = -(Math.log(0.8) + Math.log(0.6) + Math.log(0.9) + Math.log(0.5)) / 4;
        assertEquals(expected, new BinaryCrossentropy().compute(p, t, null), 1e-6);
        assertPasses(CHECK.checkLoss(new BinaryCrossentropy(), GradientCheck.uniform(14, 0.05, 0.95, 2, 3, 3, 1),
                GradientCheck.uniform(15, 0, 1, 2, 3, 3, 1), 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BinaryCrossentropy().compute(Tensor.zeros(3), Tensor.zeros(3), null));
        assertTrue(e.getMessage().contains("(3,)"), e.getMessage());
    }

    @Test
    void meanSquaredErrorByHandAndGradient() {
        Tensor p = new Tensor(new float[]{1f, 2f, 3f, 4f}, 2, 2);
        Tensor t = new Tensor(new float[]{0f, 2f, 5f, 4f}, 2, 2);
        assertEquals((1 + 0 + 4 + 0) / 4.0, new MeanSquaredError().compute(p, t, null), 1e-9);
        assertPasses(CHECK.checkLoss(new MeanSquaredError(), GradientCheck.uniform(14, -1, 1, 3, 2), GradientCheck.uniform(15, -1, 1, 3, 2), 16));
    }

    @Test
    void accuracyCountsArgmaxHits() {
        Tensor p = new Tensor(new float[]{0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f}, 3, 2);
        assertEquals(2, new SparseCategoricalCrossentropy().correct(p, labels(1, 0, 0)));
    }

    @Test
    void outOfRangeLabelIsNamed() {
        Tensor p = GradientCheck.uniform(1, 0.1, 0.9, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy().compute(p, labels(0, 3), null));
        assertTrue(e.getMessage().contains("sample 1") && e.getMessage().contains("[0, 2]"), e.getMessage());
    }

    @Test
    void mismatchedBatchNamesBothShapes() {
        Tensor p = GradientCheck.uniform(1, 0.1, 0.9, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy().compute(p, labels(0, 1, 2), null));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(3,)"), e.getMessage());
    }
}
