package glassbox.nn;

import glassbox.util.Csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * What an {@link Inspector} recorded: one {@link Row} per layer and epoch, and the warnings printed
 * at the end of each epoch. {@link History#inspection()} returns it; {@link #writeCsv} gives
 * {@code inspect.csv}. See {@link Inspector} for how each figure is measured and why the thresholds are
 * where they are.
 */
public final class Inspection {

    /**
     * One layer in one epoch. A metric that does not apply is {@code null}: {@code deadFraction} for a layer
     * whose output is not a ReLU's, {@code gradNorm} and {@code updateRatio} for a layer without parameters
     * (and {@code updateRatio} when every step started from all-zero weights, where the ratio is undefined).
     *
     * @param activationMean mean of every value the layer output in training mode over the epoch
     * @param activationStd  their population standard deviation (numpy's default, {@code ddof=0})
     * @param deadFraction   the fraction of the layer's units (last axis: a Dense unit, a Conv2D filter) whose
     *                       output was never positive over the epoch
     * @param gradNorm       L2 norm of the gradient of the layer's trainable parameters (all of them as one
     *                       vector) before the optimiser's update, averaged over every
     *                       {@link Inspector#PARAMETER_EVERY}th step of the epoch (steps 1, 11, …)
     * @param updateRatio    {@code ‖w_after − w_before‖ / ‖w_before‖} over the same parameters and steps,
     *                       averaged (Karpathy's rule of thumb: around 1e-3)
     * @param status         {@code ok}, or what is wrong ({@code dead}, {@code exploding}, {@code stalled}),
     *                       several joined by {@code +}; {@code frozen} for a layer frozen on purpose
     *                       ({@code setTrainable(false)}), which is reported and not warned about
     */
    public record Row(int epoch, String layer, String kind, double activationMean, double activationStd,
                      Double deadFraction, Double gradNorm, Double updateRatio, String status) {
    }

    /** The metrics the figures show, with their CSV column names. */
    public enum Metric {
        ACTIVATION_MEAN("activation_mean", Row::activationMean),
        ACTIVATION_STD("activation_std", Row::activationStd),
        DEAD_FRACTION("dead_fraction", r -> orNaN(r.deadFraction())),
        GRAD_NORM("grad_norm", r -> orNaN(r.gradNorm())),
        UPDATE_RATIO("update_ratio", r -> orNaN(r.updateRatio()));

        private final String column;
        private final ToDoubleFunction<Row> value;

        Metric(String column, ToDoubleFunction<Row> value) {
            this.column = column;
            this.value = value;
        }

        public String column() {
            return column;
        }

        /** The metric of {@code row}; {@code NaN} where it does not apply. */
        public double of(Row row) {
            return value.applyAsDouble(row);
        }

        private static double orNaN(Double d) {
            return d == null ? Double.NaN : d;
        }
    }

    /** The columns of {@link #csvRows()}. */
    public static final List<String> HEADER = List.of("epoch", "layer", "kind", "activation_mean", "activation_std",
            "dead_fraction", "grad_norm", "update_ratio", "status");

    private final List<Row> rows;
    private final List<String> warnings;

    Inspection(List<Row> rows, List<String> warnings) {
        this.rows = List.copyOf(rows);
        this.warnings = List.copyOf(warnings);
    }

    /** Every row, epoch by epoch, layers in model order within an epoch. */
    public List<Row> rows() {
        return rows;
    }

    /** The warnings printed during training, in order ("epoch 2, layer dense: dead — …"). */
    public List<String> warnings() {
        return warnings;
    }

    /** The layer names, in model order. */
    public List<String> layers() {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.add(r.layer()));
        return List.copyOf(names);
    }

    /** The rows of one layer, epoch by epoch; an unknown name is an error listing the known ones. */
    public List<Row> rowsOf(String layer) {
        List<Row> out = rows.stream().filter(r -> r.layer().equals(layer)).toList();
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no layer '" + layer + "' in this inspection: it has " + layers());
        }
        return out;
    }

    /** One list per row, in {@link #HEADER} order; a metric that does not apply is an empty cell. */
    public List<List<Object>> csvRows() {
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(r.epoch());
            cells.add(r.layer());
            cells.add(r.kind());
            cells.add(r.activationMean());
            cells.add(r.activationStd());
            cells.add(r.deadFraction());
            cells.add(r.gradNorm());
            cells.add(r.updateRatio());
            cells.add(r.status());
            out.add(cells);
        }
        return out;
    }

    /** Writes {@link #HEADER} and {@link #csvRows()} to {@code file}, atomically. */
    public void writeCsv(Path file) throws IOException {
        Csv.write(file, HEADER, csvRows());
    }
}
