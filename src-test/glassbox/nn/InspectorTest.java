package glassbox.nn;

import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --inspect}: each figure against a brute-force or hand computation, and each warning provoked. */
class InspectorTest {

    /**
     * An identity layer that keeps a copy of every batch it sees in training: the output of the layer below
     * it, step by step, for the brute-force references. Its config claims {@code activation: relu} when told
     * to, so that the inspector counts dead units on it (it sits on a ReLU layer's output then).
     */
    static final class Recorder extends Layer {
        final List<float[]> seen = new ArrayList<>();
        private final boolean relu;

        Recorder(boolean relu) {
            super(null);
            this.relu = relu;
        }

        @Override
        protected int[] doBuild(int[] inputShape, Rng rng) {
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            if (training) {
                seen.add(x.data().clone());
            }
            return x;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            return dOut;
        }

        @Override
        public String kind() {
            return "recorder";
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", name());
            c.put("activation", relu ? "relu" : "linear");
            return c;
        }
    }

    private static FitOptions inspected(int epochs, int batch) {
        return FitOptions.defaults().withEpochs(epochs).withBatchSize(batch).withVerbose(false).withCallbacks(List.of(new Inspector()));
    }

    /** Runs {@code fit}, returning what it printed to standard output beside its history. */
    private static String printed(Supplier<History> fit, History[] into) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            into[0] = fit.get();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Inspection.Row row(History h, String layer, int epoch) {
        return h.inspection().rowsOf(layer).get(epoch - 1);
    }

