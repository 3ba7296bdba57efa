package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.StatefulCallback;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BackupAndRestore in one JVM: a backup written and read back restores weights (BatchNormalization's moving
 * statistics among them), the generators (Dropout's) and the history; a fit interrupted by an exception resumes
 * to the uninterrupted bits; a save that fails half-way leaves the previous backup; a backup of another fit,
 * model or length is refused with a line saying what differs. {@link BackupAndRestoreKillTest} kills processes.
 */
class BackupAndRestoreTest {

    private static FitOptions options(int epochs, Callback... callbacks) {
        return FitOptions.defaults().withEpochs(epochs).withBatchSize(16).withValidationSplit(0.25).withVerbose(false)
                .withCallbacks(List.of(callbacks));
    }

    private static List<float[]> weights(Sequential model) {
        return model.getWeights().stream().map(Tensor::data).toList();
    }

    private static void assertSameWeights(Sequential expected, Sequential actual) {
        List<float[]> a = weights(expected);
        List<float[]> b = weights(actual);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "weight " + i);
        }
    }

    private static void assertSameHistory(History expected, History actual) {
        assertEquals(expected.epochs().size(), actual.epochs().size());
        for (String key : expected.keys()) {
            assertArrayEquals(expected.get(key), actual.get(key), key);
        }
    }

    @Test
    void aFinishedFitsBackupRestoresItWholeWithoutTraining(@TempDir Path dir) throws IOException {
        Tensor[] data = ResumeChild.images(64);
        Sequential trained = ResumeChild.cnn();
        History history = trained.fit(data[0], data[1], options(2, new BackupAndRestore(dir, "cnn", false)));
        assertTrue(Files.exists(dir.resolve("cnn.backup")));
        Rng dropout = trained.layers().stream().filter(l -> l instanceof Dropout).findFirst().orElseThrow()
                .generators().getFirst();

        Sequential restored = ResumeChild.cnn();
        Path events = dir.resolve("events.jsonl");
        List<Integer> epochsBegun = new ArrayList<>();
        Callback count = new Callback() {
            @Override
            public void onEpochBegin(int epoch) {
                epochsBegun.add(epoch);
            }
        };
        History again = restored.fit(data[0], data[1], options(2, new BackupAndRestore(dir, "cnn", false), count,
                new EventLog(events, "cnn")));
        assertEquals(List.of(), epochsBegun, "nothing trained");
        assertSameWeights(trained, restored); // BatchNormalization's moving mean and variance included
        assertSameHistory(history, again);
        assertEquals(Arrays.toString(history.get("loss")), Arrays.toString(again.get("loss")));
        Rng restoredDropout = restored.layers().stream().filter(l -> l instanceof Dropout).findFirst().orElseThrow()
                .generators().getFirst();
        assertEquals(dropout.state(), restoredDropout.state(), "Dropout's generator");
        List<String> lines = Files.readAllLines(events);
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("{\"type\":\"resume\",\"fit\":\"cnn\",\"epoch\":2}", lines.get(1));
        assertTrue(lines.get(2).startsWith("{\"type\":\"end\""));
    }

    @Test
    void aFitInterruptedByAnExceptionResumesToTheUninterruptedBits(@TempDir Path dir) throws IOException {
        Tensor[] data = ResumeChild.blobs(96);
        Sequential uninterrupted = ResumeChild.mlp();
        History expected = uninterrupted.fit(data[0], data[1], options(3, new EarlyStopping("val_loss", 0, 5, "min",
                true, Double.NaN), new BackupAndRestore(dir.resolve("a"))));

        Path events = dir.resolve("events.jsonl");
        Callback crash = new Callback() {
            @Override
            public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
                if (epoch == 2 && step == 2) {
                    throw new IllegalStateException("crash");
                }
            }
        };
        Sequential first = ResumeChild.mlp();
        assertThrows(IllegalStateException.class, () -> first.fit(data[0], data[1], options(3,
                new EarlyStopping("val_loss", 0, 5, "min", true, Double.NaN), new BackupAndRestore(dir.resolve("b")),
                new EventLog(events, "mlp"), crash)));
        Sequential second = ResumeChild.mlp();
        History resumed = second.fit(data[0], data[1], options(3, new EarlyStopping("val_loss", 0, 5, "min", true,
                Double.NaN), new BackupAndRestore(dir.resolve("b")), new EventLog(events, "mlp")));
        assertSameWeights(uninterrupted, second);
        assertSameHistory(expected, resumed);
        assertFalse(Files.exists(dir.resolve("b").resolve("training.backup")), "deleted at the end (Keras's default)");
        List<String> lines = Files.readAllLines(events);
        assertTrue(lines.contains("{\"type\":\"resume\",\"fit\":\"mlp\",\"epoch\":1}"), lines.toString());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("{\"type\":\"fit\"")).count());
    }

    /** A stateful callback whose memory cannot be written at one epoch: the backup of that epoch fails mid-save. */
    private static final class FailingState implements StatefulCallback {
        private final int failAt;
        private int epoch;

        FailingState(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public void onEpochEnd(int epoch, History.Epoch record) {
            this.epoch = epoch;
        }

        @Override
        public void writeState(DataOutputStream out) throws IOException {
            out.writeInt(epoch);
            if (epoch == failAt) {
                throw new IOException("disk full (simulated)");
            }
        }

        @Override
        public void readState(DataInputStream in, String source) throws IOException {
            epoch = in.readInt();
        }
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousBackup(@TempDir Path dir) throws IOException {
        Tensor[] data = ResumeChild.blobs(64);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ResumeChild.mlp().fit(data[0], data[1],
                options(3, new FailingState(2), new BackupAndRestore(dir, "mlp", false))));
        assertTrue(e.getMessage().startsWith("BackupAndRestore could not back epoch 2 up to " + dir.resolve("mlp.backup")
                + ": disk full (simulated)"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("mlp.backup"), files.map(f -> f.getFileName().toString()).toList(),
                    "epoch 1's backup, no temporary file");
        }
        List<Integer> epochsBegun = new ArrayList<>();
        ResumeChild.mlp().fit(data[0], data[1], options(3, new FailingState(-1), new BackupAndRestore(dir, "mlp", false),
                new Callback() {
                    @Override
                    public void onEpochBegin(int epoch) {
                        epochsBegun.add(epoch);
                    }
                }));
        assertEquals(List.of(2, 3), epochsBegun, "resumed after epoch 1");
    }

    @Test
    void aBackupOfAnotherFitModelOrLengthIsRefusedWithWhatDiffers(@TempDir Path dir) throws IOException {
        Tensor[] data = ResumeChild.blobs(64);
        ResumeChild.mlp().fit(data[0], data[1], options(2, new BackupAndRestore(dir, "mlp", false)));
        Path backup = dir.resolve("mlp.backup");
        Files.copy(backup, dir.resolve("other.backup"));

        UncheckedIOException other = assertThrows(UncheckedIOException.class, () -> ResumeChild.mlp().fit(data[0],
                data[1], options(2, new BackupAndRestore(dir, "other", false))));
        assertEquals("cannot resume from the backup " + dir.resolve("other.backup") + ": " + dir.resolve("other.backup")
                + ": it is the backup of fit 'mlp', not of 'other' (delete it to train this fit from the start)",
                other.getMessage());

        UncheckedIOException longer = assertThrows(UncheckedIOException.class, () -> ResumeChild.mlp().fit(data[0],
                data[1], options(3, new BackupAndRestore(dir, "mlp", false))));
        assertTrue(longer.getMessage().contains(": it was saved by a fit of 2 epochs × 3 steps over 48 samples; this "
                + "fit has 3 epochs × 3 steps over 48 samples"), longer.getMessage());

        Sequential wider = new Sequential(11, new Dense(17, "relu"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        UncheckedIOException model = assertThrows(UncheckedIOException.class, () -> wider.fit(data[0], data[1],
                options(2, new BackupAndRestore(dir, "mlp", false))));
        assertTrue(model.getMessage().contains("its weights do not match the model: parameter 0 is dense.kernel(6, 16) "
                + "but the model expects dense.kernel(6, 17)"), model.getMessage());

        Sequential slower = ResumeChild.mlp().compile(new SparseCategoricalCrossentropy(), new Adam(0.001f));
        UncheckedIOException optimiser = assertThrows(UncheckedIOException.class, () -> slower.fit(data[0], data[1],
                options(2, new BackupAndRestore(dir, "mlp", false))));
        assertTrue(optimiser.getMessage().contains("it was saved with the optimiser Adam(learning_rate=0.01"),
                optimiser.getMessage());

        Files.write(backup, Arrays.copyOf(Files.readAllBytes(backup), 100));
        UncheckedIOException cut = assertThrows(UncheckedIOException.class, () -> ResumeChild.mlp().fit(data[0],
                data[1], options(2, new BackupAndRestore(dir, "mlp", false))));
        assertTrue(cut.getMessage().contains(backup + " is truncated"), cut.getMessage());
    }

    @Test
    void itMustComeAfterTheCallbacksWhoseMemoryItKeeps(@TempDir Path dir) {
        Tensor[] data = ResumeChild.blobs(64);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ResumeChild.mlp().fit(data[0],
                data[1], options(2, new BackupAndRestore(dir), new EarlyStopping())));
        assertEquals("BackupAndRestore must come after EarlyStopping in the callbacks list: it backs up that "
                + "callback's memory after each epoch", e.getMessage());
    }

    @Test
    void fileNamesComeFromTheFitsName() {
        assertEquals("custom-seed-2.backup", BackupAndRestore.fileName("custom, seed 2"));
        assertEquals("a-cluster-labels-seed-1.backup", BackupAndRestore.fileName("(a) cluster labels, seed 1"));
        assertEquals("selection-t-0-5-mse-0-01-seed-0.backup", BackupAndRestore.fileName("selection t=0.5 (mse < 0.01), seed 0"));
        assertEquals("fit.backup", BackupAndRestore.fileName("()"));
    }
}
