package glassbox.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Sequential#fit} returns: one record per epoch, as Keras's {@code History.history}.
 * Accuracy fields are {@code NaN} when the loss has no accuracy; validation fields are {@code NaN} when
 * no validation data was given.
 *
 * <pre>{@code
 * History h = model.fit(x, y, FitOptions.defaults().withEpochs(10).withValidationSplit(0.1));
 * double[] valLoss = h.get("val_loss");   // Keras: h.history["val_loss"]
 * }</pre>
 */
public final class History {
    /** One epoch: training means over its batches, validation figures after it, and its wall time. */
    public record Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                        double seconds) {

        /**
         * Keras's {@code logs} for this epoch: {@code loss}, {@code accuracy}, {@code val_loss},
         * {@code val_accuracy} in that order, each present only when it was measured (not {@code NaN}).
         * What {@code monitor=} names in a callback.
         */
        public Map<String, Double> metrics() {
            Map<String, Double> logs = new LinkedHashMap<>();
            putMeasured(logs, "loss", loss);
            putMeasured(logs, "accuracy", accuracy);
            putMeasured(logs, "val_loss", valLoss);
            putMeasured(logs, "val_accuracy", valAccuracy);
            return logs;
        }

        private static void putMeasured(Map<String, Double> logs, String key, double value) {
            if (!Double.isNaN(value)) {
                logs.put(key, value);
            }
        }
    }

    private final List<Epoch> epochs = new ArrayList<>();
    private Profile profile;
    private Inspection inspection;

    void add(Epoch e) {
        epochs.add(e);
    }

    void setProfile(Profile profile) {
        this.profile = profile;
    }

    void setInspection(Inspection inspection) {
        this.inspection = inspection;
    }

    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /**
     * The keys of Keras's {@code history.history} for this run: {@code loss}, then {@code accuracy} when
     * the loss has one, then {@code val_loss} and {@code val_accuracy} when there was validation data.
     */
    public List<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Epoch e : epochs) {
            keys.addAll(e.metrics().keySet());
        }
        return List.copyOf(keys);
    }

    /**
     * Keras's {@code history.history[key]}: one value per epoch, in order ({@code NaN} for an epoch that
     * did not measure it). An unknown key is an error that lists the keys there are.
     */
    public double[] get(String key) {
        if (!keys().contains(key)) {
            throw new IllegalArgumentException("no '" + key + "' in this history: it has " + keys()
                    + " (val_ figures need validation data; accuracy needs a loss that has one)");
        }
        double[] values = new double[epochs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = epochs.get(i).metrics().getOrDefault(key, Double.NaN);
        }
        return values;
    }

    /**
     * One map per epoch, for a results file: {@code epoch}, then Keras's {@code logs} of that epoch
     * ({@code loss}, {@code accuracy}, {@code val_loss}, {@code val_accuracy}: those measured), then
     * {@code seconds}.
     */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.putAll(e.metrics());
            m.put("seconds", e.seconds());
            records.add(m);
        }
        return records;
    }

    /** Where training time went, when a {@link Profile} was among the callbacks; else {@code null}. */
    public Profile profile() {
        return profile;
    }

    /** Per-layer statistics and warnings, when an {@link Inspector} was among the callbacks; else {@code null}. */
    public Inspection inspection() {
        return inspection;
    }
}
