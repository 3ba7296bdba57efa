package glassbox.bench;

import glassbox.kernels.Conv;
import glassbox.plot.BarChart;
import glassbox.tensor.Blas;
import glassbox.util.AtomicFiles;
import glassbox.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntBiFunction;
import org.openjdk.jmh.results.RunResult;

/**
 * The convolution ladder's results ({@link ConvLadderBenchmark}) as GFLOP/s per shape, rung and pass, each
 * beside the engine's path ({@code ×engine}) and BLAS alone on the engine's GEMMs ({@code ×gemm}): printed,
 * and written to {@code runs/bench/conv-<timestamp>.json}, {@code .md} and one PNG bar chart per pass.
 */
final class ConvLadderReport {
    static final String ENGINE = "engine-conv2d";
    static final List<String> PASSES = List.of("forward", "backwardFilter", "backwardData");
    private static final List<String> PASS_TITLES = List.of("forward", "backward-filter", "backward-data");

    /** One measurement: a rung's pass on a shape. */
    record Cell(String shape, String rung, String name, int samples, String pass, double microseconds,
                double gflops, double vsEngine, double vsGemm) {
    }

    private final List<String> shapes;
    private final List<String> rungs;
    private final Map<String, Cell> cells = new LinkedHashMap<>(); // by shape|rung|pass

    /**
     * From microseconds per call: {@code shape → rung key → pass → µs}, rungs in ladder order; a rung's
     * samples per call from {@code samples(shape, rung)}.
     */
    ConvLadderReport(Map<String, Map<String, Map<String, Double>>> micros, List<String> rungOrder,
                     ToIntBiFunction<String, String> samples, Function<String, String> names) {
        this.shapes = List.copyOf(micros.keySet());
        List<String> present = new ArrayList<>();
        for (String r : rungOrder) {
            if (micros.values().stream().anyMatch(m -> m.containsKey(r))) {
                present.add(r);
            }
        }
        this.rungs = List.copyOf(present);
        for (String shape : shapes) {
            double perSample = Conv.flops(1, ConvLadderBenchmark.window(shape), ConvLadderBenchmark.filters(shape));
            Map<String, Map<String, Double>> m = micros.get(shape);
            for (String pass : PASSES) {
                double engine = gflops(perSample, samples.applyAsInt(shape, ENGINE), m.get(ENGINE), pass);
                double gemm = gflops(perSample, samples.applyAsInt(shape, ConvLadderBenchmark.GEMM_ONLY),
                        m.get(ConvLadderBenchmark.GEMM_ONLY), pass);
                for (String rung : rungs) {
                    Map<String, Double> byPass = m.get(rung);
                    if (byPass == null || !byPass.containsKey(pass)) {
                        continue;
                    }
                    int n = samples.applyAsInt(shape, rung);
                    double g = gflops(perSample, n, byPass, pass);
                    cells.put(shape + "|" + rung + "|" + pass, new Cell(shape, rung, names.apply(rung), n, pass,
                            byPass.get(pass), g, g / engine, g / gemm));
                }
            }
        }
    }

