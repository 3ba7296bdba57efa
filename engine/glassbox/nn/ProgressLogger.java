package glassbox.nn;

import glassbox.util.Progress;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code verbose=1} output: {@code Epoch 1/3}, then a progress line per epoch with ETA, running loss
 * and accuracy, and validation figures at the end of the epoch when there are any. On a terminal the line
 * is redrawn in place; otherwise one plain line per epoch is printed (see {@link Progress}).
 */
final class ProgressLogger implements Callback {
    private final PrintStream out;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private int epochs;
    private int steps;
    private Progress progress;

    ProgressLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch, int samples) {
        this.epochs = epochs;
        this.steps = stepsPerEpoch;
    }

    @Override
    public void onEpochBegin(int epoch) {
        out.println("Epoch " + epoch + "/" + epochs);
        progress = out == System.out ? Progress.forConsole(steps, "") : new Progress(out, false, steps, "");
    }

    @Override
    public void onBatchEnd(int epoch, int step, double meanLoss, double meanAccuracy) {
        if (step < steps) {
            progress.update(step, fill(meanLoss, meanAccuracy, Double.NaN, Double.NaN));
        }
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        progress.finish(fill(record.loss(), record.accuracy(), record.valLoss(), record.valAccuracy()));
    }

    private Map<String, Double> fill(double loss, double accuracy, double valLoss, double valAccuracy) {
        metrics.clear();
        metrics.put("loss", loss);
        if (!Double.isNaN(accuracy)) {
            metrics.put("accuracy", accuracy);
        }
        if (!Double.isNaN(valLoss)) {
            metrics.put("val_loss", valLoss);
        }
        if (!Double.isNaN(valAccuracy)) {
            metrics.put("val_accuracy", valAccuracy);
        }
        return metrics;
    }
}
