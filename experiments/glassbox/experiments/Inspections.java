package glassbox.experiments;

import glassbox.nn.History;
import glassbox.nn.Inspection;
import glassbox.nn.Profile;
import glassbox.nn.Inspector;
import glassbox.plot.LineChart;
import glassbox.util.Csv;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --inspect}'s files in a run folder: the {@link Inspection} of every inspected fit of the run,
 * gathered as the experiment trains, then written once the folder exists.
 *
 * <ul>
 *   <li>{@code inspect.csv}: {@code model} (which fit: "mnist-mlp", "autoencoder", "classifier codes", …),
 *       then {@link Inspection#HEADER}: one row per model, epoch and layer.</li>
 *   <li>One PNG per model and metric, a line per layer over the epochs: {@code inspect_<metric>.png} when
 *       the run inspected one model, {@code inspect_<model>_<metric>.png} otherwise. The gradient norm and
 *       the update ratio span decades between layers and are drawn on a log axis; a 0 there (a frozen
 *       layer) cannot be, and the figure's title names the layers whose lines leave points out.</li>
 * </ul>
 *
 * The warnings were printed by the engine at the end of each epoch; {@link #write} repeats their count.
 * Experiments inspect the fits they profile (the first seed's, where they repeat over seeds).
 */
final class Inspections {
    /** Karpathy's healthy update-to-weight ratio (cs231n, "Neural Networks Part 3"), drawn for reference. */
    private static final double RULE_OF_THUMB = 1e-3;

    private final Map<String, Inspection> byModel = new LinkedHashMap<>();
    private final Map<String, Profile> profiles = new LinkedHashMap<>();

    /**
     * Keeps {@code history}'s inspection and profile under {@code model}'s name; does nothing when it has
     * neither.
     */
    void add(String model, History history) {
        if (history.profile() != null) {
            profiles.putIfAbsent(model, history.profile());
        }
        if (history.inspection() == null) {
            return;
        }
        if (byModel.containsKey(model)) {
            throw new IllegalArgumentException("an inspection named '" + model + "' is already kept: "
                    + byModel.keySet());
        }
        byModel.put(model, history.inspection());
    }

    boolean isEmpty() {
        return byModel.isEmpty();
    }

    /**
     * Writes {@code profile.csv} (one row per profiled fit and phase: seconds, share, calls, µs per call,
     * GFLOP/s where counted), {@code inspect.csv} and the figures into {@code run}, and says where on {@code out}.
     */
    void write(RunFolder run, PrintStream out) throws IOException {
        if (!profiles.isEmpty()) {
            writeProfiles(run);
        }
        if (byModel.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>();
        header.add("model");
        header.addAll(Inspection.HEADER);
        List<List<Object>> rows = new ArrayList<>();
        int warnings = 0;
        List<String> figures = new ArrayList<>();
        for (Map.Entry<String, Inspection> e : byModel.entrySet()) {
            for (List<Object> row : e.getValue().csvRows()) {
                List<Object> cells = new ArrayList<>();
                cells.add(e.getKey());
                cells.addAll(row);
                rows.add(cells);
            }
            warnings += e.getValue().warnings().size();
            for (Inspection.Metric metric : Inspection.Metric.values()) {
                String name = "inspect_" + (byModel.size() == 1 ? "" : fileName(e.getKey()) + "_")
                        + metric.column() + ".png";
                if (chart(e.getKey(), e.getValue(), metric, run.file(name))) {
                    figures.add(name);
                }
            }
        }
        Csv.write(run.file("inspect.csv"), header, rows);
        out.printf("--inspect: %d warning%s; inspect.csv and %d figures (%s …) in the run folder%n", warnings,
                warnings == 1 ? "" : "s", figures.size(), figures.get(0));
    }

    private void writeProfiles(RunFolder run) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        profiles.forEach((model, profile) -> {
            double total = profile.totalSeconds();
            Map<String, Long> calls = profile.calls();
            Map<String, Double> gflops = profile.gflops();
            profile.seconds().forEach((phase, seconds) -> rows.add(List.of(model, phase, seconds,
                    total == 0 ? 0.0 : seconds / total, calls.get(phase),
                    calls.get(phase) == 0 ? 0.0 : seconds * 1e6 / calls.get(phase),
                    gflops.containsKey(phase) ? gflops.get(phase) : Double.NaN)));
        });
        Csv.write(run.file("profile.csv"), List.of("model", "phase", "seconds", "share", "calls", "us_per_call",
                "gflops"), rows);
    }

    /**
     * One figure of {@code metric}, a line per layer that has it; false (no file) when no layer has a
     * drawable value (no ReLU layer for the dead fraction, say). Values the axis cannot show — 0 on the log
     * axis (a frozen layer, or one no gradient reaches), or a non-finite one — are left out of their line,
     * and the title names the layers that lost points; inspect.csv has every value.
     */
    static boolean chart(String model, Inspection inspection, Inspection.Metric metric, Path file)
            throws IOException {
        boolean log = metric == Inspection.Metric.GRAD_NORM || metric == Inspection.Metric.UPDATE_RATIO;
        Map<String, double[][]> lines = new LinkedHashMap<>(); // layer → {epochs, values}
        Map<String, List<String>> missing = new LinkedHashMap<>(); // "epoch 2" → layers whose value there is not drawn
        int epochs = 0;
        for (String layer : inspection.layers()) {
            List<Inspection.Row> rows = inspection.rowsOf(layer);
            epochs = Math.max(epochs, rows.size());
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            int kept = 0;
            boolean applies = false;
            List<Integer> left = new ArrayList<>();
            for (Inspection.Row row : rows) {
                double v = metric.of(row);
                applies |= !Double.isNaN(v);
                if (Double.isFinite(v) && (!log || v > 0)) {
                    x[kept] = row.epoch();
                    y[kept++] = v;
                } else {
                    left.add(row.epoch());
                }
            }
            if (applies && !left.isEmpty()) {
                String epochsLeft = (left.size() == 1 ? "epoch " : "epochs ") + left.stream().map(String::valueOf)
                        .collect(Collectors.joining(","));
                missing.computeIfAbsent(epochsLeft, k -> new ArrayList<>()).add(layer);
            }
            if (kept > 0) {
                lines.put(layer, new double[][]{Arrays.copyOf(x, kept), Arrays.copyOf(y, kept)});
            }
        }
        if (lines.isEmpty()) {
            return false;
        }
        String title = model + ": " + metric.column().replace('_', ' ') + " per layer"
                + (epochs == 1 ? " (one epoch: one point each)" : "")
                + notDrawn(missing, log);
        LineChart chart = new LineChart(title, "epoch", metric.column() + (log ? " (log scale)" : "")).logY(log);
        int i = 0;
        for (Map.Entry<String, double[][]> line : lines.entrySet()) {
            chart.add(line.getKey(), line.getValue()[0], line.getValue()[1], null, layerStyle(i++));
        }
        if (metric == Inspection.Metric.DEAD_FRACTION) {
            chart.yRange(0, 1);
            reference(chart, epochs, Inspector.DEAD_FRACTION, "warned above " + Inspector.DEAD_FRACTION);
        }
        if (metric == Inspection.Metric.UPDATE_RATIO) {
            reference(chart, epochs, RULE_OF_THUMB, "1e-3 (rule of thumb)");
        }
        chart.write(file, Math.max(800, 9 * title.length() + 80), 500); // wide enough for a long title's note
        return true;
    }

    /** The title's note on the values left out: "; 0 not drawn: epoch 2 of dense, dense_1", or "". */
    private static String notDrawn(Map<String, List<String>> missing, boolean log) {
        if (missing.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        missing.forEach((epochs, layers) -> parts.add(epochs + " of " + (layers.size() <= 3
                ? String.join(", ", layers) : layers.size() + " layers")));
        return "; " + (log ? "0 or " : "") + "non-finite not drawn: " + String.join("; ", parts);
    }

    /** A horizontal reference line at {@code y} across the epochs, dashed grey ("C7"), named {@code name}. */
    private static void reference(LineChart chart, int epochs, double y, String name) {
        double[] x = epochs == 1 ? new double[]{1} : new double[]{1, epochs};
        double[] ys = epochs == 1 ? new double[]{y} : new double[]{y, y};
        chart.add(name, x, ys, null, LineChart.Style.dashed(7));
    }

    /**
     * The {@code i}-th layer's line: matplotlib's colours without grey ("C7", kept for the reference line),
     * solid for the first nine layers, dashed for the next nine, and so on, so that the autoencoder's
     * seventeen layers stay apart.
     */
    static LineChart.Style layerStyle(int i) {
        int[] colours = {0, 1, 2, 3, 4, 5, 6, 8, 9};
        return new LineChart.Style(colours[i % colours.length], (i / colours.length) % 2 == 1);
    }

    private static String fileName(String model) {
        return model.replaceAll("[^A-Za-z0-9._-]+", "-");
    }
}
