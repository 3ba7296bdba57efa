package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.StatefulCallback;
import glassbox.nn.TrainingState;
import glassbox.nn.WeightIO;
import glassbox.util.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Backs training up at every epoch's end and, when {@code fit} starts again after an interruption, continues
 * from the last backup: Keras's {@code keras.callbacks.BackupAndRestore(backup_dir, save_freq="epoch",
 * delete_checkpoint=True)}, done fully.
 *
 * <pre>{@code
 * BackupAndRestore backup = new BackupAndRestore(Path.of("runs/backup"));
 * model.fit(x, y, FitOptions.defaults().withEpochs(20).withCallbacks(List.of(backup)));
 * // killed during epoch 12? The same call, in a new process, restores epoch 11's end and trains epochs 12–20.
 * }</pre>
 *
 * <p>At each epoch's end one file, {@code <backupDir>/<fit>.backup}, is replaced atomically
 * ({@link AtomicFiles}: a temporary file, then a rename) with a {@link TrainingState}: the weights, the
 * optimiser's state, every random generator's state, the sample order, the history, the stateful callbacks'
 * memory. A process killed during an epoch resumes from the end of the one before; killed while writing a
 * backup, it finds the previous backup whole (the rename had not happened) and resumes from that one. At
 * {@code onTrainBegin}, if the file exists, everything is put back and {@code fit} continues with the next
 * epoch (Keras's {@code initial_epoch}); the resumed fit ends with the same bits as one never interrupted.
 *
 * <p>Where Keras differs: its backup holds the weights, the optimiser and the epoch, but not the random
 * generators' state, the shuffled order or the other callbacks' memory, so a resumed Keras run is not the
 * uninterrupted one; it also backs up every {@code save_freq} batches on request, which this does not (a
 * resume repeats the interrupted epoch from its start).
 *
 * <p>{@code deleteCheckpoint} (Keras's default true) deletes the backup when training ends. An experiment
 * that runs several fits keeps them instead ({@code false}), one per fit name: when the experiment runs again
 * from the top, a fit that had finished finds its last backup, restores it and trains no epoch — its model,
 * history and callbacks are as the finished fit left them — and the interrupted fit continues.
 *
 * <p>Put it after every {@link StatefulCallback} (EarlyStopping, ModelCheckpoint) in the callbacks list: it
 * must back their memory up after they have seen the epoch, and put it back after their {@code onTrainBegin}
 * has reset them. {@code fit} refuses the other order.
 *
 * <p>For tests that kill a process while it saves: with the system property {@value #PAUSE_PROPERTY} set to an
 * epoch, the backup of that epoch is written to its temporary file, a line starting {@value #PAUSED} is printed,
 * and the thread sleeps before the rename, waiting to be killed.
 */
public final class BackupAndRestore implements Callback {
    /** The system property naming the epoch whose backup pauses before its rename (tests only). */
    public static final String PAUSE_PROPERTY = "glassbox.backup.pause";
    /** What is printed when the backup pauses. */
    public static final String PAUSED = "BackupAndRestore paused before the rename";

    private static final int MAGIC = 0x47425842; // "GBXB"
    private static final int VERSION = 1;

    private final Path file;
    private final String fit;
    private final boolean deleteCheckpoint;
    /** Where the one line about a restore goes (standard output, with the progress). */
    private final PrintStream out = System.out;
    private Sequential model;

    /** Keras's defaults: one fit, named {@code training}, its backup deleted when training ends. */
    public BackupAndRestore(Path backupDir) {
        this(backupDir, "training", true);
    }

    /**
     * @param backupDir        the folder of the backups (made when the first is written)
     * @param fit              this fit's name, unique among the fits that share {@code backupDir}: the file is
     *                         {@link #fileName(String) fileName(fit)}, and a backup of another fit is refused
     * @param deleteCheckpoint delete the backup when training ends (Keras's {@code delete_checkpoint})
     */
    public BackupAndRestore(Path backupDir, String fit, boolean deleteCheckpoint) {
        if (fit == null || fit.isBlank()) {
            throw new IllegalArgumentException("BackupAndRestore needs a fit name, got "
                    + (fit == null ? "null" : "\"" + fit + "\""));
        }
        this.file = backupDir.resolve(fileName(fit));
        this.fit = fit;
        this.deleteCheckpoint = deleteCheckpoint;
    }

    /**
     * The backup's file name for a fit: its name in lower case, each run of other characters than letters
     * and digits made one {@code -}, then {@code .backup} ({@code "custom, seed 2"} → {@code custom-seed-2.backup}).
     */
    public static String fileName(String fit) {
        String base = fit.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return (base.isEmpty() ? "fit" : base) + ".backup";
    }

    /** The backup file. */
    public Path file() {
        return file;
    }

    @Override
    public void setModel(Sequential model) {
        this.model = model;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
        requireAfterStatefulCallbacks();
        deleteLeftTemporaryFiles();
        if (!Files.exists(file)) {
            return;
        }
        try {
            TrainingState state = read();
            state.restore(model);
            boolean over = state.completedEpochs() == epochs || state.stopRequested();
            out.println(over
                    ? "BackupAndRestore: fit '" + fit + "' had finished (" + state.completedEpochs() + " epoch"
                    + (state.completedEpochs() == 1 ? "" : "s") + "): restored from " + file + ", not trained again"
                    : "BackupAndRestore: fit '" + fit + "' resumes after epoch " + state.completedEpochs() + " of "
                    + epochs + " (" + file + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from the backup " + file + ": " + e.getMessage()
                    + " (delete it to train this fit from the start)", e);
        }
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        Integer pauseAt = Integer.getInteger(PAUSE_PROPERTY);
        try {
            AtomicFiles.write(file, stream -> {
                DataOutputStream data = new DataOutputStream(stream);
                data.writeInt(MAGIC);
                data.writeInt(VERSION);
                data.writeUTF(fit);
                TrainingState.write(model, data);
                data.flush();
                if (pauseAt != null && pauseAt == epoch) {
                    pause(epoch);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore could not back epoch " + epoch + " up to " + file + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(History history) {
        if (deleteCheckpoint) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("BackupAndRestore could not delete " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return "BackupAndRestore(" + file + ", fit=" + fit + ")";
    }

    private TrainingState read() throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            WeightIO.readHeader(in, file, MAGIC, VERSION, "backup");
            String saved = in.readUTF();
            if (!saved.equals(fit)) {
                throw new IOException(file + ": it is the backup of fit '" + saved + "', not of '" + fit + "'");
            }
            return TrainingState.read(in, model, file.toString());
        } catch (EOFException e) {
            throw new IOException(file + " is truncated", e);
        } catch (UTFDataFormatException e) {
            throw new IOException(file + ": corrupt: a name is not valid modified UTF-8", e);
        }
    }

    private void requireAfterStatefulCallbacks() {
        if (model == null) {
            throw new IllegalStateException("BackupAndRestore has no model: pass it to fit through FitOptions.withCallbacks");
        }
        List<Callback> callbacks = model.fitCallbacks();
        int own = callbacks.indexOf(this);
        for (int i = own + 1; i < callbacks.size(); i++) {
            if (callbacks.get(i) instanceof StatefulCallback late) {
                throw new IllegalStateException("BackupAndRestore must come after " + late.getClass().getSimpleName()
                        + " in the callbacks list: it backs up that callback's memory after each epoch");
            }
        }
    }

    /** A process killed while it wrote a backup leaves its temporary file ({@code .<name>.<pid>-<n>.tmp}). */
    private void deleteLeftTemporaryFiles() {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "." + file.getFileName() + ".*.tmp")) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore could not clear " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void pause(int epoch) {
        System.out.println(PAUSED + " (epoch " + epoch + ")");
        System.out.flush();
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
