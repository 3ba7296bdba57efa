package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Json;
import glassbox.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every layer keeps (Keras's shared layer test): declared output shape = actual output shape,
 * the input gradient has the input's shape, parameter counts match the formula, the same seed builds the
 * same weights, a wrong input shape is rejected with a message quoting it, the config rebuilds an equal
 * layer through JSON, and get/setWeights copy and check. Add each new layer here (one line in
 * {@link #layers()}, and its class in {@link Layers}).
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
                new Case("Reshape", () -> new Reshape(2, 3, 4), new int[]{4, 6}, new int[]{2, 3, 4}, 0),
                new Case("Reshape -1", () -> new Reshape(-1, 2), new int[]{3, 4, 2}, new int[]{12, 2}, 0),
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
        assertPasses(new GradientCheck(2e-3, 1e-2, 1e-3).checkLayer(layer, x, 6));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    @SuppressWarnings("unchecked")
    void configRebuildsALayerThatComputesTheSameThroughJson(Case c) {
        Layer original = c.factory().get();
        original.build(c.inputShape(), new Rng(1));
        String className = original.getClass().getSimpleName();
        assertTrue(Layers.CLASS_NAMES.contains(className), className + " is missing from Layers.CLASS_NAMES");

        String json = Json.toJson(original.config());
        Layer rebuilt = Layers.fromConfig(className, Json.fromJson(json, Map.class));
        assertEquals(className, rebuilt.getClass().getSimpleName());
        assertEquals(json, Json.toJson(rebuilt.config()), "the config survives a JSON round trip");

        rebuilt.build(c.inputShape(), new Rng(2)); // other initial weights, then the original's copied in
        rebuilt.setWeights(original.getWeights());
        Tensor x = GradientCheck.uniform(4, -1, 1, withBatch(3, c.inputShape()));
        assertArrayEquals(original.forward(x, false).data(), rebuilt.forward(x, false).data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void getWeightsCopiesAndSetWeightsChecksBeforeWriting(Case c) {
        Layer layer = c.factory().get();
        layer.build(c.inputShape(), new Rng(1));
        List<Tensor> weights = layer.getWeights();
        assertEquals(layer.params().size(), weights.size());
        for (int i = 0; i < weights.size(); i++) {
            assertNotSame(layer.params().get(i).value(), weights.get(i));
            assertArrayEquals(layer.params().get(i).value().data(), weights.get(i).data());
        }

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> layer.setWeights(withOneMore(weights)));
        assertTrue(count.getMessage().contains("has " + weights.size() + " weights")
                && count.getMessage().contains("given " + (weights.size() + 1)), count.getMessage());
        if (weights.isEmpty()) {
            layer.setWeights(List.of());
            return;
        }

        List<Tensor> changed = new ArrayList<>();
        for (Tensor w : weights) {
            Tensor t = w.copy();
            java.util.Arrays.fill(t.data(), 0.5f);
            changed.add(t);
        }
        int last = changed.size() - 1;
        int[] goodShape = changed.get(last).shape();
        int[] badShape = goodShape.clone();
        badShape[0] += 1;
        List<Tensor> wrong = new ArrayList<>(changed);
        wrong.set(last, Tensor.zeros(badShape));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> layer.setWeights(wrong));
        String paramName = layer.params().get(last).name();
        assertTrue(shape.getMessage().contains("'" + paramName + "'")
                && shape.getMessage().contains(Tensor.shapeString(badShape))
                && shape.getMessage().contains(Tensor.shapeString(goodShape)), shape.getMessage());
        for (int i = 0; i < weights.size(); i++) {
            assertArrayEquals(weights.get(i).data(), layer.params().get(i).value().data(),
                    "a rejected list must leave every weight unchanged");
        }

        layer.setWeights(changed);
        java.util.Arrays.fill(changed.get(0).data(), -1f);
        assertEquals(0.5f, layer.params().get(0).value().data()[0], "setWeights copies, never aliases");
    }

    private static List<Tensor> withOneMore(List<Tensor> weights) {
        List<Tensor> more = new ArrayList<>(weights);
        more.add(Tensor.zeros(1));
        return more;
    }
}
