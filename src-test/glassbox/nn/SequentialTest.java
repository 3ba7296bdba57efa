package glassbox.nn;

import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SequentialTest {

    /** Three Gaussian blobs in 2-D, far apart: linearly separable. */
    static Tensor[] blobs(int perClass, long seed) {
        Rng rng = new Rng(seed);
        double[][] centres = {{-3, 0}, {3, 0}, {0, 4}};
        Tensor x = Tensor.zeros(3 * perClass, 2);
        Tensor y = Tensor.zeros(3 * perClass);
        for (int i = 0; i < 3 * perClass; i++) {
            int c = i % 3;
            x.data()[2 * i] = (float) (centres[c][0] + 0.7 * rng.nextGaussian());
            x.data()[2 * i + 1] = (float) (centres[c][1] + 0.7 * rng.nextGaussian());
            y.data()[i] = c;
        }
        return new Tensor[]{x, y};
    }

    private static Sequential mlp(long seed) {
        return new Sequential(seed, new Dense(16, "relu"), new Dense(3, "sigmoid"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
    }

    private static FitOptions quiet(int epochs) {
        return FitOptions.defaults().withEpochs(epochs).withVerbose(false);
    }

    @Test
    void tinyNetworkLearnsSeparableBlobs() {
        Tensor[] train = blobs(200, 1);
        Tensor[] test = blobs(100, 2);
        Sequential model = mlp(7);
        History h = model.fit(train[0], train[1], quiet(5));
        assertTrue(h.epochs().get(4).loss() < h.epochs().get(0).loss(), "loss should fall");
        Sequential.Evaluation e = model.evaluate(test[0], test[1]);
        assertTrue(e.accuracy() > 0.95, "test accuracy " + e.accuracy());
    }

    @Test
    void sameSeedGivesIdenticalWeightsAndLoss() {
        Tensor[] train = blobs(50, 3);
        Sequential a = mlp(11);
        Sequential b = mlp(11);
        double lossA = a.fit(train[0], train[1], quiet(1)).last().loss();
        double lossB = b.fit(train[0], train[1], quiet(1)).last().loss();
        assertEquals(lossA, lossB, 0.0);
        for (int i = 0; i < a.params().size(); i++) {
            assertArrayEquals(a.params().get(i).value().data(), b.params().get(i).value().data());
        }
        Sequential c = mlp(12);
        c.build(2);
        assertNotEquals(a.params().get(0).value().data()[0], c.params().get(0).value().data()[0]);
    }

    @Test
    void nanLossStopsTrainingNamingEpochAndStep() {
        Tensor[] train = blobs(50, 3);
        Sequential model = new Sequential(1, new Dense(8, "relu"), new Dense(3))
                .compile(new glassbox.nn.loss.MeanSquaredError(), new Sgd(1e6f));
        Tensor y = Tensor.zeros(150, 3);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> model.fit(train[0], y, quiet(20)));
        assertTrue(e.getMessage().contains("epoch " + e.epoch()) && e.getMessage().contains("step " + e.step()),
                e.getMessage());
    }

    @Test
    void nonFiniteInputIsRejectedBeforeTraining() {
        Tensor[] train = blobs(5, 3);
        train[0].data()[7] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp(1).fit(train[0], train[1], quiet(1)));
        assertTrue(e.getMessage().contains("sample 3"), e.getMessage());
    }

    @Test
    void mismatchedSampleCountsNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> mlp(1).fit(Tensor.zeros(10, 2), Tensor.zeros(9), quiet(1)));
        assertTrue(e.getMessage().contains("(10, 2)") && e.getMessage().contains("(9,)"), e.getMessage());
    }

    @Test
    void onlyLayersBehindTrainableOnesComputeTheirInputGradient() {
        Sequential model = new Sequential(0, new Flatten(), new Dense(4, "relu"), new Dense(3, "sigmoid"));
        model.build(2, 2);
        assertFalse(model.layers().get(0).inputGradientNeeded());
        assertFalse(model.layers().get(1).inputGradientNeeded(), "dL/dx of the first Dense is never used");
        assertTrue(model.layers().get(2).inputGradientNeeded());
        model.compile(new SparseCategoricalCrossentropy(), new Adam());
        History h = model.fit(Tensor.zeros(4, 2, 2), Tensor.zeros(4), quiet(1).withCallbacks(List.of(new Profile())));
        assertFalse(h.profile().seconds().containsKey("flatten backward"), h.profile().table());
        assertTrue(h.profile().seconds().containsKey("dense backward"), h.profile().table());
    }

    @Test
    void summaryCountsParametersLikeKeras() {
        Sequential model = new Sequential(0, new Flatten(), new Dense(128, "relu"), new Dense(128, "relu"),
                new Dense(10, "sigmoid"));
        model.build(28, 28);
        // 784·128 + 128 = 100480; 128·128 + 128 = 16512; 128·10 + 10 = 1290
        assertEquals(118282, model.countParams());
        String s = model.summary();
        assertTrue(s.contains("dense_1 (Dense)") && s.contains("(None, 128)") && s.contains("100480") && s.contains("Total params: 118,282"), s);
    }

    @Test
    void layerOutputEqualsManualForwardOfTheFirstLayers() {
        Tensor[] data = blobs(4, 5);
        Sequential model = mlp(3);
        model.build(2);
        Tensor hidden = model.layerOutput("dense", data[0], 5);
        Dense first = (Dense) model.layer("dense");
        float[] w = first.params().get(0).value().data();
        float[] b = first.params().get(1).value().data();
        for (int n = 0; n < 12; n++) {
            for (int j = 0; j < 16; j++) {
                double z = b[j] + data[0].data()[2 * n] * w[j] + data[0].data()[2 * n + 1] * w[16 + j];
                assertEquals(Math.max(0, z), hidden.data()[n * 16 + j], 1e-5);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.layerOutput("dense_7", data[0], 5));
        assertTrue(e.getMessage().contains("[dense, dense_1]"), e.getMessage());
    }

    @Test
    void weightsSurviveSaveAndLoad(@TempDir Path dir) throws IOException {
        Tensor[] train = blobs(20, 3);
        Sequential a = mlp(1);
        a.fit(train[0], train[1], quiet(1));
        Path file = dir.resolve("w.bin");
        a.saveWeights(file);
        Sequential b = mlp(2);
        b.build(2);
        b.loadWeights(file);
        assertArrayEquals(a.predict(train[0]).data(), b.predict(train[0]).data());
    }

    @Test
    void loadingATruncatedOrForeignFileFailsAndLeavesWeightsAlone(@TempDir Path dir) throws IOException {
        Sequential a = mlp(1);
        a.build(2);
        Path file = dir.resolve("w.bin");
        a.saveWeights(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        Sequential b = mlp(2);
        b.build(2);
        float[] before = b.params().get(0).value().data().clone();
        IOException e = assertThrows(IOException.class, () -> b.loadWeights(file));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("w.bin"), e.getMessage());
        assertArrayEquals(before, b.params().get(0).value().data());

        Sequential wider = new Sequential(1, new Dense(17, "relu"), new Dense(3, "sigmoid"));
        wider.build(2);
        a.saveWeights(file);
        IOException shape = assertThrows(IOException.class, () -> wider.loadWeights(file));
        assertTrue(shape.getMessage().contains("(2, 16)") && shape.getMessage().contains("(2, 17)"), shape.getMessage());
    }

    @Test
    void setWeightsCopiesAnotherModelsWeightsAndChecksEverythingFirst() {
        Tensor[] data = blobs(5, 4);
        Sequential a = mlp(1);
        Sequential b = mlp(2);
        a.build(2);
        b.build(2);
        java.util.List<Tensor> weights = a.getWeights();
        assertEquals(4, weights.size()); // kernel, bias of each Dense, as Keras lists them
        b.setWeights(weights);
        assertArrayEquals(a.predict(data[0]).data(), b.predict(data[0]).data());

        IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
                () -> b.setWeights(weights.subList(0, 3)));
        assertEquals("the model has 4 weights but setWeights was given 3", count.getMessage());

        Sequential c = mlp(3);
        c.build(2);
        float[] before = c.params().get(0).value().data().clone();
        java.util.List<Tensor> wrong = new java.util.ArrayList<>(weights);
        wrong.set(3, Tensor.zeros(4));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> c.setWeights(wrong));
        assertEquals("layer 'dense_1': weight 'bias' was given shape (4,) but the layer expects (3,)", shape.getMessage());
        assertArrayEquals(before, c.params().get(0).value().data(), "the first layer must not be written either");
    }

    /** A linear unit with a zero kernel and no bias: it predicts 0 for every row until a gradient moves it. */
    private static Sequential zeroUnit() {
        return new Sequential(0, new Dense(1, glassbox.nn.layers.Activation.LINEAR, false,
                glassbox.nn.init.Initializer.zeros(), glassbox.nn.init.Initializer.zeros(), null))
                .compile(new glassbox.nn.loss.MeanSquaredError(), new Sgd(0.1f));
    }

    /** Rows 0–5 have target 0 (the zero unit fits them exactly: loss 0, no gradient); rows 6 and 7 have 10 and 20. */
    private static Tensor[] sixZerosThenTenAndTwenty() {
        Tensor x = Tensor.zeros(8, 1);
        Tensor y = Tensor.zeros(8, 1);
        for (int i = 0; i < 8; i++) {
            x.data()[i] = i + 1;
        }
        y.data()[6] = 10;
        y.data()[7] = 20;
        return new Tensor[]{x, y};
    }

    /** Records what fit tells its callbacks. */
    private static final class Recorder implements Callback {
        Sequential model;
        int samples = -1;
        int batches;
        int epochsEnded;
        boolean trainEnded;

        @Override
        public void setModel(Sequential model) {
            this.model = model;
        }

        @Override
        public void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
            assertTrue(model != null, "setModel comes before onTrainBegin");
            this.samples = samples;
        }

        @Override
        public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
            batches++;
        }

        @Override
        public void onEpochEnd(int epoch, History.Epoch record) {
            epochsEnded++;
        }

        @Override
        public void onTrainEnd(History history) {
            trainEnded = true;
        }
    }

    @Test
    void validationSplitTrainsOnTheFirstRowsAndValidatesOnTheLast() {
        Tensor[] data = sixZerosThenTenAndTwenty();
        Sequential model = zeroUnit();
        Recorder recorder = new Recorder();
        History h = model.fit(data[0], data[1], quiet(3).withBatchSize(4).withValidationSplit(0.25)
                .withCallbacks(java.util.List.of(recorder)));
        assertEquals(6, recorder.samples, "floor(8·0.75) = 6 rows are trained on");
        assertEquals(3 * 2, recorder.batches, "6 rows in batches of 4: 2 steps per epoch");
        // Had row 6 or 7 been trained on, the training loss would be positive and the kernel would move.
        assertArrayEquals(new double[]{0, 0, 0}, h.get("loss"));
        assertEquals(0f, model.params().get(0).value().data()[0]);
        // The validation rows are exactly 6 and 7: (10² + 20²) / 2.
        assertArrayEquals(new double[]{250, 250, 250}, h.get("val_loss"));
        assertEquals(java.util.List.of("loss", "val_loss"), h.keys());
    }

    @Test
    void explicitValidationDataTakesPrecedenceOverTheSplitAsInKeras() {
        Tensor[] data = sixZerosThenTenAndTwenty();
        Recorder recorder = new Recorder();
        History h = zeroUnit().fit(data[0], data[1], quiet(1).withValidationSplit(0.25)
                .withValidation(Tensor.zeros(2, 1), Tensor.zeros(2, 1)).withCallbacks(java.util.List.of(recorder)));
        assertEquals(8, recorder.samples, "every row is trained on");
        assertTrue(h.last().loss() > 0);
        assertEquals(0.0, h.last().valLoss(), 1e-3); // scored on the explicit rows (targets 0), not on rows 6–7
    }

    @Test
    void validationFreqScoresOnlyEveryNthEpochAsKerasValidationFreq() {
        Tensor[] data = sixZerosThenTenAndTwenty();
        History h = zeroUnit().fit(data[0], data[1], quiet(5).withBatchSize(4).withValidationSplit(0.25)
                .withValidationFreq(2));
        double[] val = h.get("val_loss");
        for (int epoch = 1; epoch <= 5; epoch++) {
            if (epoch % 2 == 0) {
                assertEquals(250, val[epoch - 1], 1e-9, "epoch " + epoch + " is validated");
            } else {
                assertTrue(Double.isNaN(val[epoch - 1]), "epoch " + epoch + " is not validated");
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FitOptions.defaults().withValidationFreq(0));
        assertEquals("validationFreq must be >= 1 (validate every N epochs), got 0", e.getMessage());
    }

    @Test
    void historyRecordsGiveEachEpochItsMeasuredLogsInKerasNames() {
        Tensor[] data = sixZerosThenTenAndTwenty();
        History h = zeroUnit().fit(data[0], data[1], quiet(2).withBatchSize(4).withValidationSplit(0.25)
                .withValidationFreq(2));
        java.util.List<java.util.Map<String, Object>> records = h.records();
        assertEquals(2, records.size());
        assertEquals(java.util.List.of("epoch", "loss", "seconds"), java.util.List.copyOf(records.get(0).keySet()));
        assertEquals(java.util.List.of("epoch", "loss", "val_loss", "seconds"),
                java.util.List.copyOf(records.get(1).keySet()));
        assertEquals(2, records.get(1).get("epoch"));
        assertEquals(250.0, (Double) records.get(1).get("val_loss"), 1e-9);
    }

    @Test
    void aValidationSplitOutsideItsRangeOrLeavingASideEmptyIsRejected() {
        for (double bad : new double[]{-0.1, 1.0, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> FitOptions.defaults().withValidationSplit(bad));
            assertEquals("validationSplit must be in [0, 1), got " + bad, e.getMessage());
        }
        Tensor[] data = sixZerosThenTenAndTwenty();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> zeroUnit().fit(data[0], data[1], quiet(1).withValidationSplit(0.9)));
        assertTrue(none.getMessage().contains("validationSplit 0.9 of 8 samples leaves no sample to train on"),
                none.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> zeroUnit().fit(data[0], data[1], quiet(1).withValidationSplit(1e-17)));
        assertTrue(tiny.getMessage().contains("leaves no sample to validate on"), tiny.getMessage());
    }

    @Test
    void historyGetReturnsOneValuePerEpochUnderKerasKeys() {
        Tensor[] train = blobs(10, 3);
        Tensor[] val = blobs(5, 4);
        History h = mlp(1).fit(train[0], train[1], quiet(3).withValidation(val[0], val[1]));
        assertEquals(java.util.List.of("loss", "accuracy", "val_loss", "val_accuracy"), h.keys());
        double[] valAccuracy = h.get("val_accuracy");
        assertEquals(3, valAccuracy.length);
        for (int i = 0; i < 3; i++) {
            assertEquals(h.epochs().get(i).valAccuracy(), valAccuracy[i]);
            assertEquals(h.epochs().get(i).loss(), h.get("loss")[i]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.get("val_acc"));
        assertTrue(e.getMessage().startsWith("no 'val_acc' in this history: it has [loss, accuracy, val_loss, val_accuracy]"),
                e.getMessage());
    }

    @Test
    void theProgressLinePrintsValidationFigures() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        ProgressLogger logger = new ProgressLogger(new java.io.PrintStream(bytes, true));
        logger.onTrainBegin(1, 2, 64);
        logger.onEpochBegin(1);
        logger.onBatchEnd(1, 1, 0.9, 0.5);
        logger.onBatchEnd(1, 2, 0.8, 0.6);
        logger.onEpochEnd(1, new History.Epoch(1, 0.8, 0.6, 0.75, 0.625, 0.1));
        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("loss: 0.8000 - accuracy: 0.6000 - val_loss: 0.7500 - val_accuracy: 0.6250"), out);
    }

    @Test
    void aCallbackStopsTrainingAfterTheCurrentBatchAndTheEpochIsClosed() {
        Tensor[] train = blobs(20, 3); // 60 rows, batch 10: 6 steps per epoch
        Recorder recorder = new Recorder();
        Callback stopAtEpoch2Step3 = new Callback() {
            Sequential model;

            @Override
            public void setModel(Sequential model) {
                this.model = model;
            }

            @Override
            public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
                if (epoch == 2 && step == 3) {
                    model.stopTraining();
                }
            }
        };
        Sequential model = mlp(1);
        History h = model.fit(train[0], train[1], quiet(5).withBatchSize(10)
                .withCallbacks(java.util.List.of(stopAtEpoch2Step3, recorder)));
        assertEquals(2, h.epochs().size());
        assertEquals(6 + 3, recorder.batches);
        assertEquals(2, recorder.epochsEnded, "the stopped epoch still ends (validation, onEpochEnd)");
        assertTrue(recorder.trainEnded);
        assertTrue(model.stopTrainingRequested());
        model.fit(train[0], train[1], quiet(1));
        assertFalse(model.stopTrainingRequested(), "fit clears the request when it starts");
    }
}
