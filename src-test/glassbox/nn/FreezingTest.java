package glassbox.nn;

import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keras's {@code layer.trainable = False}: frozen weights, skipped gradients, summary counts, frozen BatchNorm. */
class FreezingTest {

    /** Images (n, 6, 6, 1) and labels 0–2: the label is the brightest third of the image. */
    static Tensor[] images(int n, long seed) {
        Rng rng = new Rng(seed);
        Tensor x = Tensor.zeros(n, 6, 6, 1);
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y.data()[i] = c;
            for (int p = 0; p < 36; p++) {
                x.data()[i * 36 + p] = (float) (rng.uniform(0, 1) + ((p % 6) / 2 == c ? 1 : 0));
            }
        }
        return new Tensor[]{x, y};
    }

    private static Sequential convNet(long seed) {
        return new Sequential(seed, new Conv2D(3, 3, "same", "relu"), new MaxPooling2D(), new Flatten(),
                new Dense(8, "relu"), new BatchNormalization(), new Dense(3, "softmax"));
    }

    private static FitOptions quiet(int epochs, int batch) {
        return FitOptions.defaults().withEpochs(epochs).withBatchSize(batch).withVerbose(false);
    }

    private static List<float[]> values(Layer layer) {
        return layer.params().stream().map(p -> p.value().data().clone()).toList();
    }

    private static boolean sameValues(List<float[]> a, Layer layer) {
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), layer.params().get(i).value().data())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void frozenLayersKeepBitIdenticalWeightsAndGetNoGradientWhileTheRestTrains() {
        Tensor[] data = images(60, 1);
        Sequential model = convNet(5);
        model.build(6, 6, 1);
        Layer conv = model.layers().get(0);
        Layer bn = model.layers().get(4);
        conv.setTrainable(false);
        bn.setTrainable(false);
        List<float[]> convBefore = values(conv);
        List<float[]> bnBefore = values(bn); // γ, β and the moving statistics
        List<float[]> denseBefore = values(model.layers().get(3));
        model.compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.fit(data[0], data[1], quiet(3, 16));

        assertTrue(sameValues(convBefore, conv), "frozen Conv2D weights changed");
        assertTrue(sameValues(bnBefore, bn), "frozen BatchNormalization weights or moving statistics changed");
        assertFalse(sameValues(denseBefore, model.layers().get(3)), "the trainable Dense did not train");
        for (Param p : conv.params()) {
            for (float g : p.grad().data()) {
                assertEquals(0f, g, "a frozen layer's gradient is never computed (" + p.name() + ")");
            }
        }
    }

    @Test
    void theGradientThroughAFrozenLayerIsTheUnfrozenOnesInputGradient() {
        // One full-batch SGD step on twin models: whether the middle layers compute their own weight
        // gradients or not, the layers around them must receive the same gradient, so end bit-identical.
        Tensor[] data = images(12, 2);
        Sequential frozen = twin();
        Sequential plain = twin();
        frozen.layers().get(1).setTrainable(false);
        frozen.layers().get(3).setTrainable(false);
        frozen.fit(data[0], data[1], quiet(1, 12));
        plain.fit(data[0], data[1], quiet(1, 12));
        for (int l : new int[]{0, 4}) {
            for (int k = 0; k < 2; k++) {
                assertArrayEquals(plain.layers().get(l).params().get(k).value().data(),
                        frozen.layers().get(l).params().get(k).value().data(), "layer " + l + " param " + k);
            }
        }
        Sequential init = twin();
        init.build(6, 6, 1);
        assertArrayEquals(init.layers().get(1).params().get(0).value().data(),
                frozen.layers().get(1).params().get(0).value().data(), "the frozen conv kept its initial kernel");
        assertFalse(java.util.Arrays.equals(init.layers().get(1).params().get(0).value().data(),
                plain.layers().get(1).params().get(0).value().data()), "the unfrozen twin's kernel moved");
    }

    private static Sequential twin() {
        return new Sequential(9, new Conv2D(3, 3, "same", "tanh"), new Conv2D(2, 3, "same", "tanh"), new Flatten(),
                new Dense(5, "tanh"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Sgd(0.5f));
    }

    @Test
    void frozenLayersStillPassTheCorrectInputGradient() {
        for (Layer layer : List.of(new Dense(4, "tanh"), new Conv2D(2, 3, "same", "tanh"))) {
            int[] shape = layer instanceof Dense ? new int[]{5} : new int[]{4, 4, 2};
            layer.build(shape, new Rng(3));
            layer.setTrainable(false);
            Tensor x = glassbox.nn.GradientCheck.uniform(4, -1, 1, batch(2, shape));
            assertPasses(GradientCheck.forFloatLayers().checkLayer(layer, x, 7)); // dL/dx only: no parameter is trainable
            for (Param p : layer.params()) {
                assertFalse(p.trainable());
                assertTrue(allZero(p.grad()), layer.kind() + "." + p.name() + " got a gradient while frozen");
            }
        }
    }

    @Test
    void frozenBatchNormalizationRunsInInferenceModeInsideTraining() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[]{2}, new Rng(1));
        // γ = (2, 1), β = (0.5, 0), moving mean (1, −1), moving variance (3, 0.25) − ε, so sqrt(var + ε) = (√3, 0.5)
        float eps = 1e-3f;
        bn.setWeights(List.of(new Tensor(new float[]{2f, 1f}, 2), new Tensor(new float[]{0.5f, 0f}, 2),
                new Tensor(new float[]{1f, -1f}, 2), new Tensor(new float[]{3f - eps, 0.25f - eps}, 2)));
        bn.setTrainable(false);
        List<float[]> before = values(bn);
        Tensor x = new Tensor(new float[]{1f, 0f, 4f, -2f, -2f, 1f}, 3, 2);
        Tensor y = bn.forward(x, true);
        double s3 = Math.sqrt(3);
        float[] expected = {0.5f, 2f, (float) (2 * 3 / s3 + 0.5), -2f, (float) (2 * -3 / s3 + 0.5), 4f};
        assertArrayEquals(expected, y.data(), 1e-5f);
        assertTrue(sameValues(before, bn), "a frozen BatchNormalization never updates its moving statistics");
        Tensor dx = bn.backward(new Tensor(new float[]{1f, 1f, 1f, 1f, -1f, 2f}, 3, 2));
        assertArrayEquals(new float[]{(float) (2 / s3), 2f, (float) (2 / s3), 2f, (float) (-2 / s3), 4f}, dx.data(), 1e-5f);
        assertTrue(allZero(bn.params().get(0).grad()) && allZero(bn.params().get(1).grad()), "no γ, β gradients");
        assertPasses(GradientCheck.forFloatLayers().checkLayer(bn, GradientCheck.uniform(2, -1, 1, 4, 2), 3));
    }

    @Test
    void summaryCountsFrozenParametersAsNonTrainable() {
        Sequential model = new Sequential(0, new Dense(3), new BatchNormalization(), new Dense(2));
        model.build(4);
        // Dense 4·3 + 3 = 15; BatchNormalization on 3 features 4·3 = 12 (the moving statistics 6 of them);
        // Dense 3·2 + 2 = 8; total 35
        assertTrue(model.summary().contains("Trainable params: 29\n"), model.summary());
        assertTrue(model.summary().contains("Non-trainable params: 6\n"), model.summary());
        model.layers().get(0).setTrainable(false);
        assertTrue(model.summary().contains("Trainable params: 14\n"), model.summary());
        assertTrue(model.summary().contains("Non-trainable params: 21\n"), model.summary());
        model.setTrainable(false);
        assertTrue(model.summary().contains("Trainable params: 0\n") && model.summary().contains("Non-trainable params: 35\n"),
                model.summary());
        model.setTrainable(true);
        assertTrue(model.summary().contains("Trainable params: 29\n"), "thawed: BatchNorm's statistics stay non-trainable");
    }

    @Test
    void aWholeFrozenModelTrainsNothingAndRunsNoBackward() {
        Tensor[] data = images(30, 3);
        Sequential model = convNet(2).compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.build(6, 6, 1);
        List<Tensor> before = model.getWeights();
        model.setTrainable(false);
        History h = model.fit(data[0], data[1], quiet(2, 10).withCallbacks(List.of(new Profile())));
        List<Tensor> after = model.getWeights();
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).data(), after.get(i).data());
        }
        assertTrue(h.profile().seconds().keySet().stream().noneMatch(k -> k.endsWith(" backward")), h.profile().table());
    }

    @Test
    void onlyTheLayersAboveTheLowestTrainableOneRunBackward() {
        Tensor[] data = images(30, 3);
        Sequential model = convNet(2).compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.build(6, 6, 1);
        for (int l = 0; l < 4; l++) {
            model.layers().get(l).setTrainable(false); // a frozen encoder: conv, pool, flatten, dense
        }
        History h = model.fit(data[0], data[1], quiet(1, 10).withCallbacks(List.of(new Profile())));
        var phases = h.profile().seconds().keySet();
        assertFalse(phases.contains("conv2d backward") || phases.contains("dense backward"), h.profile().table());
        assertTrue(phases.contains("batch_normalization backward") && phases.contains("dense_1 backward"), h.profile().table());
        assertFalse(model.layers().get(4).inputGradientNeeded(), "nothing below the BatchNorm trains");
    }

    @Test
    void freezingBeforeBuildAndThawingAfterwardBothTakeEffect() {
        Tensor[] data = images(30, 4);
        Dense hidden = new Dense(6, "relu");
        hidden.setTrainable(false);
        Sequential model = new Sequential(1, new Flatten(), hidden, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.build(6, 6, 1);
        assertFalse(hidden.params().get(0).trainable(), "frozen before build: its parameters are born frozen");
        List<float[]> before = values(hidden);
        model.fit(data[0], data[1], quiet(1, 10));
        assertTrue(sameValues(before, hidden));
        hidden.setTrainable(true);
        model.fit(data[0], data[1], quiet(1, 10));
        assertFalse(sameValues(before, hidden), "thawed, it trains again");
    }

    @Test
    void backwardFlopsDropTheWeightGradientWhenFrozen() {
        Dense d = new Dense(3);
        d.build(new int[]{4}, new Rng(0));
        assertEquals(48, d.forwardFlops(2)); // 2·batch·in·out
        assertEquals(96, d.backwardFlops(2));
        d.setTrainable(false);
        assertEquals(48, d.backwardFlops(2), "the input gradient only");
        d.setInputGradientNeeded(false);
        assertEquals(0, d.backwardFlops(2));
    }

    private static boolean allZero(Tensor t) {
        for (float v : t.data()) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    private static int[] batch(int n, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = n;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }
}
