package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutTest {

    @Test
    void trainingZeroesAboutRateAndScalesSurvivorsSoTheMeanIsKept() {
        Dropout d = new Dropout(0.3);
        d.build(new int[]{1000}, new Rng(1));
        Tensor x = Tensor.zeros(20, 1000);
        java.util.Arrays.fill(x.data(), 2f);
        Tensor y = d.forward(x, true);
        int zeros = 0;
        double sum = 0;
        for (float v : y.data()) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(2f / 0.7f, v, 1e-6f);
            }
            sum += v;
        }
        // 20,000 Bernoulli(0.3) draws: standard deviation of the fraction ≈ 0.0032
        assertEquals(0.3, zeros / 20000.0, 0.015);
        assertEquals(2.0, sum / 20000, 0.05);
    }

    @Test
    void gradientFlowsThroughTheSameMask() {
        Dropout d = new Dropout(0.5);
        d.build(new int[]{4, 3}, new Rng(2));
        Tensor x = GradientCheck.uniform(3, -1, 1, 5, 4, 3);
        Tensor y = d.forward(x, true).copy();
        Tensor dy = GradientCheck.uniform(4, -1, 1, 5, 4, 3);
        Tensor dx = d.backward(dy);
        for (int i = 0; i < x.size(); i++) {
            float mask = y.data()[i] / x.data()[i];
            assertEquals(dy.data()[i] * mask, dx.data()[i], 1e-5);
        }
    }

    @Test
    void backwardMatchesNumericalGradientWithAHeldMask() {
        Dropout d = new Dropout(0.4);
        d.build(new int[]{6}, new Rng(3));
        d.holdMask(true);
        assertPasses(GradientCheck.forFloatLayers().checkLayer(d, GradientCheck.uniform(5, -1, 1, 4, 6), 6));
    }

    @Test
    void inferenceIsTheIdentity() {
        Dropout d = new Dropout(0.5);
        d.build(new int[]{3}, new Rng(4));
        Tensor x = GradientCheck.uniform(7, -1, 1, 2, 3);
        assertSame(x, d.forward(x, false));
    }

    @Test
    void sameSeedGivesSameMasksAndNewDrawsDiffer() {
        Dropout a = new Dropout(0.5);
        Dropout b = new Dropout(0.5);
        a.build(new int[]{50}, new Rng(9));
        b.build(new int[]{50}, new Rng(9));
        Tensor x = Tensor.zeros(2, 50);
        java.util.Arrays.fill(x.data(), 1f);
        float[] first = a.forward(x, true).data().clone();
        assertArrayEquals(first, b.forward(x, true).data());
        assertFalse(java.util.Arrays.equals(first, a.forward(x, true).data()), "a new batch draws a new mask");
    }

    @Test
    void rateOutsideZeroToOneIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(-0.1));
    }
}
