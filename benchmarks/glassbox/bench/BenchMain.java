package glassbox.bench;

import glassbox.tensor.Blas;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./glassbox bench <what>}: the benchmarks, run in the environment the launcher set up (so the
 * BLAS measured is the BLAS the experiments use).
 * <pre>
 *   bench gemm [JMH options]      the GEMM ladder ({@link GemmBenchmark}), then a GFLOP/s table
 *   bench conv [JMH options]      the convolution ladder ({@link ConvLadderBenchmark}), table, JSON, charts
 *   bench blas-paths              every BLAS path ({@link BlasPaths}) measured again, ratios to the best
 *   bench unsupervised            k-means, mini-batch k-means, PCA, DBSCAN, t-SNE beside scikit-learn
 *                                 ({@link UnsupervisedBenchmark})
 * </pre>
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run glassbox's benchmarks in the launcher's BLAS environment.",
        subcommands = {
            // Subcommands are registered here, one class each.
            BenchMain.Gemm.class,
            BenchMain.Conv.class,
            BenchMain.BlasPathsCommand.class,
            MlpEpochBenchmark.class,
            CnnEpochBenchmark.class,
            UnsupervisedBenchmark.class,
        })
public final class BenchMain implements Callable<Integer> {
    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return 2;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchMain());
        // "bench gemm -f 1 -p shape=…": options picocli does not know are JMH's, handed over as they are.
        cli.setUnmatchedOptionsArePositionalParams(true);
        System.exit(cli.execute(args));
    }

    /** The JMH GEMM ladder, with short default settings; any JMH command-line option overrides them. */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = {"JMH ladder of C = op(A)·op(B), naive Java to raw jblas, in GFLOP/s.",
                "Variants: v1Naive, v2JavaBlocked, v3BlasFacade, v4JblasNative, plus jniCopyOnly and jblasPadded",
                "(the JNI copy cost). Arguments are JMH's own options (java -jar benchmarks.jar -h), e.g.",
                "  -f 1 -wi 3 -w 1s -i 5 -r 1s   (the defaults here)",
                "  -p shape=32:128:784:N:N       (one shape: m:n:k:transA:transB)",
                "  v3|v4                         (a regex selecting variants)"})
    static final class Gemm implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "JMH-OPTION", description = "passed to JMH")
        List<String> jmhArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Collection<RunResult> results = runJmh(GemmBenchmark.class, jmhArgs, 3, 5);
            if (results == null) {
                return 2;
            }
            System.out.println();
            System.out.print(gflopsTable(results));
            return 0;
        }
    }

    /**
     * The convolution ladder ({@link ConvLadderBenchmark}): every rung's three passes on the seed CNNs' conv
     * shapes, short defaults; then the GFLOP/s table, written with its charts to {@code runs/bench/}.
     */
    @Command(name = "conv", mixinStandardHelpOptions = true,
            description = {"JMH: the convolution ladder on the seed CNNs' Conv2D shapes at batch 128:",
                "direct loops, im2col on each GEMM rung, the engine's Conv2D, and BLAS alone on",
                "the engine's GEMMs; forward, backward-filter, backward-data, in GFLOP/s and as",
                "ratios to the engine and to BLAS alone. Writes runs/bench/conv-<time>.json,",
                ".md and a bar chart per pass. Defaults: four shapes, every rung, 1 fork,",
                "1×1 s warm-up, 2×1 s. Other arguments are JMH's options, e.g.",
                "  -p shape=28:28:32:128:valid,13:13:128:64:same",
                "  -p rung=engine-conv2d,blas-gemm-only",
                "  forward|backwardData      (a regex of passes)"})
    static final class Conv implements Callable<Integer> {
        @Option(names = "--all-shapes", description = "all 16 seed Conv2D shapes, not the default four")
        boolean allShapes;

        @Parameters(arity = "0..*", paramLabel = "JMH-OPTION", description = "passed to JMH")
        List<String> jmhArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Map<String, String[]> defaults = new LinkedHashMap<>();
            defaults.put("shape", allShapes ? ConvLadderBenchmark.SHAPES : ConvLadderBenchmark.DEFAULT_SHAPES);
            defaults.put("rung", ConvLadderBenchmark.rungKeys().toArray(new String[0]));
            Collection<RunResult> results = runJmh(ConvLadderBenchmark.class, jmhArgs, 1, 2, defaults);
            if (results == null) {
                return 2;
            }
            ConvLadderReport report = ConvLadderReport.of(results);
            System.out.println();
            System.out.print(report.table());
            Path json = report.write(glassbox.data.Datasets.home().resolve("runs").resolve("bench"),
                    "bench conv " + (allShapes ? "--all-shapes " : "") + String.join(" ", jmhArgs));
            System.out.println("results: " + json + " (with .md and a PNG per pass beside it)");
            return 0;
        }
    }

    /**
     * Runs the JMH benchmarks of {@code benchmark} with short defaults (1 fork, {@code warmups}×1 s,
     * {@code measurements}×1 s); any JMH option in {@code args} overrides them. {@code null} on a bad option.
     */
    static Collection<RunResult> runJmh(Class<?> benchmark, List<String> args, int warmups, int measurements)
            throws Exception {
        return runJmh(benchmark, args, warmups, measurements, Map.of());
    }

    /** {@link #runJmh(Class, List, int, int)}, with {@code @Param} values used where the user sets none. */
    static Collection<RunResult> runJmh(Class<?> benchmark, List<String> args, int warmups, int measurements,
                                        Map<String, String[]> defaultParams) throws Exception {
        CommandLineOptions cmd;
        try {
            cmd = new CommandLineOptions(args.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            System.err.println("bench: " + e.getMessage());
            return null;
        }
        String prefix = Pattern.quote(benchmark.getName() + ".");
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cmd);
        // JMH takes the union of our includes and the user's, so the user's regex would widen the run:
        // keep it to this class with an exclude of every name that does not start with it.
        if (cmd.getIncludes().isEmpty()) {
            b.include(prefix);
        }
        b.exclude("^(?!" + prefix + ")");
        // Short defaults; our builder's settings would override the user's, so set only missing ones.
        if (!cmd.getForkCount().hasValue()) {
            b.forks(1);
        }
        if (!cmd.getWarmupIterations().hasValue()) {
            b.warmupIterations(warmups);
        }
        if (!cmd.getWarmupTime().hasValue()) {
            b.warmupTime(TimeValue.seconds(1));
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            b.measurementIterations(measurements);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            b.measurementTime(TimeValue.seconds(1));
        }
        for (Map.Entry<String, String[]> p : defaultParams.entrySet()) {
            if (!cmd.getParameter(p.getKey()).hasValue()) {
                b.param(p.getKey(), p.getValue());
            }
        }
        return new Runner(b.build()).run();
    }

    /**
     * JMH's times turned into GFLOP/s ({@code 2·m·n·k / time}), one row per shape and one column per
     * variant in ladder order, plus the JNI copy time and its share of the raw jblas call.
     */
    static String gflopsTable(Collection<RunResult> results) {
        // shape → variant → microseconds per call
        Map<String, Map<String, Double>> micros = new LinkedHashMap<>();
        Set<String> variants = new LinkedHashSet<>(
                List.of("v1Naive", "v2JavaBlocked", "v3BlasFacade", "v4JblasNative", "jblasPadded"));
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String variant = name.substring(name.lastIndexOf('.') + 1);
            String shape = r.getParams().getParam("shape");
            double score = r.getPrimaryResult().getScore();
            double us = toMicros(score, r.getPrimaryResult().getScoreUnit());
            micros.computeIfAbsent(shape, s -> new LinkedHashMap<>()).put(variant, us);
            if (!variant.equals("jniCopyOnly")) {
                variants.add(variant);
            }
        }
        variants.removeIf(v -> micros.values().stream().noneMatch(m -> m.containsKey(v)));
        StringBuilder sb = new StringBuilder("GFLOP/s (2·m·n·k / time per call), " + Blas.describe()
                + "\n");
        sb.append(String.format(Locale.ROOT, "%-20s", "m:n:k:transA:transB"));
        for (String v : variants) {
            sb.append(String.format(Locale.ROOT, " %13s", v));
        }
        sb.append(String.format(Locale.ROOT, " %12s %10s %14s%n", "JNI copy µs", "copy/v4", "v4 w/o copy"));
        for (Map.Entry<String, Map<String, Double>> row : micros.entrySet()) {
            double flops = GemmBenchmark.flops(row.getKey());
            sb.append(String.format(Locale.ROOT, "%-20s", row.getKey()));
            for (String v : variants) {
                Double us = row.getValue().get(v);
                sb.append(us == null ? String.format(Locale.ROOT, " %13s", "-")
                        : String.format(Locale.ROOT, " %13.1f", flops / (us * 1e3)));
            }
            Double copy = row.getValue().get("jniCopyOnly");
            Double raw = row.getValue().get("v4JblasNative");
            if (copy != null) {
                sb.append(String.format(Locale.ROOT, " %12.1f", copy));
                if (raw != null && raw > copy) {
                    sb.append(String.format(Locale.ROOT, " %9.0f%% %14.1f", 100 * copy / raw,
                            flops / ((raw - copy) * 1e3)));
                }
            }
            sb.append('\n');
        }
        sb.append("(v4 w/o copy = GFLOP/s of the raw jblas call with the JNI copy time subtracted: what OpenBLAS's"
                + " kernel itself reaches)\n");
        return sb.toString();
    }

    static double toMicros(double score, String unit) {
        switch (unit) {
            case "ns/op":
                return score / 1e3;
            case "us/op":
                return score;
            case "ms/op":
                return score * 1e3;
            case "s/op":
                return score * 1e6;
            default:
                throw new IllegalArgumentException("bench gemm needs an average-time mode (e.g. -bm avgt), got a"
                        + " score in " + unit);
        }
    }

    /** Every BLAS path measured again in one run, as a table with each path's ratio to the best. */
    @Command(name = "blas-paths", mixinStandardHelpOptions = true,
            description = {"Measure every BLAS path, with ratios to the best.",
                "Each path (bundled or system OpenBLAS, detected or forced kernel, 1 or all threads) runs",
                "in its own JVM. With --write, also choose the best and write blas.env and blas-probe.txt",
                "(what './glassbox setup' does)."})
    static final class BlasPathsCommand implements Callable<Integer> {
        @Option(names = "--write", paramLabel = "DIR",
                description = "choose the best path and write DIR/blas.env and DIR/blas-probe.txt")
        Path writeDir;

        @Option(names = "--batch-seconds", paramLabel = "S",
                description = "length of one timed batch in each probe (default: ${DEFAULT-VALUE})")
        double batchSeconds = 0.12;

        @Option(names = "--rounds", paramLabel = "N",
                description = "times each path is measured, round-robin; the best counts (default: ${DEFAULT-VALUE})")
        int rounds = 2;

        @Override
        public Integer call() throws Exception {
            int threads = Runtime.getRuntime().availableProcessors();
            boolean choosing = writeDir != null;
            double busy = BlasPaths.busyCores();
            if (busy > 0.25) {
                System.err.printf(Locale.ROOT, "glassbox: warning: other processes keep %.1f of %d cores busy, which"
                        + " skews these measurements (run again when the machine is idle)%n", busy, threads);
            }
            List<BlasPaths.Candidate> candidates = BlasPaths.candidates(threads, !choosing);
            List<BlasPaths.Measurement> results = BlasPaths.measureAll(candidates, batchSeconds, rounds, true);
            System.out.print(BlasPaths.table(results));
            BlasPaths.Measurement best = BlasPaths.best(results);
            if (best == null) {
                System.err.println("glassbox: no BLAS path computed correct results; see the table above");
                return 1;
            }
            System.out.println("best: " + BlasPaths.describe(best));
            String current = System.getenv("GLASSBOX_BLAS");
            if (!choosing && current != null) {
                System.out.println("in use: " + current);
            }
            if (choosing) {
                BlasPaths.write(writeDir, results, best, busy);
            }
            return 0;
        }
    }
}
