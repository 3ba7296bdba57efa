package glassbox.bench;

import glassbox.plot.LineChart;
import glassbox.tensor.Blas;
import glassbox.util.AtomicFiles;
import glassbox.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;

/**
 * What {@code ./glassbox bench gemm} makes of JMH's times: per shape and rung, GFLOP/s ({@code 2·m·n·k / time}),
 * % of this machine's peak ({@link CpuPeak}) and the ratio to the BLAS rung at the same shape; written as
 * {@code runs/bench/gemm-<timestamp>.json} and {@code .md}, and a PNG of GFLOP/s against square size per rung
 * with the peak as a dashed line.
 */
final class GemmReport {
    /** One measured variant at one shape. */
    record Row(String shape, String variant, double micros) {
        double gflops() {
            return GemmBenchmark.flops(shape) / (micros * 1e3);
        }
    }

    /** The variants that take the JNI call apart, listed after the rungs. */
    static final List<String> JNI_VARIANTS = List.of("v4JblasNative", "jblasPadded", "jniCopyOnly");

    private final List<Row> rows;
    private final CpuPeak.Checked peak;

    GemmReport(List<Row> rows, CpuPeak.Checked peak) {
        this.rows = List.copyOf(rows);
        this.peak = peak;
    }

    static List<Row> rows(Collection<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            rows.add(new Row(r.getParams().getParam("shape"), name.substring(name.lastIndexOf('.') + 1),
                    BenchMain.toMicros(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit())));
        }
        return rows;
    }

    /** The best GFLOP/s measured (any computing variant), for the peak check; {@code null} if none. */
    static Row best(List<Row> rows) {
        Row best = null;
        for (Row r : rows) {
            if (!r.variant().equals("jniCopyOnly") && (best == null || r.gflops() > best.gflops())) {
                best = r;
            }
        }
        return best;
    }

    /** Where a shape comes from: "square", the MLP pass, or the seed conv layer and pass. */
    static String origin(String shape) {
        if (GemmShapes.SQUARES.contains(shape)) {
            return "square";
        }
        int i = GemmShapes.MLP.indexOf(shape);
        if (i >= 0) {
            return "MLP 784-128-128-10, batch " + (i < 4 ? 32 : 256);
        }
        return GemmShapes.convShapes().getOrDefault(shape, "");
    }

    private Double blasGflops(String shape) {
        for (Row r : rows) {
            if (r.shape().equals(shape) && r.variant().equals("blas")) {
                return r.gflops();
            }
        }
        return null;
    }

    /** The ladder's rows in shape order, then rung order; the JNI-dissecting variants after the rungs. */
    private List<Row> ordered() {
        Map<String, Map<Integer, Row>> byShape = new LinkedHashMap<>();
        for (Row r : rows) {
            int rank = GemmBenchmark.RUNGS.indexOf(r.variant());
            int extra = JNI_VARIANTS.indexOf(r.variant());
            byShape.computeIfAbsent(r.shape(), s -> new TreeMap<>())
                    .put(rank >= 0 ? rank : GemmBenchmark.RUNGS.size() + (extra >= 0 ? extra : JNI_VARIANTS.size()), r);
        }
        // shapes in GemmShapes' order (squares, MLP, convs), whichever JMH run measured them first
        List<String> order = GemmShapes.all();
        List<String> shapes = new ArrayList<>(byShape.keySet());
        shapes.sort(java.util.Comparator.comparingInt(s -> order.contains(s) ? order.indexOf(s) : order.size()));
        List<Row> out = new ArrayList<>();
        shapes.forEach(s -> out.addAll(byShape.get(s).values()));
        return out;
    }

    /** A Markdown table: shape, origin, variant, µs per call, GFLOP/s, % of peak, ratio to BLAS. */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("GEMM ladder, ").append(Blas.describe()).append("\n\n");
        for (String line : peak.lines()) {
            sb.append("- ").append(line).append('\n');
        }
        sb.append("\n| shape m:n:k:tA:tB | from | rung | µs/call | GFLOP/s | % peak | × BLAS |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : ordered()) {
            Double blas = blasGflops(r.shape());
            boolean computes = !r.variant().equals("jniCopyOnly");
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %s | %s | %s |%n", r.shape(), origin(r.shape()),
                    r.variant(), r.micros(), computes ? String.format(Locale.ROOT, "%.1f", r.gflops()) : "–",
                    computes ? String.format(Locale.ROOT, "%.1f", 100 * r.gflops() / peak.peak().gflops()) : "–",
                    computes && blas != null ? String.format(Locale.ROOT, "%.2f", r.gflops() / blas) : "–"));
        }
        sb.append("\n(× BLAS = the rung's GFLOP/s over the BLAS facade's at the same shape; jniCopyOnly is the JNI"
                + " transition and copies alone, no arithmetic)\n");
        return sb.toString();
    }

    Map<String, Object> json(String mode, double busyCores) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "gemm");
        out.put("mode", mode);
        out.put("blas", Blas.describe());
        out.put("time", LocalDateTime.now().toString());
        out.put("busy_cores_before", busyCores);
        out.put("peak_gflops", peak.peak().gflops());
        out.put("peak_derivation", peak.peak().derivation());
        out.put("peak_check", peak.lines());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : ordered()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("shape", r.shape());
            m.put("from", origin(r.shape()));
            m.put("variant", r.variant());
            m.put("micros", r.micros());
            if (!r.variant().equals("jniCopyOnly")) {
                m.put("gflops", r.gflops());
                m.put("percent_of_peak", 100 * r.gflops() / peak.peak().gflops());
                Double blas = blasGflops(r.shape());
                if (blas != null) {
                    m.put("ratio_to_blas", r.gflops() / blas);
                }
            }
            list.add(m);
        }
        out.put("rows", list);
        return out;
    }

    /** GFLOP/s against the square size, one line per rung measured on at least two squares, and the peak. */
    void plot(Path file) throws IOException {
        LineChart chart = new LineChart("GEMM ladder: C = A·B, n×n, float", "n (log scale)", "GFLOP/s (log scale)")
                .logX(true).logY(true);
        double lo = Double.MAX_VALUE;
        double hi = 0;
        int colour = 0;
        for (String rung : GemmBenchmark.RUNGS) {
            List<double[]> points = new ArrayList<>();
            for (String square : GemmShapes.SQUARES) {
                for (Row r : rows) {
                    if (r.variant().equals(rung) && r.shape().equals(square)) {
                        points.add(new double[] {GemmBenchmark.parse(square)[0], r.gflops()});
                    }
                }
            }
            if (points.size() >= 2) {
                chart.add(rung, points.stream().mapToDouble(p -> p[0]).toArray(),
                        points.stream().mapToDouble(p -> p[1]).toArray(), null, LineChart.Style.solid(colour));
                for (double[] p : points) {
                    lo = Math.min(lo, p[0]);
                    hi = Math.max(hi, p[0]);
                }
            }
            colour++;
        }
        if (hi == 0) {
            return; // no square measured twice: nothing to draw
        }
        chart.add(String.format(Locale.ROOT, "peak %.0f", peak.peak().gflops()), new double[] {lo, hi},
                new double[] {peak.peak().gflops(), peak.peak().gflops()}, null, LineChart.Style.dashed(9));
        chart.write(file, 900, 560);
    }

    /** Writes {@code <dir>/gemm-<stamp>.json}, {@code .md} and {@code .png}; returns the JSON's path. */
    Path write(Path dir, String stamp, String mode, double busyCores) throws IOException {
        Path json = dir.resolve("gemm-" + stamp + ".json");
        Json.write(json, json(mode, busyCores));
        AtomicFiles.writeString(dir.resolve("gemm-" + stamp + ".md"), markdown());
        plot(dir.resolve("gemm-" + stamp + ".png"));
        return json;
    }
}
