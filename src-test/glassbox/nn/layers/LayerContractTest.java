package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every layer keeps (Keras's shared layer test): declared output shape = actual output shape,
 * the input gradient has the input's shape, parameter counts match the formula, the same seed builds the
 * same weights, and a wrong input shape is rejected with a message quoting it. Add each new layer here.
 */
class LayerContractTest {

    record Case(String name, Supplier<Layer> factory, int[] inputShape, int[] outputShape, long params) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> layers() {
        return Stream.of(
                new Case("Dense relu", () -> new Dense(6, "relu"), new int[]{5}, new int[]{6}, 5 * 6 + 6),
                new Case("Dense softmax", () -> new Dense(3, "softmax"), new int[]{4}, new int[]{3}, 4 * 3 + 3),
                new Case("Dense no bias", () -> new Dense(3, Activation.LINEAR, false,
                        glassbox.nn.init.Initializer.glorotUniform(), glassbox.nn.init.Initializer.zeros(), null),
                        new int[]{4}, new int[]{3}, 12),
                new Case("Flatten", Flatten::new, new int[]{3, 4, 2}, new int[]{24}, 0),
                new Case("ReLU", ActivationLayer::relu, new int[]{3, 4}, new int[]{3, 4}, 0),
                new Case("Softmax", ActivationLayer::softmax, new int[]{7}, new int[]{7}, 0),
                new Case("Conv2D same", () -> new Conv2D(4, 3, "same", "tanh"), new int[]{5, 6, 2},
                        new int[]{5, 6, 4}, 3 * 3 * 2 * 4 + 4),
                new Case("Conv2D valid stride 2", () -> new Conv2D(3, 3, 2, "valid", "tanh"), new int[]{7, 6, 2},
                        new int[]{3, 2, 3}, 3 * 3 * 2 * 3 + 3),
                new Case("MaxPooling2D", MaxPooling2D::new, new int[]{6, 4, 3}, new int[]{3, 2, 3}, 0),
                new Case("MaxPooling2D same", () -> new MaxPooling2D(2, "same"), new int[]{5, 5, 2},
                        new int[]{3, 3, 2}, 0),
                new Case("UpSampling2D", UpSampling2D::new, new int[]{2, 3, 2}, new int[]{4, 6, 2}, 0),
                new Case("BatchNormalization", BatchNormalization::new, new int[]{3, 3, 4}, new int[]{3, 3, 4}, 4 * 4),
                new Case("Dropout (held mask)", () -> {
                    Dropout d = new Dropout(0.3);
                    d.holdMask(true);
                    return d;
                }, new int[]{4, 5}, new int[]{4, 5}, 0)
        ).map(Arguments::of);
    }

    private static int[] withBatch(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void declaredAndActualShapesAgree(Case c) {
        Layer layer = c.factory().get();
        assertArrayEquals(c.outputShape(), layer.build(c.inputShape(), new Rng(1)));
        Tensor x = GradientCheck.uniform(2, -1, 1, withBatch(3, c.inputShape()));
        Tensor y = layer.forward(x, true);
        assertArrayEquals(withBatch(3, c.outputShape()), y.shape());
        Tensor dx = layer.backward(GradientCheck.uniform(3, -1, 1, y.shape()));
        assertArrayEquals(x.shape(), dx.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void parameterCountMatchesTheFormula(Case c) {
        Layer layer = c.factory().get();
        layer.build(c.inputShape(), new Rng(1));
        assertEquals(c.params(), layer.params().stream().mapToLong(p -> p.value().size()).sum());
        for (Param p : layer.params()) {
            assertArrayEquals(p.value().shape(), p.grad().shape(), "gradient shaped like " + p.name());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void sameSeedBuildsSameWeights(Case c) {
        Layer a = c.factory().get();
        Layer b = c.factory().get();
        a.build(c.inputShape(), new Rng(42));
        b.build(c.inputShape(), new Rng(42));
        List<Param> pa = a.params();
        for (int i = 0; i < pa.size(); i++) {
            assertArrayEquals(pa.get(i).value().data(), b.params().get(i).value().data());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void wrongInputShapeIsRejectedQuotingIt(Case c) {
        Layer layer = c.factory().get();
        layer.build(c.inputShape(), new Rng(1));
        int[] wrong = withBatch(2, c.inputShape());
        wrong[wrong.length - 1] += 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(wrong), false));
        assertTrue(e.getMessage().contains(Tensor.shapeString(wrong)), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backwardMatchesNumericalGradient(Case c) {
        Layer layer = c.factory().get();
        layer.build(c.inputShape(), new Rng(1));
        // distinct, evenly spaced inputs: max-pooling's ties are then further apart than the probe step
        Tensor x = GradientCheck.distinct(5, -1, 1, withBatch(2, c.inputShape()));
        new GradientCheck(2e-3, 1e-2, 1e-3).checkLayer(layer, x, 6);
    }
}
