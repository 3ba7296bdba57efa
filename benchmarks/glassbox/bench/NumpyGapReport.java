package glassbox.bench;

import glassbox.bench.NumpyGapBenchmark.Child;
import glassbox.bench.NumpyGapBenchmark.Probe;
import glassbox.bench.NumpyGapBenchmark.Shape;
import glassbox.tensor.Blas;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tables of {@code ./glassbox bench numpy-gap} ({@link NumpyGapBenchmark}) from the medians of its
 * probes: the gap per product, each remedy as a ratio to the launcher's setting (below 1: the remedy is
 * faster), the MLP training step, the Dense pass variants and predict's chunk size.
 */
final class NumpyGapReport {
    private final List<Shape> shapes;
    private final Map<String, Probe> probes;
    private final String cores;
    private final String launcherKind;
    private final Child launcherJvm;
    private final List<Child> children;
    private final boolean sameLibrary;
    private final double busyCores;
    private final int rounds;

    /**
     * {@code launcherKind} names the probes of the thread setting the launcher chose ({@code facadeN},
     * {@code facade1} or {@code bands}), run by {@code launcherJvm}.
     */
    NumpyGapReport(List<Shape> shapes, Map<String, Probe> probes, String cores, String launcherKind, Child launcherJvm,
                   List<Child> children, boolean sameLibrary, double busyCores, int rounds) {
        this.shapes = shapes;
        this.probes = probes;
        this.cores = cores;
        this.launcherKind = launcherKind;
        this.launcherJvm = launcherJvm;
        this.children = children;
        this.sameLibrary = sameLibrary;
        this.busyCores = busyCores;
        this.rounds = rounds;
    }

    /** Median seconds of a probe, NaN if it was not measured. */
    double median(String key) {
        Probe p = probes.get(key);
        return p == null ? Double.NaN : p.median();
    }

    /** The sum of a probe kind's medians over the shapes whose names start with {@code prefix}. */
    double sum(String kind, String prefix) {
        double total = 0;
        boolean any = false;
        for (Shape s : shapes) {
            if (s.name().startsWith(prefix)) {
                total += median(kind + "|" + s.name());
                any = true;
            }
        }
        return any ? total : Double.NaN;
    }

