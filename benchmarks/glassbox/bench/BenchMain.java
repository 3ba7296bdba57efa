package glassbox.bench;

import glassbox.tensor.Blas;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
 *   bench gemm [--full] [JMH]     the GEMM ladder ({@link GemmBenchmark}): GFLOP/s, % of peak, × BLAS
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
            NumpyGapBenchmark.class,
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

    /**
     * The JMH GEMM ladder ({@link GemmBenchmark}): a few minutes by default, everything with {@code --full};
     * then a table of GFLOP/s, % of this CPU's peak and ratio to BLAS, written with its JSON and a PNG to
     * {@code runs/bench/}. Any JMH command-line option overrides the defaults.
     */
    @Command(name = "gemm", mixinStandardHelpOptions = true,
            description = {"JMH ladder of C = op(A)·op(B), naive Java to BLAS: GFLOP/s, %% of peak, ratio to BLAS.",
                "Rungs: naive, ikj, blocked, packed, parallel, vector, vectorParallel (the Vector API; its JMH fork",
                "gets --add-modules=jdk.incubator.vector), blas; with --full also v4JblasNative, jniCopyOnly,",
                "jblasPadded (the JNI copy cost). Default: " + Gemm.SHORT_SHAPES_COUNT + " shapes, 2×0.5 s warm-up,"
                + " 3×0.5 s measured (a few minutes);",
                "--full: all " + Gemm.ALL_SHAPES_COUNT + " shapes (squares 64…2048, the MLP at batch 32 and 256, every"
                + " seed conv's per-call GEMMs at batch 128), 3×1 s + 5×1 s (over an hour).",
                "Writes runs/bench/gemm-<time>.json, .md and .png. Other arguments are JMH's own options, e.g.",
                "  -p shape=32:128:784:N:N       (shapes: m:n:k:transA:transB)",
                "  'packed|vector'               (a regex selecting variants)"})
    static final class Gemm implements Callable<Integer> {
        /** The short run's shapes: squares, the MLP's first layer at both batches and its filter gradient, one conv layer's three passes. */
        static final List<String> SHORT_SHAPES = List.of("128:128:128:N:N", "256:256:256:N:N", "512:512:512:N:N",
                "1024:1024:1024:N:N", "32:128:784:N:N", "784:128:32:T:N", "256:128:784:N:N",
                "676:128:288:N:N", "288:128:676:T:N", "676:288:128:N:T");
        static final int SHORT_SHAPES_COUNT = 10;
        static final int ALL_SHAPES_COUNT = 45;

        @Option(names = "--full", description = "every shape and variant, longer iterations (over an hour)")
        boolean full;

        @Parameters(arity = "0..*", paramLabel = "JMH-OPTION", description = "passed to JMH")
        List<String> jmhArgs = new ArrayList<>();

        /**
         * The JMH runs to make: the user's options, plus the default shapes and rungs. Shapes given by
         * {@code -p} apply to every benchmark, so when shapes are chosen here the slow rungs (naive, ikj) get
         * a run of their own with the shapes they can do ({@link GemmBenchmark#SLOW_LIMIT}); with a regex of
         * the user's, the choice of variants is theirs and there is one run.
         */
        List<List<String>> jmhRuns(CommandLineOptions given) {
            String prefix = Pattern.quote(GemmBenchmark.class.getName() + ".");
            List<String> shapes = given.getParameter("shape").hasValue() ? new ArrayList<>(given.getParameter("shape").get())
                    : full ? null : SHORT_SHAPES;
            List<String> base = withoutShapeOption(jmhArgs);
            if (!given.getIncludes().isEmpty() || shapes == null) {
                List<String> args = new ArrayList<>(base);
                if (shapes != null) {
                    args.addAll(List.of("-p", "shape=" + String.join(",", shapes)));
                }
                return List.of(args); // full without -p: each state's own @Param list, slow rungs' already limited
            }
            List<List<String>> runs = new ArrayList<>();
            List<String> slowShapes = shapes.stream().filter(s -> GemmBenchmark.flops(s) / 2 <= GemmBenchmark.SLOW_LIMIT).toList();
            if (!slowShapes.isEmpty()) {
                List<String> slow = new ArrayList<>(base);
                slow.addAll(List.of(prefix + "(naive|ikj)$", "-p", "shape=" + String.join(",", slowShapes)));
                runs.add(slow);
            }
            List<String> rest = new ArrayList<>(base);
            rest.addAll(List.of(full ? prefix + "(?!(naive|ikj)$)\\w+$"
                            : prefix + "(" + String.join("|", GemmBenchmark.RUNGS.subList(2, GemmBenchmark.RUNGS.size())) + ")$",
                    "-p", "shape=" + String.join(",", shapes)));
            runs.add(rest);
            return runs;
        }

        /** {@code args} without {@code -p shape=…}: the shapes are passed again per run. */
        static List<String> withoutShapeOption(List<String> args) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                if (args.get(i).equals("-p") && i + 1 < args.size() && args.get(i + 1).startsWith("shape=")) {
                    i++;
                } else if (!args.get(i).startsWith("-pshape=")) {
                    out.add(args.get(i));
                }
            }
            return out;
        }

        @Override
        public Integer call() throws Exception {
            CommandLineOptions given;
            try {
                given = new CommandLineOptions(jmhArgs.toArray(new String[0]));
            } catch (CommandLineOptionException e) {
                System.err.println("bench: " + e.getMessage());
                return 2;
            }
            double busy = BlasPaths.busyCores();
            if (busy > 0.25) {
                System.err.printf(Locale.ROOT, "glassbox: warning: other processes keep %.1f of %d cores busy: the"
                        + " figures below are from a shared machine%n", busy, Runtime.getRuntime().availableProcessors());
            }
            TimeValue time = full ? TimeValue.seconds(1) : TimeValue.milliseconds(500);
            List<RunResult> results = new ArrayList<>();
            for (List<String> args : jmhRuns(given)) {
                Collection<RunResult> run = runJmh(GemmBenchmark.class, args, full ? 3 : 2, full ? 5 : 3, time,
                        List.of(GemmBenchmark.VECTOR_MODULE), Map.of());
                if (run == null) {
                    return 2;
                }
                results.addAll(run);
            }
            List<GemmReport.Row> rows = GemmReport.rows(results);
            GemmReport.Row best = GemmReport.best(rows);
            CpuPeak cpu = CpuPeak.detect();
            if (best == null || cpu == null) {
                System.err.println("bench gemm: " + (best == null ? "nothing was measured" : "cannot read /proc/cpuinfo"
                        + " to derive the peak"));
                return best == null ? 1 : 0;
            }
            System.out.println();
            System.out.println(cpu.derivation());
            CpuPeak.Checked peak = cpu.check(best.gflops(), best.variant() + " at " + best.shape());
            GemmReport report = new GemmReport(rows, peak);
            System.out.print(report.markdown());
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path dir = glassbox.data.Datasets.home().resolve("runs").resolve("bench");
            Path json = report.write(dir, stamp, full ? "full" : "short", busy);
            System.out.println("results: " + json + " (and .md, .png)");
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
            Collection<RunResult> results = runJmh(ConvLadderBenchmark.class, jmhArgs, 1, 2, TimeValue.seconds(1), List.of(),
                    defaults);
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
        return runJmh(benchmark, args, warmups, measurements, TimeValue.seconds(1), List.of(), Map.of());
    }

    /**
     * As {@link #runJmh(Class, List, int, int)}, with iterations of {@code time}, {@code jvmArgs} appended to
     * the fork's JVM options (after any the user gave with {@code -jvmArgsAppend}), and {@code @Param} values
     * used where the user sets none.
     */
    static Collection<RunResult> runJmh(Class<?> benchmark, List<String> args, int warmups, int measurements,
                                        TimeValue time, List<String> jvmArgs, Map<String, String[]> defaultParams)
            throws Exception {
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
            b.warmupTime(time);
        }
        if (!cmd.getMeasurementIterations().hasValue()) {
            b.measurementIterations(measurements);
        }
        if (!cmd.getMeasurementTime().hasValue()) {
            b.measurementTime(time);
        }
        if (!jvmArgs.isEmpty()) {
            List<String> append = new ArrayList<>(cmd.getJvmArgsAppend().orElse(List.of()));
            append.addAll(jvmArgs);
            b.jvmArgsAppend(append.toArray(new String[0]));
        }
        for (Map.Entry<String, String[]> p : defaultParams.entrySet()) {
            if (!cmd.getParameter(p.getKey()).hasValue()) {
                b.param(p.getKey(), p.getValue());
            }
        }
        return new Runner(b.build()).run();
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
