package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import glassbox.util.AtomicFiles;
import glassbox.util.Rng;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The training that {@link BackupAndRestoreKillTest} kills and resumes, run in a child JVM (and, uninterrupted,
 * in the test's own): {@code ResumeChild <mlp|cnn|two> <backupDir> <resultFile> [pauseEpoch pauseStep]}.
 *
 * <p>{@code mlp} is Dense → Dense with Adam, {@code cnn} Conv2D → BatchNormalization → MaxPooling2D → Dropout →
 * Flatten → Dense, each on small synthetic data with a validation split, a ModelCheckpoint (best only) and an
 * EarlyStopping that restores the best weights, so that their memory must survive the resume too. {@code two}
 * runs both, one after the other, as an experiment does: the first fit finished, the second interrupted. The
 * result file holds, per fit, a SHA-256 of every final weight's bits, of the checkpoint file, and every epoch's
 * figures as raw bits. With a pause, the fit prints {@value #PAUSED} at that epoch and step and sleeps, to be
 * killed there.
 */
public final class ResumeChild {
    static final String PAUSED = "ResumeChild paused mid-epoch";
    static final int EPOCHS = 4;

    public static void main(String[] args) throws Exception {
        Path backups = Path.of(args[1]);
        int[] pause = args.length > 3 ? new int[]{Integer.parseInt(args[3]), Integer.parseInt(args[4])} : null;
        String result = run(args[0], backups, pause);
        AtomicFiles.writeString(Path.of(args[2]), result);
    }

    /** Trains the fits of {@code mode} with their backups in {@code backups}; returns the result text. */
    static String run(String mode, Path backups, int[] pause) throws Exception {
        StringBuilder result = new StringBuilder();
        if (mode.equals("mlp") || mode.equals("two")) {
            result.append(fit("mlp", mlp(), blobs(160), backups, mode.equals("two") ? null : pause, !mode.equals("two")));
        }
        if (mode.equals("cnn") || mode.equals("two")) {
            result.append(fit("cnn", cnn(), images(160), backups, pause, !mode.equals("two")));
        }
        return result.toString();
    }

    static Sequential mlp() {
        return new Sequential(11, new Dense(16, "relu"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
    }

    static Sequential cnn() {
        return new Sequential(12, new Conv2D(4, 3, "same", "relu"), new BatchNormalization(), new MaxPooling2D(),
                new Dropout(0.3), new Flatten(), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
    }

    private static String fit(String name, Sequential model, Tensor[] data, Path backups, int[] pause,
                              boolean deleteBackup) throws Exception {
        Path checkpoint = backups.resolve(name + "-best.weights");
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new ModelCheckpoint(checkpoint, "val_loss", "min", true, true));
        callbacks.add(new EarlyStopping("val_loss", 0, 10, "min", true, Double.NaN));
        callbacks.add(new BackupAndRestore(backups, name, deleteBackup));
        if (pause != null) {
            callbacks.add(new PauseAt(pause[0], pause[1]));
        }
        History history = model.fit(data[0], data[1], FitOptions.defaults().withEpochs(EPOCHS).withBatchSize(16)
                .withValidationSplit(0.25).withVerbose(false).withCallbacks(callbacks));
        StringBuilder sb = new StringBuilder(name).append(" weights ");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (Tensor w : model.getWeights()) {
            for (float v : w.data()) {
                int bits = Float.floatToRawIntBits(v);
                sha.update(new byte[]{(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            }
        }
        sb.append(HexFormat.of().formatHex(sha.digest())).append('\n');
        sb.append(name).append(" checkpoint ").append(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(java.nio.file.Files.readAllBytes(checkpoint)))).append('\n');
        for (History.Epoch e : history.epochs()) {
            sb.append(name).append(" epoch ").append(e.epoch());
            for (double v : new double[]{e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy()}) {
                sb.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(v)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Three blobs in 6 dimensions, labels 0..2. */
    static Tensor[] blobs(int n) {
        Rng rng = new Rng(3);
        Tensor x = Tensor.zeros(n, 6);
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y.data()[i] = c;
            for (int j = 0; j < 6; j++) {
                x.data()[i * 6 + j] = (float) ((j % 3 == c ? 2 : 0) + rng.nextGaussian());
            }
        }
        return new Tensor[]{x, y};
    }

    /** 8 × 8 one-channel images whose class is which third of the columns is bright. */
    static Tensor[] images(int n) {
        Rng rng = new Rng(4);
        Tensor x = Tensor.zeros(n, 8, 8, 1);
        Tensor y = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y.data()[i] = c;
            for (int p = 0; p < 64; p++) {
                x.data()[i * 64 + p] = (float) (rng.uniform(0, 1) + ((p % 8) / 3 == c ? 1 : 0));
            }
        }
        return new Tensor[]{x, y};
    }

    /** Announces the given batch's end on standard output and sleeps there, to be killed. */
    private record PauseAt(int epoch, int step) implements Callback {
        @Override
        public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
            if (epoch == this.epoch && step == this.step) {
                System.out.println(PAUSED + " (epoch " + epoch + ", step " + step + ")");
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