    /** The row labels: every product, then per batch the sum of the training step's products. */
    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (Shape s : shapes) {
            rows.add(new String[] {s.name(), s.m() + "×" + s.n() + "×" + s.k() + (s.ta() ? " Aᵀ" : "")
                    + (s.tb() ? " Bᵀ" : ""), null});
        }
        for (int batch : new int[] {32, 256}) {
            String prefix = "b" + batch + " ";
            if (shapes.stream().filter(s -> s.name().startsWith(prefix)).count() > 1) {
                rows.add(new String[] {"b" + batch + " all GEMMs of a step", "sum of the rows above", prefix});
            }
        }
        return rows;
    }

    private double value(String kind, String[] row) {
        return row[2] == null ? median(kind + "|" + row[0]) : sum(kind, row[2]);
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("## glassbox's BLAS facade against numpy (").append(LocalDateTime.now().withNano(0)).append(")\n\n");
        sb.append("glassbox: ").append(Blas.describe()).append("  \n");
        for (Child c : children) {
            sb.append("- ").append(c.name).append(": ").append(c.openblas()).append(", core ")
                    .append(c.describe("core")).append(", threads ").append(c.describe("threads"))
                    .append('\n');
        }
        sb.append('\n').append(sameLibrary ? "Same OpenBLAS file on both sides." : "**Not the same OpenBLAS file on"
                + " both sides** (see above).").append(String.format(Locale.ROOT, " Medians over %d rounds, the"
                + " sides alternating; other processes kept %s cores busy when it started.%n%n", rounds,
                busyCores < 0 ? "an unknown number of" : String.format(Locale.ROOT, "%.1f", busyCores)));

        sb.append("### The gap per product (µs per call; ratio > 1: glassbox slower)\n\n");
        sb.append("glassbox as the launcher set it up: ").append(launcherJvm.name).append(".\n\n");
        sb.append("| product | m×n×k | glassbox | numpy | glassbox / numpy | numpy, glassbox's kernel | glassbox /"
                + " that | JNI copy | copy share of glassbox |\n");
        sb.append("|---|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String[] row : rows()) {
            double g = value(launcherKind, row);
            double n = value("numpy", row);
            double nk = value("numpyKernel", row);
            double copy = value("copy", row);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %.2f | %s | %.0f%% |%n", row[0],
                    row[1], micros(g), micros(n), g / n, micros(nk), g / nk, micros(copy), 100 * copy / g));
        }

        sb.append("\n### Remedies per product (time with the remedy / time without; < 1: the remedy wins)\n\n");
        sb.append("Thread settings against OpenBLAS's own ").append(cores).append(" threads (µs in the first column);"
                + " the others against the launcher's setting.\n\n");
        sb.append("| product | OpenBLAS ").append(cores).append(" threads | 1 thread | 2 Java threads × 1-thread"
                + " OpenBLAS, always | facade bands (≥ ").append(String.format(Locale.ROOT, "%.0f", Blas.SPLIT_FLOPS
                / 1e6)).append(" Mflop) | default malloc / thresholds | 8 calls of ⅛ batch / 1 call | numpy: 1"
                + " thread / ").append(cores).append(" |\n");
        sb.append("|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String[] row : rows()) {
            double n = value("facadeN", row);
            double g = value(launcherKind, row);
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", row[0], micros(n),
                    ratio(value("facade1", row), n), ratio(value("split2", row), n), ratio(value("bands", row), n),
                    ratio(value("malloc", row), g),
                    row[2] == null ? ratio(median("chunks8|" + row[0]), g) : "",
                    ratio(value("numpy1", row), value("numpy", row))));
        }

        if (probes.keySet().stream().anyMatch(k -> k.startsWith("mlp|"))) {
            sb.append("\n### One MLP training step (784-128-128-10, Adam, synthetic data; ms per step)\n\n");
            sb.append("| batch | OpenBLAS ").append(cores).append(" threads | 1 thread | ratio | 1 thread + facade bands |"
                    + " ratio | launcher's setting, default malloc | ratio to launcher's | numpy | launcher's / numpy |\n"
                    + "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            for (int batch : new int[] {32, 256}) {
                double n = mlp(children.get(0), batch);
                double one = mlp(children.get(1), batch);
                double bands = mlp(children.get(2), batch);
                double plain = mlp(children.get(3), batch);
                double launcher = mlp(launcherJvm, batch);
                double numpy = median("mlp|numpy|" + batch);
                sb.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.2f | %.3f | %.2f | %.3f | %.2f | %.3f |"
                                + " %.2f |%n", batch, 1e3 * n, 1e3 * one, one / n, 1e3 * bands, bands / n, 1e3 * plain,
                        plain / launcher, 1e3 * numpy, launcher / numpy));
            }
        }

        sb.append("\n### Fewer calls per Dense layer (µs per pass)\n\n");
        sb.append("| layer | batch | forward: bias copy + GEMM | [x 1]·[W; b] | ratio | backward: GEMM + bias loop |"
                + " [x 1]ᵀ·dZ | ratio |\n|---|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String key : probes.keySet()) {
            if (key.startsWith("dense fwd|")) {
                String shape = key.substring("dense fwd|".length());
                String[] parts = shape.split(" b");
                double f = median("dense fwd|" + shape);
                double fa = median("dense fwdAug|" + shape);
                double b = median("dense bwd|" + shape);
                double ba = median("dense bwdAug|" + shape);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %s | %s | %.2f |%n", parts[0],
                        parts[1], micros(f), micros(fa), fa / f, micros(b), micros(ba), ba / b));
            }
        }

        if (probes.containsKey("predict|32")) {
            sb.append("\n### predict of 8,192 samples by rows per forward pass (ms)\n\n");
            sb.append("| rows per pass | ms | / 32 rows |\n|--:|--:|--:|\n");
            double base = median("predict|32");
            for (String key : probes.keySet()) {
                if (key.startsWith("predict|")) {
                    double t = median(key);
                    sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f |%n", key.substring(8), 1e3 * t,
                            t / base));
                }
            }
        }
        sb.append("\n(JNI copy: the same jblas call with m = n = k = 0, so only the JNI transition and jblas's copies of"
                + " A, B and C remain. numpy, glassbox's kernel: numpy with glassbox's OPENBLAS_CORETYPE, so that"
                + " column's ratio is the cost of jblas and the facade alone.)\n");
        return sb.toString();
    }

    private double mlp(Child c, int batch) {
        return median("mlp|" + c.name + "|" + batch);
    }

    Map<String, Object> json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "numpy-gap");
        out.put("blas", Blas.describe());
        out.put("time", LocalDateTime.now().toString());
        out.put("rounds", rounds);
        out.put("busy_cores_at_start", busyCores);
        out.put("same_openblas", sameLibrary);
        Map<String, Object> procs = new LinkedHashMap<>();
        for (Child c : children) {
            Map<String, Object> d = new LinkedHashMap<>(c.description);
            d.put("openblas_resolved", c.openblas());
            procs.put(c.name, d);
        }
        out.put("processes", procs);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Probe p : probes.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("probe", p.key);
            row.put("process", p.child.name);
            row.put("request", p.template);
            row.put("reps_per_batch", p.reps);
            row.put("median_seconds", p.median());
            row.put("seconds", p.seconds);
            rows.add(row);
        }
        out.put("rows", rows);
        return out;
    }

    private static String micros(double seconds) {
        if (Double.isNaN(seconds)) {
            return "–";
        }
        double us = seconds * 1e6;
        return us >= 1000 ? String.format(Locale.ROOT, "%,.0f", us) : String.format(Locale.ROOT, "%.1f", us);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "–" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
