package glassbox.nn.callbacks;

import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.StatefulCallback;
import glassbox.nn.WeightIO;
import glassbox.nn.io.ModelFiles;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model after every epoch, or only when the monitored quantity improved: Keras's
 * {@code keras.callbacks.ModelCheckpoint(filepath, monitor="val_loss", save_best_only=False,
 * save_weights_only=False, mode="auto")}.
 *
 * <pre>{@code
 * ModelCheckpoint best = new ModelCheckpoint(Path.of("runs/best.gbx"), "val_loss", "auto", true, false);
 * model.fit(x, y, FitOptions.defaults().withEpochs(20).withValidationSplit(0.1).withCallbacks(List.of(best)));
 * Sequential restored = ModelFiles.load(Path.of("runs/best.gbx"));   // the epoch best.bestEpoch() left
 * }</pre>
 *
 * <ul>
 *   <li>The file is a whole model ({@link ModelFiles}) or, with {@code saveWeightsOnly}, a weights file
 *       ({@link WeightIO}, for {@link Sequential#loadWeights}). Either is written atomically: a crash during a
 *       save leaves the previous checkpoint byte for byte as it was, still loadable.</li>
 *   <li>The file name may hold the epoch, as in Keras: {@code "model-{epoch:02d}.gbx"} →
 *       {@code model-07.gbx}; {@code {epoch}}, {@code {epoch:d}}, {@code {epoch:3d}} work the same way.
 *       Other placeholders (Keras's {@code {val_loss:.2f}}) are not supported and rejected.</li>
 *   <li>With {@code saveBestOnly}, the file is written only when the monitored value improves on the best
 *       so far (strictly: Keras's ModelCheckpoint has no {@code min_delta}). The best survives from one
 *       {@code fit} to the next, as in Keras. When an epoch's record lacks the monitored value
 *       ({@code val_loss} without validation data), nothing is saved and a warning is printed once — Keras
 *       2 and early Keras 3 do the same; recent Keras 3 saves anyway.</li>
 *   <li>A save that fails stops training with an {@link UncheckedIOException} naming the file.</li>
 * </ul>
 */
public final class ModelCheckpoint extends MonitorCallback implements StatefulCallback {
    /** {@code {epoch}}, {@code {epoch:d}}, {@code {epoch:02d}}, {@code {epoch:3d}}: group 1 is the width spec. */
    private static final Pattern EPOCH = Pattern.compile("\\{epoch(?::(0?\\d*)d)?}");

    private final String file;
    private final boolean saveBestOnly;
    private final boolean saveWeightsOnly;
    private double best;
    private int bestEpoch;

    /** Saves the whole model after every epoch: Keras's defaults. */
    public ModelCheckpoint(Path file) {
        this(file, "val_loss", "auto", false, false);
    }

    /**
     * @param file            where to save; may contain {@code {epoch}} / {@code {epoch:02d}}
     * @param monitor         a key of {@link History.Epoch#metrics()}: {@code "val_loss"} (Keras's default),
     *                        {@code "val_accuracy"}, {@code "loss"}, {@code "accuracy"}
     * @param mode            {@code "auto"} (max for names containing "acc", else min), {@code "min"} or
     *                        {@code "max"}
     * @param saveBestOnly    save only when {@code monitor} improved on the best so far
     * @param saveWeightsOnly save a weights file ({@link WeightIO}) instead of the whole model
     */
    public ModelCheckpoint(Path file, String monitor, String mode, boolean saveBestOnly, boolean saveWeightsOnly) {
        super("ModelCheckpoint", monitor, mode, 0);
        if (file == null) {
            throw new IllegalArgumentException("ModelCheckpoint file must not be null");
        }
        String leftover = EPOCH.matcher(file.toString()).replaceAll("");
        if (leftover.contains("{") || leftover.contains("}")) {
            throw new IllegalArgumentException("ModelCheckpoint file " + file + ": the only placeholder is the epoch, "
                    + "as {epoch} or {epoch:02d}");
        }
        this.file = file.toString();
        this.saveBestOnly = saveBestOnly;
        this.saveWeightsOnly = saveWeightsOnly;
        this.best = worst();
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        Sequential model = requireModel();
        Double current = saveBestOnly
                ? monitored(record, "ModelCheckpoint can save the best model only with " + monitor
                        + " available: skipping the save")
                : record.metrics().get(monitor);
        boolean improved = current != null && isImprovement(current, best);
        if (saveBestOnly && !improved) {
            return;
        }
        Path target = fileFor(epoch);
        try {
            if (saveWeightsOnly) {
                WeightIO.save(model, target);
            } else {
                ModelFiles.save(model, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint could not save epoch " + epoch + " to " + target + ": "
                    + e.getMessage(), e);
        }
        if (improved) { // only once the file holds it, so bestEpoch() always names what is on disk
            best = current;
            bestEpoch = epoch;
        }
    }

    /** For a resumed fit: the best value and its epoch (the files themselves are already on disk). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeDouble(best);
        out.writeInt(bestEpoch);
    }

    @Override
    public void readState(DataInputStream in, String source) throws IOException {
        double savedBest = in.readDouble();
        bestEpoch = in.readInt();
        best = savedBest;
    }

    /** The file for {@code epoch}: the given path with its {@code {epoch}} placeholders filled in. */
    public Path fileFor(int epoch) {
        Matcher m = EPOCH.matcher(file);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String spec = m.group(1) == null ? "" : m.group(1);
            m.appendReplacement(sb, Matcher.quoteReplacement(String.format("%" + spec + "d", epoch)));
        }
        m.appendTail(sb);
        return Path.of(sb.toString());
    }

    /** The best monitored value seen (Keras's {@code best}); {@code ±∞} before the first one. */
    public double bestValue() {
        return best;
    }

    /** The epoch (from 1) that gave {@link #bestValue()}; 0 before the first. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
