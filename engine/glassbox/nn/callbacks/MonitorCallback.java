package glassbox.nn.callbacks;

import glassbox.nn.Callback;
import glassbox.nn.History;
import glassbox.nn.Sequential;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What {@link ModelCheckpoint} and {@link EarlyStopping} share, as Keras 3's {@code MonitorCallback}: the
 * monitored quantity (a key of {@link History.Epoch#metrics()}), its direction, what counts as an
 * improvement, the model, and a warning printed once when the quantity is missing.
 *
 * <p>{@code mode}: {@code "min"}, {@code "max"}, or {@code "auto"} — maximise when the name contains
 * {@code "acc"} ({@code accuracy}, {@code val_accuracy}), else minimise ({@code loss}, {@code val_loss}):
 * Keras's ModelCheckpoint rule, which for glassbox's four keys agrees with Keras 3's metric directions.
 * An unknown mode is an error here (Keras warns and falls back to {@code "auto"}).
 */
abstract class MonitorCallback implements Callback {
    final String monitor;
    final boolean maximize;
    /** Never negative: Keras takes {@code abs(min_delta)}. */
    final double minDelta;
    Sequential model;
    /** Where the missing-monitor warning goes (standard error, as Python's warnings); tests swap it. */
    PrintStream warnings = System.err;
    private boolean warned;

    MonitorCallback(String callbackName, String monitor, String mode, double minDelta) {
        if (monitor == null || monitor.isEmpty()) {
            throw new IllegalArgumentException(callbackName + " monitor must name a metric such as \"val_loss\", got "
                    + (monitor == null ? "null" : "\"\""));
        }
        if (!"auto".equals(mode) && !"min".equals(mode) && !"max".equals(mode)) {
            throw new IllegalArgumentException(callbackName + " mode must be \"auto\", \"min\" or \"max\", got "
                    + (mode == null ? "null" : "\"" + mode + "\""));
        }
        if (Double.isNaN(minDelta)) {
            throw new IllegalArgumentException(callbackName + " minDelta must be a number, got NaN");
        }
        this.monitor = monitor;
        this.maximize = mode.equals("max") || (mode.equals("auto") && monitor.toLowerCase(Locale.ROOT).contains("acc"));
        this.minDelta = Math.abs(minDelta);
    }

    @Override
    public void setModel(Sequential model) {
        this.model = model;
    }

    /** Whether the monitored quantity is maximised (mode {@code "max"}, or {@code "auto"} for an accuracy). */
    public boolean maximizes() {
        return maximize;
    }

    /** The value every real one improves on: {@code -∞} when maximising, {@code +∞} when minimising. */
    double worst() {
        return maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Keras's {@code _is_improvement}: better than {@code reference} by more than {@code minDelta}. */
    boolean isImprovement(double current, double reference) {
        return maximize ? current - minDelta > reference : current + minDelta < reference;
    }

    /**
     * The monitored value in {@code record}, or {@code null} when the record lacks it ({@code val_loss}
     * without validation data, a misspelt name); then {@code warning} is printed, once per callback, with
     * the keys that are there.
     */
    Double monitored(History.Epoch record, String warning) {
        Double value = record.metrics().get(monitor);
        if (value == null && !warned) {
            warned = true;
            warnings.println("WARNING: " + warning + " (the epoch records have " + record.metrics().keySet() + ")");
        }
        return value;
    }

    Sequential requireModel() {
        if (model == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " has no model: pass it to fit through "
                    + "FitOptions.withCallbacks, or call setModel first");
        }
        return model;
    }
}