    @Test
    void activationStatisticsEqualABruteForcePassOverTheEpochsOutputs() {
        Tensor[] data = SequentialTest.blobs(10, 3); // 30 samples, batches of 8: the last one holds 6
        Recorder recorder = new Recorder(true);
        Sequential model = new Sequential(4, new Dense(6, "relu"), recorder, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.05f));
        History h = model.fit(data[0], data[1], inspected(2, 8));
        for (int epoch = 1; epoch <= 2; epoch++) {
            List<float[]> outputs = recorder.seen.subList(4 * (epoch - 1), 4 * epoch);
            double n = 0;
            double sum = 0;
            boolean[] positive = new boolean[6];
            for (float[] batch : outputs) {
                for (int i = 0; i < batch.length; i++) {
                    sum += batch[i];
                    n++;
                    positive[i % 6] |= batch[i] > 0;
                }
            }
            double mean = sum / n;
            double squares = 0; // two passes: the textbook variance, independent of the inspector's Σx² − mean²
            for (float[] batch : outputs) {
                for (float v : batch) {
                    squares += (v - mean) * (v - mean);
                }
            }
            int dead = 0;
            for (boolean p : positive) {
                dead += p ? 0 : 1;
            }
            for (String layer : List.of("dense", "recorder")) {
                Inspection.Row r = row(h, layer, epoch);
                assertEquals(mean, r.activationMean(), 1e-9 * Math.max(1, Math.abs(mean)), layer);
                assertEquals(Math.sqrt(squares / n), r.activationStd(), 1e-9, layer);
                assertEquals(dead / 6.0, r.deadFraction(), 0, layer);
            }
        }
        assertNull(row(h, "dense_1", 1).deadFraction(), "a softmax output has no dead units");
        assertNull(row(h, "recorder", 1).gradNorm(), "no parameters, no gradient norm");
    }

    @Test
    void aConv2DFilterIsOneUnitOverEveryPositionAndImage() {
        Tensor[] data = FreezingTest.images(12, 5);
        Conv2D conv = new Conv2D(4, 3, "same", "relu");
        Recorder recorder = new Recorder(true);
        Sequential model = new Sequential(2, conv, recorder, new Flatten(), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.build(6, 6, 1);
        List<Tensor> w = model.layers().get(0).getWeights();
        w.get(1).data()[2] = -1000f; // filter 2's bias: never positive anywhere
        model.layers().get(0).setWeights(w);
        History h = model.fit(data[0], data[1], inspected(1, 4));
        boolean[] positive = new boolean[4];
        for (float[] batch : recorder.seen) {
            for (int i = 0; i < batch.length; i++) {
                positive[i % 4] |= batch[i] > 0; // NHWC: the channel is the fastest index
            }
        }
        int dead = 0;
        for (boolean p : positive) {
            dead += p ? 0 : 1;
        }
        assertEquals(1, dead, "the brute force sees exactly the killed filter");
        assertEquals(0.25, row(h, "conv2d", 1).deadFraction(), 0);
    }

    @Test
    void aReluLayerWithAHugeNegativeBiasIsDeadAndWarnedAbout() {
        Tensor[] data = SequentialTest.blobs(10, 3);
        Sequential model = new Sequential(1, new Dense(5, "relu"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        model.build(2);
        List<Tensor> w = model.layers().get(0).getWeights();
        java.util.Arrays.fill(w.get(1).data(), -100f);
        model.layers().get(0).setWeights(w);
        History[] h = new History[1];
        String out = printed(() -> model.fit(data[0], data[1], inspected(1, 10)), h);
        Inspection.Row r = row(h[0], "dense", 1);
        assertEquals(1.0, r.deadFraction(), 0);
        assertTrue(r.status().contains("dead"), r.status());
        assertEquals(0.0, r.gradNorm(), 0, "a dead layer gets no gradient");
        assertTrue(r.status().contains("stalled"), "and so does not move: " + r.status());
        assertTrue(out.contains("layer dense: stalled (frozen in effect) — update/weight ratio 0, below 1e-7: no "
                + "gradient reaches it"), out);
        assertTrue(out.contains("inspect warning: epoch 1, layer dense: dead — 100% of its 5 units"), out);
        assertTrue(h[0].inspection().warnings().stream().anyMatch(s -> s.contains("layer dense: dead")));
        assertEquals("ok", row(h[0], "dense_1", 1).status());
    }

    @Test
    void aFrozenLayerReportsRatioZeroAsFrozenWithoutAWarning() {
        Tensor[] data = SequentialTest.blobs(10, 3);
        Dense hidden = new Dense(5, "tanh");
        hidden.setTrainable(false);
        Sequential model = new Sequential(1, hidden, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        History h = model.fit(data[0], data[1], inspected(2, 10));
        for (int epoch = 1; epoch <= 2; epoch++) {
            Inspection.Row r = row(h, "dense", epoch);
            assertEquals(0.0, r.updateRatio(), 0);
            assertEquals(0.0, r.gradNorm(), 0);
            assertEquals("frozen", r.status());
        }
        assertTrue(h.inspection().warnings().isEmpty(), h.inspection().warnings().toString());
        assertTrue(row(h, "dense_1", 1).updateRatio() > 0);
    }

    @Test
    void updateRatioAndGradientNormMatchOneSgdStepWorkedByHand() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        Tensor y = Tensor.zeros(12, 2);
        for (int i = 0; i < 12; i++) {
            y.data()[2 * i] = data[1].data()[i];
        }
        float lr = 0.05f;
        Sequential model = new Sequential(3, new Dense(2)).compile(new MeanSquaredError(), new Sgd(lr));
        model.build(2);
        model.layers().get(0).params().get(1).value().data()[0] = 0.5f; // a non-zero bias: part of the vector
        List<Tensor> before = model.getWeights();
        History h = model.fit(data[0], y, inspected(1, 12)); // one batch: one step
        List<Tensor> after = model.getWeights();
        double d2 = 0;
        double w2 = 0;
        for (int p = 0; p < before.size(); p++) {
            for (int i = 0; i < before.get(p).size(); i++) {
                double b = before.get(p).data()[i];
                double a = after.get(p).data()[i];
                d2 += (a - b) * (a - b);
                w2 += b * b;
            }
        }
        Inspection.Row r = row(h, "dense", 1);
        assertEquals(Math.sqrt(d2 / w2), r.updateRatio(), 1e-12);
        // SGD: w_after = w_before − lr·g, so ‖g‖ = ‖Δw‖ / lr (up to the float rounding of the update)
        assertEquals(Math.sqrt(d2) / lr, r.gradNorm(), 1e-4 * r.gradNorm());
    }

    @Test
    void parameterFiguresAreTheMeanOverEveryTenthStepWorkedByHand() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        float lr = 0.05f;
        Sequential model = new Sequential(3, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Sgd(lr));
        model.build(2);
        List<float[]> weights = new ArrayList<>(); // kernel and bias as one vector, before step 1 and after each
        Callback snapshot = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
                weights.add(flat(model));
            }
        };
        weights.add(flat(model));
        History h = model.fit(data[0], data[1], inspected(1, 1).withCallbacks(List.of(new Inspector(), snapshot))); // 12 steps
        assertEquals(13, weights.size());
        double ratios = 0;
        double norms = 0;
        for (int step : new int[]{1, 11}) { // PARAMETER_EVERY = 10: steps 1 and 11 of 12
            double d2 = 0;
            double w2 = 0;
            for (int i = 0; i < weights.get(0).length; i++) {
                double before = weights.get(step - 1)[i];
                double d = weights.get(step)[i] - before;
                d2 += d * d;
                w2 += before * before;
            }
            ratios += Math.sqrt(d2 / w2);
            norms += Math.sqrt(d2) / lr; // SGD: ‖g‖ = ‖Δw‖ / lr
        }
        Inspection.Row r = row(h, "dense", 1);
        assertEquals(10, Inspector.PARAMETER_EVERY, "the steps above assume it");
        assertEquals(ratios / 2, r.updateRatio(), 1e-12);
        assertEquals(norms / 2, r.gradNorm(), 1e-4 * r.gradNorm());
    }

    private static float[] flat(Sequential model) {
        List<Tensor> w = model.getWeights();
        float[] out = new float[w.get(0).size() + w.get(1).size()];
        System.arraycopy(w.get(0).data(), 0, out, 0, w.get(0).size());
        System.arraycopy(w.get(1).data(), 0, out, w.get(0).size(), w.get(1).size());
        return out;
    }

    @Test
    void aHugeLearningRateIsWarnedAsExploding() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        Sequential model = new Sequential(3, new Dense(1)).compile(new MeanSquaredError(), new Sgd(50f));
        History[] h = new History[1];
        String out = printed(() -> model.fit(data[0], data[1].reshape(12, 1), inspected(1, 12)), h);
        Inspection.Row r = row(h[0], "dense", 1);
        assertTrue(r.updateRatio() > Inspector.EXPLODING_RATIO, "ratio " + r.updateRatio());
        assertEquals("exploding", r.status());
        assertTrue(out.contains("layer dense: exploding — update/weight ratio"), out);
    }

    @Test
    void hugeWeightsGiveHugeOutputsWarnedAsExploding() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        Sequential model = new Sequential(3, new Dense(1)).compile(new MeanSquaredError(), new Sgd(1e-6f));
        model.build(2);
        java.util.Arrays.fill(model.layers().get(0).params().get(0).value().data(), 1e4f);
        History h = model.fit(data[0], data[1].reshape(12, 1), inspected(1, 12));
        Inspection.Row r = row(h, "dense", 1);
        assertTrue(r.activationStd() > Inspector.EXPLODING_ACTIVATION, "std " + r.activationStd());
        assertEquals("exploding", r.status(), "the update ratio itself is moderate: " + r.updateRatio());
        assertTrue(h.inspection().warnings().get(0).contains("exploding — its outputs have mean"),
                h.inspection().warnings().toString());
    }

    @Test
    void aVanishingLearningRateIsWarnedAsStalled() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        Sequential model = new Sequential(3, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Sgd(1e-12f));
        History h = model.fit(data[0], data[1], inspected(1, 4));
        Inspection.Row r = row(h, "dense", 1);
        assertTrue(r.updateRatio() < Inspector.STALLED_RATIO, "ratio " + r.updateRatio());
        assertTrue(r.gradNorm() > 0, "the gradient is there, the update is rounded away");
        assertEquals("stalled", r.status());
        assertTrue(h.inspection().warnings().get(0).contains("stalled (frozen in effect)")
                && h.inspection().warnings().get(0).contains("float rounding"), h.inspection().warnings().toString());
    }

    @Test
    void offRecordsNothingAndTheCsvHasOneRowPerLayerAndEpoch() {
        Tensor[] data = SequentialTest.blobs(4, 8);
        Sequential model = new Sequential(3, new Dense(4, "relu"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam());
        assertNull(model.fit(data[0], data[1], inspected(1, 4).withCallbacks(List.of())).inspection());
        Inspection inspection = model.fit(data[0], data[1], inspected(3, 4)).inspection();
        List<List<Object>> rows = inspection.csvRows();
        assertEquals(6, rows.size());
        assertEquals(Inspection.HEADER.size(), rows.get(0).size());
        assertEquals(List.of(1, "dense", "dense"), rows.get(0).subList(0, 3));
        assertEquals(List.of(3, "dense_1", "dense"), rows.get(5).subList(0, 3));
        assertNull(rows.get(1).get(5), "dense_1 is no ReLU: empty dead_fraction cell");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inspection.rowsOf("conv"));
        assertTrue(e.getMessage().contains("no layer 'conv'") && e.getMessage().contains("[dense, dense_1]"),
                e.getMessage());
    }

    @Test
    void theUnrolledSumsEqualPlainLoopsForEveryLengthAndOffset() {
        Rng rng = new Rng(9);
        for (int n : new int[]{0, 1, 2, 3, 4, 5, 7, 8, 9, 1001}) {
            float[] a = new float[n];
            float[] b = new float[n + 3];
            for (int i = 0; i < n; i++) {
                a[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rng.nextGaussian();
            }
            double sum = 0;
            double squares = 0;
            double tailSquares = 0;
            double differences = 0;
            double bSquares = 0;
            for (int i = 0; i < n; i++) {
                sum += a[i];
                squares += (double) a[i] * a[i];
                tailSquares += i >= 1 ? (double) a[i] * a[i] : 0;
                double d = (double) a[i] - b[3 + i];
                differences += d * d;
                bSquares += (double) b[3 + i] * b[3 + i];
            }
            assertEquals(sum, Inspector.sum(a), 1e-12 * (1 + Math.abs(sum)), "n = " + n);
            assertEquals(squares, Inspector.sumOfSquares(a, 0, n), 1e-12 * (1 + squares), "n = " + n);
            assertEquals(tailSquares, Inspector.sumOfSquares(a, Math.min(1, n), n), 1e-12 * (1 + squares));
            double[] sums = {1, 2}; // it adds to what is there
            Inspector.addSquaredDifferencesAndSquares(a, b, 3, sums);
            assertEquals(1 + differences, sums[0], 1e-12 * (1 + differences), "n = " + n);
            assertEquals(2 + bSquares, sums[1], 1e-12 * (1 + bSquares), "n = " + n);
        }
    }
}
