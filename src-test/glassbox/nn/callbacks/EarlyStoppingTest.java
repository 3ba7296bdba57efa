package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.nn.optim.Sgd;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EarlyStopping driven epoch by epoch with made-up records, so each expected stopping epoch is worked out
 * by hand from Keras's rule, plus two runs inside a real fit.
 */
class EarlyStoppingTest {

    static History.Epoch valLoss(int epoch, double value) {
        return new History.Epoch(epoch, 1.0, Double.NaN, value, Double.NaN, 0.1);
    }

    static History.Epoch valAccuracy(int epoch, double value) {
        return new History.Epoch(epoch, 1.0, 0.5, 1.0, value, 0.1);
    }

    /** Gives the model weights no other epoch has, and returns a copy of them. */
    static List<Tensor> stamp(Sequential model, int epoch) {
        Rng rng = new Rng(1000 + epoch);
        List<Tensor> weights = model.getWeights();
        for (Tensor w : weights) {
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] = (float) rng.uniform(-1, 1);
            }
        }
        model.setWeights(weights);
        return model.getWeights();
    }

    static Sequential smallModel() {
        Sequential model = new Sequential(0, new Dense(3));
        model.build(2);
        return model;
    }

    /** Runs {@code values} (val_loss, or val_accuracy when {@code accuracy}) through the callback until it stops. */
    private static int drive(EarlyStopping stop, Sequential model, boolean accuracy, double... values) {
        stop.setModel(model);
        stop.onTrainBegin(values.length, 1, 1);
        for (int e = 1; e <= values.length; e++) {
            stamp(model, e);
            stop.onEpochEnd(e, accuracy ? valAccuracy(e, values[e - 1]) : valLoss(e, values[e - 1]));
            if (model.stopTrainingRequested()) {
                return e;
            }
        }
        return 0;
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRestoresTheBestWeights() {
        // minDelta 0.1, patience 2, min mode:
        //   epoch 1: 1.00 beats +inf            → best 1.00, wait 0
        //   epoch 2: 0.80 + 0.1 < 1.00          → best 0.80, wait 0
        //   epoch 3: 0.75 + 0.1 < 0.80? no      → wait 1  (0.75 is lower, but not by more than minDelta)
        //   epoch 4: 0.72 + 0.1 < 0.80? no      → wait 2 = patience: stop after epoch 4
        Sequential model = smallModel();
        EarlyStopping stop = new EarlyStopping("val_loss", 0.1, 2, "auto", true, Double.NaN);
        List<List<Tensor>> byEpoch = new ArrayList<>();
        stop.setModel(model);
        stop.onTrainBegin(6, 1, 1);
        double[] values = {1.00, 0.80, 0.75, 0.72, 0.1, 0.1};
        int e = 1;
        for (; e <= values.length && !model.stopTrainingRequested(); e++) {
            byEpoch.add(stamp(model, e));
            stop.onEpochEnd(e, valLoss(e, values[e - 1]));
        }
        assertEquals(5, e, "no epoch after the 4th was run");
        assertEquals(4, stop.stoppedEpoch());
        assertEquals(2, stop.bestEpoch());
        assertEquals(0.80, stop.bestValue());

        stop.onTrainEnd(null);
        List<Tensor> restored = model.getWeights();
        for (int i = 0; i < restored.size(); i++) {
            assertArrayEquals(byEpoch.get(1).get(i).data(), restored.get(i).data(), "epoch 2's weights, bit for bit");
        }
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochThatDoesNotImprove() {
        // 1.0 (best), 0.9 (best), 0.95: wait 1 >= 0 → stop after epoch 3
        EarlyStopping stop = new EarlyStopping();
        assertEquals(3, drive(stop, smallModel(), false, 1.0, 0.9, 0.95, 0.5));
        assertEquals(3, stop.stoppedEpoch());
    }

    @Test
    void aBaselineThatIsNotBeatenKeepsTheWaitRunning() {
        // patience 2, values 0.9, 0.95.
        // Without a baseline: epoch 1 improves (wait 0); epoch 2 does not (wait 1); epoch 3 (0.95): wait 2 → stop at 3.
        // With baseline 0.5: epoch 1 improves on +inf but not on 0.5, so wait is not reset (1); epoch 2: wait 2 → stop at 2.
        assertEquals(3, drive(new EarlyStopping("val_loss", 0, 2, "min", false, Double.NaN), smallModel(), false,
                0.9, 0.95, 0.95, 0.95));
        assertEquals(2, drive(new EarlyStopping("val_loss", 0, 2, "min", false, 0.5), smallModel(), false,
                0.9, 0.95, 0.95, 0.95));
    }

    @Test
    void modeAutoMaximisesAccuracy() {
        // 0.5, 0.6, 0.55 with patience 0: maximising, epoch 2 improves and epoch 3 stops;
        // minimising would have stopped at epoch 2.
        EarlyStopping stop = new EarlyStopping("val_accuracy", 0);
        assertTrue(stop.maximizes());
        assertEquals(3, drive(stop, smallModel(), true, 0.5, 0.6, 0.55));
        assertEquals(2, stop.bestEpoch());
        assertFalse(new EarlyStopping("val_loss", 0).maximizes());
        assertEquals(2, drive(new EarlyStopping("val_accuracy", 0, 0, "min", false, Double.NaN), smallModel(), true,
                0.5, 0.6, 0.55));
    }

    @Test
    void aMissingMonitorWarnsOnceAndNeverStops() {
        EarlyStopping stop = new EarlyStopping("val_loss", 0);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        stop.warnings = new PrintStream(err, true, StandardCharsets.UTF_8);
        Sequential model = smallModel();
        stop.setModel(model);
        stop.onTrainBegin(3, 1, 1);
        for (int e = 1; e <= 3; e++) {
            stop.onEpochEnd(e, new History.Epoch(e, 1.0 / e, Double.NaN, Double.NaN, Double.NaN, 0.1));
        }
        assertFalse(model.stopTrainingRequested());
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("val_loss") && text.contains("[loss]"), text);
    }

    @Test
    void argumentsAreChecked() {
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping("val_loss", 0, 1, "bigger", false, Double.NaN));
        assertEquals("EarlyStopping mode must be \"auto\", \"min\" or \"max\", got \"bigger\"", mode.getMessage());
        IllegalArgumentException patience = assertThrows(IllegalArgumentException.class,
                () -> new EarlyStopping("val_loss", -1));
        assertEquals("EarlyStopping patience must be >= 0, got -1", patience.getMessage());
        IllegalStateException detached = assertThrows(IllegalStateException.class,
                () -> new EarlyStopping().onEpochEnd(1, valLoss(1, 1)));
        assertTrue(detached.getMessage().contains("has no model"), detached.getMessage());
    }

    /** Keeps a copy of the weights at the end of every epoch of a real fit. */
    static final class Snapshots implements Callback {
        final List<List<Tensor>> byEpoch = new ArrayList<>();
        Sequential model;

        @Override
        public void setModel(Sequential model) {
            this.model = model;
        }

        @Override
        public void onEpochEnd(int epoch, History.Epoch record) {
            byEpoch.add(model.getWeights());
        }
    }

    static Tensor[] regression() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.zeros(40, 2);
        Tensor y = Tensor.zeros(40, 1);
        for (int i = 0; i < 40; i++) {
            x.data()[2 * i] = (float) rng.uniform(-1, 1);
            x.data()[2 * i + 1] = (float) rng.uniform(-1, 1);
            y.data()[i] = 3 * x.data()[2 * i] - x.data()[2 * i + 1];
        }
        return new Tensor[]{x, y};
    }

    @Test
    void insideFitItStopsEarlyAndRestoresTheBestEpoch() {
        // The training loss falls every epoch, but a minDelta of 100 means nothing after epoch 1 counts:
        // epochs 2 and 3 fail to improve, patience 2 → training stops after epoch 3, back to epoch 1's weights.
        Tensor[] data = regression();
        Sequential model = new Sequential(1, new Dense(1)).compile(new MeanSquaredError(), new Sgd(0.05f));
        EarlyStopping stop = new EarlyStopping("loss", 100, 2, "auto", true, Double.NaN);
        Snapshots snapshots = new Snapshots();
        History h = model.fit(data[0], data[1], FitOptions.defaults().withEpochs(10).withVerbose(false)
                .withBatchSize(8).withCallbacks(List.of(stop, snapshots)));
        assertEquals(3, h.epochs().size());
        assertEquals(3, stop.stoppedEpoch());
        assertTrue(h.get("loss")[2] < h.get("loss")[0], "the loss did fall");
        for (int i = 0; i < model.getWeights().size(); i++) {
            assertArrayEquals(snapshots.byEpoch.get(0).get(i).data(), model.getWeights().get(i).data());
        }
    }

    @Test
    void bestWeightsAreRestoredAtTheEndEvenWithoutAnEarlyStopAsInKeras3() {
        Tensor[] data = regression();
        Sequential model = new Sequential(1, new Dense(1)).compile(new MeanSquaredError(), new Sgd(0.05f));
        EarlyStopping stop = new EarlyStopping("loss", 100, 10, "auto", true, Double.NaN);
        Snapshots snapshots = new Snapshots();
        model.fit(data[0], data[1], FitOptions.defaults().withEpochs(3).withVerbose(false).withBatchSize(8)
                .withCallbacks(List.of(stop, snapshots)));
        assertEquals(0, stop.stoppedEpoch());
        assertEquals(1, stop.bestEpoch());
        for (int i = 0; i < model.getWeights().size(); i++) {
            assertArrayEquals(snapshots.byEpoch.get(0).get(i).data(), model.getWeights().get(i).data());
        }
    }
}
