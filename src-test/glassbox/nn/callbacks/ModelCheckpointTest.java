package glassbox.nn.callbacks;

import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.io.FailingLayer;
import glassbox.nn.io.ModelFiles;
import glassbox.nn.layers.Dense;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static glassbox.nn.callbacks.EarlyStoppingTest.regression;
import static glassbox.nn.callbacks.EarlyStoppingTest.smallModel;
import static glassbox.nn.callbacks.EarlyStoppingTest.stamp;
import static glassbox.nn.callbacks.EarlyStoppingTest.valAccuracy;
import static glassbox.nn.callbacks.EarlyStoppingTest.valLoss;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCheckpointTest {
    @TempDir
    Path dir;

    private static void assertSameWeights(List<Tensor> expected, List<Tensor> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i).data(), actual.get(i).data());
        }
    }

    @Test
    void saveBestOnlyWritesOnlyWhenTheMonitorImproves() throws IOException {
        Path file = dir.resolve("best.gbx");
        Sequential model = smallModel();
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, "val_loss", "auto", true, false);
        checkpoint.setModel(model);
        double[] values = {1.0, 0.8, 0.9, 0.7, 0.75};
        int[] bestSoFar = {1, 2, 2, 4, 4}; // val_loss falls at epochs 1, 2 and 4 only
        List<List<Tensor>> byEpoch = new ArrayList<>();
        byte[] previous = null;
        for (int e = 1; e <= values.length; e++) {
            byEpoch.add(stamp(model, e));
            checkpoint.onEpochEnd(e, valLoss(e, values[e - 1]));
            byte[] now = Files.readAllBytes(file);
            boolean improved = bestSoFar[e - 1] == e;
            if (!improved) {
                assertArrayEquals(previous, now, "epoch " + e + " did not improve: the file is untouched");
            }
            assertSameWeights(byEpoch.get(bestSoFar[e - 1] - 1), ModelFiles.load(file).getWeights());
            assertEquals(bestSoFar[e - 1], checkpoint.bestEpoch());
            previous = now;
        }
        assertEquals(0.7, checkpoint.bestValue());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void modeAutoKeepsTheHighestAccuracy() {
        Sequential model = smallModel();
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("acc.gbx"), "val_accuracy", "auto", true, true);
        assertTrue(checkpoint.maximizes());
        checkpoint.setModel(model);
        double[] values = {0.5, 0.7, 0.6};
        for (int e = 1; e <= 3; e++) {
            checkpoint.onEpochEnd(e, valAccuracy(e, values[e - 1]));
        }
        assertEquals(2, checkpoint.bestEpoch());
        assertEquals(0.7, checkpoint.bestValue());
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousCheckpointByteIdenticalAndLoadable() throws IOException {
        Path file = dir.resolve("ckpt.gbx");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, "val_loss", "min", true, false);
        Sequential good = smallModel();
        stamp(good, 1);
        checkpoint.setModel(good);
        checkpoint.onEpochEnd(1, valLoss(1, 1.0));
        byte[] before = Files.readAllBytes(file);

        // The next improving epoch's save crashes after ~480 KB of weights have reached the temporary file.
        FailingLayer failing = new FailingLayer();
        Sequential crashing = new Sequential(0, new Dense(300), failing);
        crashing.build(400);
        failing.arm();
        checkpoint.setModel(crashing);
        assertThrows(IllegalStateException.class, () -> checkpoint.onEpochEnd(2, valLoss(2, 0.5)));

        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
        Tensor x = Tensor.zeros(3, 2);
        x.data()[0] = 1;
        x.data()[3] = -2;
        assertArrayEquals(good.predict(x).data(), ModelFiles.load(file).predict(x).data());
        assertEquals(1, checkpoint.bestEpoch(), "the best is what the file holds");
    }

    @Test
    void epochPlaceholdersNameOneFilePerEpochInsideFit() throws IOException {
        Tensor[] data = regression();
        Sequential model = new Sequential(1, new Dense(1)).compile(new MeanSquaredError(), new Sgd(0.05f));
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("run/model-{epoch:02d}.gbx"));
        assertEquals(dir.resolve("run/model-07.gbx"), checkpoint.fileFor(7));
        assertEquals(Path.of("w-12-12.bin"), new ModelCheckpoint(Path.of("w-{epoch}-{epoch:d}.bin")).fileFor(12));
        model.fit(data[0], data[1], FitOptions.defaults().withEpochs(3).withVerbose(false).withValidationSplit(0.25)
                .withCallbacks(List.of(checkpoint)));
        try (Stream<Path> files = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("model-01.gbx", "model-02.gbx", "model-03.gbx"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(model.predict(data[0]).data(),
                ModelFiles.load(dir.resolve("run/model-03.gbx")).predict(data[0]).data());
    }

    @Test
    void saveWeightsOnlyWritesAWeightsFile() throws IOException {
        Path file = dir.resolve("w.bin");
        Sequential model = smallModel();
        List<Tensor> weights = stamp(model, 3);
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, "val_loss", "auto", false, true);
        checkpoint.setModel(model);
        checkpoint.onEpochEnd(1, valLoss(1, 1.0));
        Sequential other = smallModel();
        other.loadWeights(file);
        assertSameWeights(weights, other.getWeights());
    }

    @Test
    void aMissingMonitorWarnsOnceAndSavesNothingInsteadOfCrashing() {
        Tensor[] data = regression();
        Sequential model = new Sequential(1, new Dense(1)).compile(new MeanSquaredError(), new Sgd(0.05f));
        Path file = dir.resolve("never.gbx");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file, "val_loss", "auto", true, false);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        checkpoint.warnings = new PrintStream(err, true, StandardCharsets.UTF_8);
        History h = model.fit(data[0], data[1], FitOptions.defaults().withEpochs(3).withVerbose(false)
                .withCallbacks(List.of(checkpoint))); // no validation data: no val_loss
        assertEquals(3, h.epochs().size());
        assertFalse(Files.exists(file));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("val_loss available") && text.contains("[loss]"), text);
    }

    @Test
    void argumentsAreChecked() {
        IllegalArgumentException placeholder = assertThrows(IllegalArgumentException.class,
                () -> new ModelCheckpoint(Path.of("m-{val_loss:.2f}.gbx")));
        assertTrue(placeholder.getMessage().contains("m-{val_loss:.2f}.gbx")
                && placeholder.getMessage().contains("{epoch:02d}"), placeholder.getMessage());
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> new ModelCheckpoint(Path.of("m.gbx"), "val_loss", "lowest", true, false));
        assertEquals("ModelCheckpoint mode must be \"auto\", \"min\" or \"max\", got \"lowest\"", mode.getMessage());
    }
}