    /** From JMH's results of {@link ConvLadderBenchmark}. */
    static ConvLadderReport of(Collection<RunResult> results) {
        Map<String, Map<String, Map<String, Double>>> micros = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            micros.computeIfAbsent(r.getParams().getParam("shape"), s -> new LinkedHashMap<>())
                    .computeIfAbsent(r.getParams().getParam("rung"), s -> new LinkedHashMap<>())
                    .put(name.substring(name.lastIndexOf('.') + 1),
                            BenchMain.toMicros(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreUnit()));
        }
        return new ConvLadderReport(micros, ConvLadderBenchmark.rungKeys(), ConvLadderBenchmark::samples,
                ConvLadderReport::displayName);
    }

    static String displayName(String rungKey) {
        return rungKey.equals(ConvLadderBenchmark.GEMM_ONLY) ? "BLAS GEMM only"
                : ConvLadderBenchmark.find(rungKey).name();
    }

    private static double gflops(double flopsPerSample, int samples, Map<String, Double> byPass, String pass) {
        Double us = byPass == null ? null : byPass.get(pass);
        return us == null ? Double.NaN : flopsPerSample * samples / (us * 1e3);
    }

    List<Cell> cells() {
        return List.copyOf(cells.values());
    }

    Cell cell(String shape, String rung, String pass) {
        return cells.get(shape + "|" + rung + "|" + pass);
    }

    /** Fixed-width table: one block of rows per shape, three columns (GFLOP/s, ×engine, ×gemm) per pass. */
    String table() {
        StringBuilder sb = new StringBuilder(header());
        String row = "%-22s %-26s %4s" + " %8s %7s %7s".repeat(3) + "%n";
        sb.append(String.format(Locale.ROOT, row, "H:W:C:F:padding", "rung", "n", "fwd", "×eng", "×gemm", "filter",
                "×eng", "×gemm", "data", "×eng", "×gemm"));
        for (String shape : shapes) {
            for (String rung : rungs) {
                List<Object> values = new ArrayList<>(List.of(shape, displayName(shape, rung), samples(shape, rung)));
                for (String pass : PASSES) {
                    Cell c = cell(shape, rung, pass);
                    values.add(fmt(c == null ? Double.NaN : c.gflops()));
                    values.add(ratio(c == null ? Double.NaN : c.vsEngine()));
                    values.add(ratio(c == null ? Double.NaN : c.vsGemm()));
                }
                sb.append(String.format(Locale.ROOT, row, values.toArray()));
            }
        }
        sb.append(footnote());
        return sb.toString();
    }

    /** The same table in Markdown, for the run folder and the README. */
    String markdown() {
        StringBuilder sb = new StringBuilder("# Convolution ladder\n\n" + header() + "\n");
        sb.append("| H:W:C:F:padding | rung | samples | forward | ×engine | ×gemm | filter | ×engine | ×gemm | data"
                + " | ×engine | ×gemm |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (String shape : shapes) {
            for (String rung : rungs) {
                sb.append("| ").append(shape).append(" | ").append(displayName(shape, rung)).append(" | ")
                        .append(samples(shape, rung));
                for (String pass : PASSES) {
                    Cell c = cell(shape, rung, pass);
                    sb.append(" | ").append(fmt(c == null ? Double.NaN : c.gflops())).append(" | ")
                            .append(ratio(c == null ? Double.NaN : c.vsEngine())).append(" | ")
                            .append(ratio(c == null ? Double.NaN : c.vsGemm()));
                }
                sb.append(" |\n");
            }
        }
        sb.append('\n').append(footnote());
        return sb.toString();
    }

    private String displayName(String shape, String rung) {
        for (String pass : PASSES) {
            Cell c = cell(shape, rung, pass);
            if (c != null) {
                return c.name();
            }
        }
        return rung;
    }

    private String samples(String shape, String rung) {
        for (String pass : PASSES) {
            Cell c = cell(shape, rung, pass);
            if (c != null) {
                return Integer.toString(c.samples());
            }
        }
        return "-";
    }

    private static String header() {
        return "GFLOP/s per pass (2·n·outH·outW·9C·F FLOPs over n samples; batch " + ConvLadderBenchmark.BATCH
                + " for the BLAS-backed rungs), " + Blas.describe() + "\n";
    }

    private static String footnote() {
        return "(×eng = the rung's GFLOP/s over the engine's path; ×gemm = over BLAS alone on the engine's chunked GEMMs"
                + " (for data: the col2im route's GEMM, which the engine replaces by a convolution of dY where that"
                + " moves fewer bytes); the slow rungs run the n samples that fit "
                + String.format(Locale.ROOT, "%.1f", ConvLadderBenchmark.FLOP_BOUND / 1e9) + " GFLOP per call)\n";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : v >= 0.1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3f", v);
    }

    /**
     * Writes {@code conv-<stamp>.json}, {@code .md} and {@code conv-<stamp>-<pass>.png} into
     * {@code dir}, each atomically; returns the JSON file's path.
     */
    Path write(Path dir, String command) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "conv-ladder");
        out.put("command", command);
        out.put("blas", Blas.describe());
        out.put("time", LocalDateTime.now().toString());
        out.put("batch", ConvLadderBenchmark.BATCH);
        out.put("flopBoundPerCall", ConvLadderBenchmark.FLOP_BOUND);
        out.put("cells", cells());
        Path json = dir.resolve("conv-" + stamp + ".json");
        Json.write(json, out);
        AtomicFiles.writeString(dir.resolve("conv-" + stamp + ".md"), markdown());
        for (int p = 0; p < PASSES.size(); p++) {
            BarChart chart = chart(PASSES.get(p), PASS_TITLES.get(p));
            if (chart != null) {
                chart.write(dir.resolve("conv-" + stamp + "-" + PASS_TITLES.get(p) + ".png"), 1100, 550);
            }
        }
        return json;
    }

    /**
     * One bar per rung and shape, GFLOP/s on a log axis; rungs missing a value on some shape are left out
     * ({@code null} when that leaves none).
     */
    BarChart chart(String pass, String title) {
        BarChart chart = new BarChart("Convolution ladder, " + title + " (batch " + ConvLadderBenchmark.BATCH
                + ")", "H:W:C:F:padding", "GFLOP/s (log scale)", shapes.toArray(new String[0])).logarithmic();
        boolean any = false;
        for (String rung : rungs) {
            double[] v = new double[shapes.size()];
            boolean complete = true;
            String name = rung;
            for (int s = 0; s < shapes.size(); s++) {
                Cell c = cell(shapes.get(s), rung, pass);
                complete &= c != null && c.gflops() > 0;
                v[s] = c == null ? Double.NaN : c.gflops();
                name = c == null ? name : c.name();
            }
            if (complete) {
                chart.add(name, v);
                any = true;
            }
        }
        return any ? chart : null;
    }
}
