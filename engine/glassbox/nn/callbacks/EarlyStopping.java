package glassbox.nn.callbacks;

import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.StatefulCallback;
import glassbox.tensor.Tensor;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stops training when the monitored quantity has stopped improving: Keras's
 * {@code keras.callbacks.EarlyStopping(monitor="val_loss", min_delta=0, patience=0, mode="auto",
 * baseline=None, restore_best_weights=False)}.
 *
 * <p>After each epoch, as Keras 3 does it: an epoch <em>improves</em> when its value beats the best so far
 * by more than {@code minDelta}; it then becomes the best, and the count of epochs without improvement
 * ({@code wait}) restarts — but only if the value also beats {@code baseline}, when one is given. Otherwise
 * {@code wait} grows by one, and when it reaches {@code patience} (from the second epoch on) training stops
 * after this epoch. So with {@code patience = 2}, two epochs in a row that fail to improve stop training.
 *
 * <pre>{@code
 * EarlyStopping stop = new EarlyStopping("val_loss", 0, 3, "auto", true, Double.NaN);
 * model.fit(x, y, FitOptions.defaults().withEpochs(100).withValidationSplit(0.1).withCallbacks(List.of(stop)));
 * // stop.stoppedEpoch(): where it stopped (0 if it ran all 100); the model holds stop.bestEpoch()'s weights
 * }</pre>
 *
 * <p>{@code restoreBestWeights}: the weights of the best epoch are kept (a copy, taken at the end of that
 * epoch) and put back when training ends — Keras 3's rule, which restores whether or not training stopped
 * early; Keras 2 (before 2.11) restored only when it stopped early. A monitor missing from an epoch's record
 * (say {@code val_loss} without validation data) skips that epoch, with a warning printed once.
 * {@link #onTrainBegin} resets everything, so one instance can serve several {@code fit} calls.
 */
public final class EarlyStopping extends MonitorCallback implements StatefulCallback {
    private final int patience;
    private final boolean restoreBestWeights;
    private final double baseline;

    private int wait;
    private int stoppedEpoch;
    private double best;
    private int bestEpoch;
    private List<Tensor> bestWeights;

    /** Keras's defaults: monitor {@code val_loss}, stop at the first epoch that does not improve. */
    public EarlyStopping() {
        this("val_loss", 0, 0, "auto", false, Double.NaN);
    }

    /** {@code monitor} and {@code patience}, everything else Keras's default. */
    public EarlyStopping(String monitor, int patience) {
        this(monitor, 0, patience, "auto", false, Double.NaN);
    }

    /**
     * @param monitor            a key of {@link History.Epoch#metrics()} ({@code "val_loss"} by default)
     * @param minDelta           how much a value must beat the best by to count as an improvement; its
     *                           absolute value is used, as in Keras (default 0)
     * @param patience           epochs without improvement after which training stops (default 0)
     * @param mode               {@code "auto"} (max for names containing "acc", else min), {@code "min"},
     *                           {@code "max"}
     * @param restoreBestWeights put the best epoch's weights back when training ends (default false)
     * @param baseline           a value the monitor must beat for {@code wait} to restart; {@code NaN} for
     *                           none (Keras's {@code None}, the default)
     */
    public EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights,
                         double baseline) {
        super("EarlyStopping", monitor, mode, minDelta);
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping patience must be >= 0, got " + patience);
        }
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
        this.baseline = baseline;
        this.best = worst();
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
        wait = 0;
        stoppedEpoch = 0;
        best = worst();
        bestEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        Sequential model = requireModel();
        Double current = monitored(record, "EarlyStopping is conditioned on " + monitor
                + ", which is not available: not stopping on it");
        if (current == null) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model.getWeights(); // the first epoch seen is the best so far
            bestEpoch = epoch;
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = model.getWeights();
            }
            if (Double.isNaN(baseline) || isImprovement(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 1) {
            stoppedEpoch = epoch;
            model.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(History history) {
        if (restoreBestWeights && bestWeights != null) {
            requireModel().setWeights(bestWeights);
        }
    }

    /**
     * For a resumed fit: {@code wait}, the stopped and best epochs, the best value and, with
     * {@code restoreBestWeights}, the best epoch's weights (count, then per tensor its rank, dimensions and
     * floats).
     */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        out.writeInt(wait);
        out.writeInt(stoppedEpoch);
        out.writeInt(bestEpoch);
        out.writeDouble(best);
        out.writeInt(bestWeights == null ? -1 : bestWeights.size());
        for (Tensor w : bestWeights == null ? List.<Tensor>of() : bestWeights) {
            out.writeInt(w.rank());
            for (int d : w.shape()) {
                out.writeInt(d);
            }
            for (float v : w.data()) {
                out.writeFloat(v);
            }
        }
    }

    @Override
    public void readState(DataInputStream in, String source) throws IOException {
        int savedWait = in.readInt();
        int savedStopped = in.readInt();
        int savedBestEpoch = in.readInt();
        double savedBest = in.readDouble();
        int count = in.readInt();
        List<Tensor> weights = null;
        if (count >= 0) {
            List<Tensor> model = requireModel().getWeights(); // the shapes expected
            if (count != model.size()) {
                throw new IOException(source + ": best weights of " + count + " tensors; the model has " + model.size());
            }
            weights = new ArrayList<>(count);
            for (Tensor expected : model) {
                int rank = in.readInt();
                int[] shape = new int[Math.max(0, Math.min(rank, 8))];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = in.readInt();
                }
                if (rank != expected.rank() || !Arrays.equals(shape, expected.shape())) {
                    throw new IOException(source + ": best weight " + weights.size() + " has shape "
                            + Tensor.shapeString(shape) + "; the model's is " + Tensor.shapeString(expected.shape()));
                }
                float[] v = new float[expected.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                weights.add(new Tensor(v, shape));
            }
        }
        wait = savedWait;
        stoppedEpoch = savedStopped;
        bestEpoch = savedBestEpoch;
        best = savedBest;
        bestWeights = weights;
    }

    /** The epoch (from 1) after which training was stopped; 0 when it was not. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch (from 1) with the best monitored value; 0 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value so far; {@code ±∞} before any. */
    public double bestValue() {
        return best;
    }
}
