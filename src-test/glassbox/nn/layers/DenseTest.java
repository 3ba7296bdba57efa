package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DenseTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMatchesNumericalGradient(Activation activation) {
        Dense dense = new Dense(5, activation);
        dense.build(new int[]{7}, new Rng(1));
        Tensor x = GradientCheck.uniform(2, -1, 1, 4, 7);
        assertPasses(GradientCheck.forFloatLayers().checkLayer(dense, x, 3));
    }

    @Test
    void forwardIsXTimesKernelPlusBiasByHand() {
        Dense dense = new Dense(2, Activation.LINEAR);
        dense.build(new int[]{3}, new Rng(0));
        // kernel (3, 2) row-major, bias (2)
        float[] w = {1, 2, 3, 4, 5, 6};
        System.arraycopy(w, 0, dense.params().get(0).value().data(), 0, 6);
        dense.params().get(1).value().data()[0] = 0.5f;
        dense.params().get(1).value().data()[1] = -1f;
        Tensor x = new Tensor(new float[]{1, 0, 2, -1, 1, 1}, 2, 3);
        Tensor y = dense.forward(x, false);
        // row 0: [1*1+0*3+2*5, 1*2+0*4+2*6] + b = [11.5, 13]; row 1: [-1+3+5, -2+4+6] + b = [7.5, 7]
        assertArrayEquals(new float[]{11.5f, 13f, 7.5f, 7f}, y.data(), 1e-6f);
    }

    @Test
    void backwardAccumulatesIntoGradientsAndNeverChangesWeights() {
        Dense dense = new Dense(3, Activation.RELU);
        dense.build(new int[]{4}, new Rng(5));
        float[] before = dense.params().get(0).value().data().clone();
        Tensor x = GradientCheck.uniform(6, -1, 1, 2, 4);
        Tensor g = GradientCheck.uniform(7, -1, 1, 2, 3);
        dense.forward(x, true);
        dense.backward(g);
        float[] once = dense.params().get(0).grad().data().clone();
        dense.forward(x, true);
        dense.backward(g);
        float[] twice = dense.params().get(0).grad().data();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-5f);
        }
        assertArrayEquals(before, dense.params().get(0).value().data());
    }

    @Test
    void glorotUniformKernelStaysWithinKerasLimitAndBiasIsZero() {
        Dense dense = new Dense(128);
        dense.build(new int[]{784}, new Rng(9));
        double limit = Math.sqrt(6.0 / (784 + 128));
        Param kernel = dense.params().get(0);
        double sumSq = 0;
        for (float v : kernel.value().data()) {
            assertTrue(Math.abs(v) <= limit);
            sumSq += v * v;
        }
        // U(-l, l) has variance l²/3
        assertEquals(limit * limit / 3, sumSq / kernel.value().size(), 0.05 * limit * limit / 3);
        for (float v : dense.params().get(1).value().data()) {
            assertEquals(0f, v);
        }
    }

    @Test
    void firstLayerSkipsInputGradient() {
        Dense dense = new Dense(3);
        dense.build(new int[]{4}, new Rng(5));
        dense.setInputGradientNeeded(false);
        dense.forward(GradientCheck.uniform(1, -1, 1, 2, 4), true);
        assertNull(dense.backward(GradientCheck.uniform(2, -1, 1, 2, 3)));
    }

    @Test
    void rejectsImageInputWithAMessageSuggestingFlatten() {
        Dense dense = new Dense(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.build(new int[]{28, 28}, new Rng(1)));
        assertTrue(e.getMessage().contains("(28, 28)") && e.getMessage().contains("Flatten"), e.getMessage());
    }

    @Test
    void rejectsWrongInputWidthNamingBothShapes() {
        Dense dense = new Dense(3, Activation.LINEAR, true, glassbox.nn.init.Initializer.glorotUniform(),
                glassbox.nn.init.Initializer.zeros(), "d");
        dense.build(new int[]{4}, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense.forward(Tensor.zeros(2, 5), false));
        assertTrue(e.getMessage().contains("(2, 5)") && e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveUnits() {
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    }
}
