package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.History;
import glassbox.util.Json;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends what {@code fit} does to a JSON-lines file as it happens, for someone watching from another
 * process ({@code ./glassbox board}): TensorBoard's event file in its simplest form. One object per line:
 *
 * <pre>
 * {"type":"fit","fit":"custom, seed 2","epochs":15,"steps":375,"samples":48000,"time":1765059841123}
 * {"type":"step","fit":"custom, seed 2","epoch":1,"step":1,"loss":1.6094,"accuracy":0.2031,"t":0.081}
 * {"type":"epoch","fit":"custom, seed 2","epoch":1,"loss":0.41,"accuracy":0.85,"val_loss":0.33,"val_accuracy":0.88,"seconds":30.2}
 * {"type":"end","fit":"custom, seed 2","epochs":15}
 * </pre>
 *
 * Step records carry the epoch's running means (what Keras's progress bar shows) and {@code t}, seconds since
 * the fit began; a missing figure ({@code NaN}) is {@code null}. Like Keras's {@code TensorBoard(update_freq=N)}
 * the log samples the steps: it keeps a step when {@link #DEFAULT_STEP_NANOS} have passed since the last kept
 * one, and always each epoch's first and last step ({@code "step_every_ms"} in the fit record says how often).
 * A live chart gains nothing from 2,000 points a second; the fit's step count is what a reader's x axis needs. Several fits of one run (seeds, models) share
 * the file, told apart by {@code "fit"}.
 *
 * <p><b>Resumed fits.</b> A fit resumed from a backup ({@link BackupAndRestore}) after its process was killed
 * writes its {@code fit} record again, then
 * <pre>
 * {"type":"resume","fit":"custom, seed 2","epoch":4}
 * </pre>
 * where {@code epoch} is the last epoch the backup completed (and the fit continues with the next). The killed
 * process may have written step and even epoch records of later epochs before it died, and the resumed fit
 * writes them again: a reader drops that fit's records of epochs after {@code epoch} that came before the
 * {@code resume} line. A fit that had finished and is restored whole gives {@code fit}, {@code resume} (its
 * last epoch) and {@code end}.
 *
 * <p>The file is only appended to, so a reader may meet a half-written last line: it should ignore a line
 * without its closing newline. Lines reach the file at most {@link #FLUSH_NANOS} after they are made and
 * always at an epoch's end. A step that is not kept costs a clock read and a comparison; a kept one stores its
 * five numbers, formatted in one loop when written. (Formatting every step as it came cost 10–15 µs a step
 * in an MLP's first epoch, 3 % of it; keeping every step, formatted later, still about 1 %; sampled, well under
 * 1 %: docs/performance.md.)
 */
public final class EventLog implements Callback {
    /** How long a step record may wait in memory before it is written: a tenth of a second. */
    static final long FLUSH_NANOS = 100_000_000L;
    /** The least time between two kept step records (besides each epoch's first and last): 20 ms. */
    public static final long DEFAULT_STEP_NANOS = 20_000_000L;

    private final Path file;
    private final String fit;
    private final String fitJson;
    /** Step records not yet written: epoch, step, loss, accuracy, seconds since the fit began. */
    private static final int PENDING = 4096;
    private final int[] epochs = new int[PENDING];
    private final int[] steps = new int[PENDING];
    private final double[] losses = new double[PENDING];
    private final double[] accuracies = new double[PENDING];
    private final double[] times = new double[PENDING];
    private int pending;
    private BufferedWriter writer;
    private long fitStart;
    private long lastFlush;
    private boolean epochSeen; // whether this fit has begun an epoch: the first one tells a resumed fit
    private final long stepNanos;
    private long lastKept;
    private boolean keepNext; // the next step is an epoch's first: kept whatever the clock says
    /** The last step seen, kept or not: an epoch's last step is written at its end. */
    private int lastStep;
    private double lastLoss;
    private double lastAccuracy;
    private long lastTime;
    private boolean lastStepKept;

    /** Appends to {@code file}, naming this fit {@code fit} (e.g. {@code "custom, seed 2"}). */
    public EventLog(Path file, String fit) {
        this(file, fit, DEFAULT_STEP_NANOS);
    }

    /** As {@link #EventLog(Path, String)}, keeping a step record at most every {@code stepNanos} (0: every step). */
    public EventLog(Path file, String fit, long stepNanos) {
        if (stepNanos < 0) {
            throw new IllegalArgumentException("stepNanos must be ≥ 0, not " + stepNanos);
        }
        this.file = file;
        this.fit = fit;
        this.fitJson = Json.toJson(fit);
        this.stepNanos = stepNanos;
    }

    public Path file() {
        return file;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
        try {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event log " + file + " for appending: " + e.getMessage(), e);
        }
        fitStart = System.nanoTime();
        lastFlush = fitStart;
        epochSeen = false;
        line("{\"type\":\"fit\",\"fit\":" + fitJson + ",\"epochs\":" + epochs + ",\"steps\":" + stepsPerEpoch
                + ",\"samples\":" + samples + ",\"time\":" + System.currentTimeMillis() + ",\"step_every_ms\":"
                + stepNanos / 1e6 + "}");
        flush();
    }

    /** The first epoch of a fit is 1 unless the fit resumed after {@code epoch − 1} completed ones. */
    @Override
    public void onEpochBegin(int epoch) {
        if (!epochSeen && epoch > 1) {
            resumed(epoch - 1);
        }
        epochSeen = true;
        keepNext = true;
        lastStep = 0;
    }

    private void resumed(int lastCompleted) {
        line("{\"type\":\"resume\",\"fit\":" + fitJson + ",\"epoch\":" + lastCompleted + "}");
        flush();
    }

    @Override
    public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
        long now = System.nanoTime();
        lastStep = step;
        lastLoss = meanLoss;
        lastAccuracy = meanAccuracy;
        lastTime = now;
        lastStepKept = keepNext || now - lastKept >= stepNanos;
        if (lastStepKept) {
            keep(epoch, step, meanLoss, meanAccuracy, now);
            keepNext = false;
            if (pending == PENDING || now - lastFlush >= FLUSH_NANOS) {
                flush();
            }
        }
    }

    private void keep(int epoch, int step, double meanLoss, double meanAccuracy, long now) {
        epochs[pending] = epoch;
        steps[pending] = step;
        losses[pending] = meanLoss;
        accuracies[pending] = meanAccuracy;
        times[pending] = (now - fitStart) / 1e9;
        pending++;
        lastKept = now;
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        if (lastStep > 0 && !lastStepKept) { // the epoch's last step, which the clock passed over
            if (pending == PENDING) {
                writeSteps();
            }
            keep(epoch, lastStep, lastLoss, lastAccuracy, lastTime);
        }
        writeSteps();
        line("{\"type\":\"epoch\",\"fit\":" + fitJson + ",\"epoch\":" + epoch + ",\"loss\":" + number(record.loss())
                + ",\"accuracy\":" + number(record.accuracy()) + ",\"val_loss\":" + number(record.valLoss())
                + ",\"val_accuracy\":" + number(record.valAccuracy()) + ",\"seconds\":" + record.seconds() + "}");
        flush();
    }

    @Override
    public void onTrainEnd(History history) {
        writeSteps();
        if (!epochSeen && !history.epochs().isEmpty()) { // a finished fit restored whole: no epoch ran
            resumed(history.last().epoch());
        }
        line("{\"type\":\"end\",\"fit\":" + fitJson + ",\"epochs\":" + history.epochs().size() + "}");
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the event log " + file + ": " + e.getMessage(), e);
        } finally {
            writer = null;
        }
    }

    @Override
    public String toString() {
        return "EventLog(" + file + ", fit=" + fit + ")";
    }

    private void line(String json) {
        try {
            writer.write(json);
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the event log " + file + ": " + e.getMessage(), e);
        }
    }

    /** Formats the pending step records into the writer's buffer. */
    private void writeSteps() {
        StringBuilder sb = new StringBuilder(pending * 128);
        for (int i = 0; i < pending; i++) {
            sb.append("{\"type\":\"step\",\"fit\":").append(fitJson).append(",\"epoch\":").append(epochs[i])
                    .append(",\"step\":").append(steps[i]).append(",\"loss\":").append(number(losses[i]))
                    .append(",\"accuracy\":").append(number(accuracies[i])).append(",\"t\":").append(times[i])
                    .append("}\n");
        }
        pending = 0;
        try {
            writer.append(sb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the event log " + file + ": " + e.getMessage(), e);
        }
    }

    private void flush() {
        writeSteps();
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the event log " + file + ": " + e.getMessage(), e);
        }
        lastFlush = System.nanoTime();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
