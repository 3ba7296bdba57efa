package glassbox.nn.callbacks;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventLogTest {
    @TempDir
    Path dir;

    private static List<JsonObject> records(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void logsEveryStepAndEpochOfEachFitWithTheHistorysValues() throws IOException {
        Path file = dir.resolve("events.jsonl");
        float[] x = new float[40];
        float[] y = new float[20];
        for (int i = 0; i < 20; i++) {
            x[2 * i] = i / 20f;
            x[2 * i + 1] = 1 - i / 20f;
            y[i] = i / 10f;
        }
        History first = null;
        for (String fit : List.of("seed 0", "seed \"1\"")) {
            Sequential model = new Sequential(3, new Dense(1)).compile(new MeanSquaredError(), new Sgd(0.1f));
            History h = model.fit(new Tensor(x, 20, 2), new Tensor(y, 20, 1), FitOptions.defaults().withEpochs(2)
                    .withBatchSize(8).withVerbose(false).withCallbacks(List.of(new EventLog(file, fit, 0))));
            first = first == null ? h : first;
        }
        List<JsonObject> records = records(file);
        // per fit: fit, 3 steps × 2 epochs with an epoch record after each, end
        assertEquals(2 * (1 + 2 * (3 + 1) + 1), records.size());
        assertEquals("fit", records.get(0).get("type").getAsString());
        assertEquals(3, records.get(0).get("steps").getAsInt());
        JsonObject step = records.get(3);
        assertEquals("step", step.get("type").getAsString());
        assertEquals(3, step.get("step").getAsInt());
        assertTrue(step.get("accuracy").isJsonNull(), "an MSE fit has no accuracy: null, not NaN");
        JsonObject epoch = records.get(4);
        assertEquals("epoch", epoch.get("type").getAsString());
        assertEquals(first.epochs().get(0).loss(), epoch.get("loss").getAsDouble(), 0.0, "the history's exact value");
        assertEquals(epoch.get("loss").getAsDouble(), step.get("loss").getAsDouble(), 0.0,
                "the last step's running mean is the epoch's loss");
        assertEquals("end", records.get(9).get("type").getAsString());
        assertEquals("seed \"1\"", records.get(10).get("fit").getAsString(), "fit names are JSON-escaped");
    }

    /** Sampled: each epoch's first and last step always, the others when 20 ms have passed since the last kept. */
    @Test
    void keepsEachEpochsFirstAndLastStepAndSamplesTheRest() throws IOException {
        Path file = dir.resolve("sampled.jsonl");
        EventLog log = new EventLog(file, "x", 1_000_000_000L); // one a second: only the first and last here
        log.onTrainBegin(2, 100, 1000);
        for (int epoch = 1; epoch <= 2; epoch++) {
            log.onEpochBegin(epoch);
            for (int step = 1; step <= 100; step++) {
                log.onBatchEnd(epoch, step, 1.0 / step, 0.5);
            }
            log.onEpochEnd(epoch, new History.Epoch(epoch, 0.01, 0.5, Double.NaN, Double.NaN, 0.1));
        }
        History history = new History();
        log.onTrainEnd(history);
        List<JsonObject> steps = records(file).stream().filter(r -> r.get("type").getAsString().equals("step")).toList();
        assertEquals(List.of("1/1", "1/100", "2/1", "2/100"), steps.stream()
                .map(r -> r.get("epoch").getAsInt() + "/" + r.get("step").getAsInt()).toList());
        assertEquals(0.01, steps.get(1).get("loss").getAsDouble(), 0.0, "the last step's running mean");
        assertEquals(1000.0, records(file).get(0).get("step_every_ms").getAsDouble());
    }

    @Test
    void anUnwritableLogNamesTheFile() {
        Path file = dir.resolve("missing-folder").resolve("events.jsonl");
        EventLog log = new EventLog(file, "x");
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> log.onTrainBegin(1, 1, 1));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
}
