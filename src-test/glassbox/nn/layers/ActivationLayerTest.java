package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ActivationLayerTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMatchesNumericalGradient(Activation activation) {
        ActivationLayer layer = new ActivationLayer(activation);
        layer.build(new int[]{3, 4}, new Rng(1));
        assertPasses(GradientCheck.forFloatLayers().checkLayer(layer, GradientCheck.uniform(4, -2, 2, 2, 3, 4), 5));
    }

    @Test
    void valuesMatchTheirFormulas() {
        float[] z = {-2f, 0f, 3f};
        float[] y = new float[3];
        Activation.RELU.forward(z, y, 1, 3);
        assertArrayEquals(new float[]{0f, 0f, 3f}, y);
        Activation.SIGMOID.forward(z, y, 1, 3);
        assertArrayEquals(new float[]{(float) (1 / (1 + Math.exp(2))), 0.5f, (float) (1 / (1 + Math.exp(-3)))}, y, 1e-7f);
        Activation.SOFTMAX.forward(z, y, 1, 3);
        double s = Math.exp(-2) + 1 + Math.exp(3);
        assertArrayEquals(new float[]{(float) (Math.exp(-2) / s), (float) (1 / s), (float) (Math.exp(3) / s)}, y, 1e-7f);
    }

    @Test
    void softmaxDoesNotOverflowOnLargeLogits() {
        float[] y = new float[2];
        Activation.SOFTMAX.forward(new float[]{1000f, 1000f}, y, 1, 2);
        assertEquals(0.5f, y[0], 1e-7f);
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.of("swishy"));
        assertEquals("unknown activation 'swishy': expected one of linear, relu, sigmoid, tanh, softmax", e.getMessage());
    }

    @Test
    void flattenKeepsRowMajorOrderAndRestoresShapeOnBackward() {
        Flatten f = new Flatten();
        f.build(new int[]{2, 2, 1}, new Rng(1));
        Tensor x = new Tensor(new float[]{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2, 1);
        Tensor y = f.forward(x, false);
        assertArrayEquals(new int[]{2, 4}, y.shape());
        assertArrayEquals(x.data(), y.data());
        assertArrayEquals(new int[]{2, 2, 2, 1}, f.backward(y).shape());
        assertPasses(GradientCheck.forFloatLayers().checkLayer(f, x, 2));
    }
}
