package glassbox.tools;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox gradcheck <name> [options]}: the numerical gradient check of the tests
 * ({@link GradientCheck}), on any layer, activation or loss the engine has, from the command line.
 *
 * <pre>
 *   ./glassbox gradcheck dense
 *   ./glassbox gradcheck conv2d --filters 4 --kernel-size 3 --strides 2 --padding same --input 7x7x3
 *   ./glassbox gradcheck sparse_categorical_crossentropy --from-logits --input 10 --batch 8
 * </pre>
 *
 * It prints one row per tensor — the input and each trainable parameter by its Keras name ({@code kernel},
 * {@code bias}, {@code gamma}, …), or a loss's predictions — with the probes taken, those decided at the
 * smaller step {@code h/10} and those skipped on kinks (see {@link GradientCheck}),
 * the largest absolute and relative errors, and whether the tensor passed. Exit code 0 when every tensor
 * passes, 1 when one is beyond tolerance, 2 on a usage error (an unknown name lists the known ones; an
 * option the name does not take, or a value it cannot use, is named with what was expected).
 *
 * <p>{@link #run} checks any built {@link glassbox.nn.Layer} the same way, so a test can hand it a layer
 * that is wrong on purpose and see the command fail.
 */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, version = "glassbox 0.1", sortOptions = false, usageHelpWidth = 110,
        description = {"Checks a layer's or loss's backward pass against central differences.", ""})
public final class GradcheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "a layer, activation or loss (listed below)")
    String name;

    @Option(names = "--units", paramLabel = "N", description = "dense: output units (default 3)")
    Integer units;

    @Option(names = "--filters", paramLabel = "N", description = "conv2d: output channels (default 3)")
    Integer filters;

    @Option(names = "--kernel-size", paramLabel = "K", description = "conv2d: square kernel side (default 3)")
    Integer kernelSize;

    @Option(names = "--strides", paramLabel = "S", description = "conv2d (default 1), maxpooling2d (default: pool size)")
    Integer strides;

    @Option(names = "--padding", paramLabel = "P", description = "conv2d, maxpooling2d: valid (default) or same")
    String padding;

    @Option(names = "--activation", paramLabel = "A",
            description = "dense, conv2d (default linear), activation (default relu): linear, relu, sigmoid, tanh, softmax")
    String activation;

    @Option(names = "--pool-size", paramLabel = "P", description = "maxpooling2d: square pool side (default 2)")
    Integer poolSize;

    @Option(names = "--size", paramLabel = "S", description = "upsampling2d: repeat factor (default 2)")
    Integer size;

    @Option(names = "--rate", paramLabel = "R", description = "dropout: drop probability (default 0.5)")
    Double rate;

    @Option(names = "--target-shape", paramLabel = "AxB..", description = "reshape: e.g. 3x4 or -1x2 (default 2x(rest))")
    String targetShape;

    @Option(names = "--from-logits", description = "crossentropy losses: predictions are logits")
    boolean fromLogits;

    @Option(names = "--input", paramLabel = "HxWxC|N",
            description = "one sample's shape: HxWxC for images, N for features or classes (default per name)")
    String input;

    @Option(names = "--batch", paramLabel = "N", description = "samples in the batch (default 2; losses 4)")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "seed of weights, inputs, g and probe choice (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--step", paramLabel = "H", description = "central-difference step h (default 1e-2; losses 1e-3)")
    Double step;

    @Option(names = "--rtol", paramLabel = "R", description = "relative tolerance (default 1e-2)")
    Double rtol;

    @Option(names = "--atol", paramLabel = "A", description = "absolute tolerance (default 1e-3; losses 1e-4)")
    Double atol;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new GradcheckCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.getCommandSpec().usageMessage().footer("", "Names (Keras's): " + String.join(", ",
                GradcheckSubjects.SPECS.keySet()), "", "Exit code: 0 all tensors pass, 1 a tensor is beyond "
                + "tolerance, 2 usage error.");
        cli.setParameterExceptionHandler((e, args1) -> {
            err.println("gradcheck: " + e.getMessage());
            err.println("(./glassbox gradcheck --help lists the names and options)");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        GradcheckSubjects.Spec named = GradcheckSubjects.find(name);
        if (named == null) {
            throw usage("unknown layer or loss '" + name + "'; known names: "
                    + String.join(", ", GradcheckSubjects.SPECS.keySet()));
        }
        requireApplicableOptions(named);
        GradcheckSubjects.Subject subject;
        GradientCheck check;
        try {
            int[] sample = GradcheckSubjects.dims("--input", input == null ? named.defaultInput() : input, false);
            int n = batch == null ? (named.loss() ? 4 : 2) : batch;
            if (n <= 0) {
                throw new IllegalArgumentException("--batch must be a positive integer, got " + n);
            }
            subject = GradcheckSubjects.build(named, new GradcheckSubjects.Options(units, filters, kernelSize, strides,
                    padding, activation, poolSize, size, rate, targetShape, sample, n, seed, fromLogits));
            GradientCheck defaults = GradcheckSubjects.defaultCheck(named, subject.x().size());
            check = new GradientCheck(step != null ? step : defaults.step(),
                    rtol != null ? rtol : defaults.relativeTolerance(),
                    atol != null ? atol : defaults.absoluteTolerance());
        } catch (IllegalArgumentException e) {
            throw usage(named.name() + ": " + e.getMessage());
        }
        return run(named.name(), subject, check, seed, spec.commandLine().getOut());
    }

    /** Options given that {@code named} does not take are a usage error naming them and the ones it does take. */
    private void requireApplicableOptions(GradcheckSubjects.Spec named) {
        List<String> wrong = new ArrayList<>();
        for (CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            String option = o.longestName();
            if (!GradcheckSubjects.COMMON.contains(option) && !named.options().contains(option)) {
                wrong.add(option);
            }
        }
        if (!wrong.isEmpty()) {
            throw usage(String.join(", ", wrong) + (wrong.size() == 1 ? " does" : " do") + " not apply to "
                    + named.name() + "; it takes " + (named.options().isEmpty() ? ""
                    : String.join(", ", named.options()) + " and ") + "--input, --batch, --seed, --step, --rtol, --atol");
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * Checks {@code subject}, prints the header and one row per tensor to {@code out}, and returns the exit
     * code: 0 when every tensor passed, 1 otherwise (the disagreeing probes are listed under the table).
     */
    static int run(String name, GradcheckSubjects.Subject subject, GradientCheck check, long seed, PrintWriter out) {
        GradientCheck.Report report = subject.check(check, seed);
        out.println("gradcheck " + name + ": " + subject.title());
        out.println("batch " + Tensor.shapeString(subject.x().shape()) + ", seed " + seed + "; "
                + (subject.layer() != null ? "f = Σ forward(x)·g for a seeded random g" : "f = the batch-mean loss"));
        out.println("central differences, h = " + plain(check.step()) + "; a probe passes when "
                + "|analytic − numerical| ≤ atol + rtol·max(|analytic|, |numerical|), rtol = "
                + plain(check.relativeTolerance()) + ", atol = " + plain(check.absoluteTolerance()));
        if (subject.note() != null) {
            out.println(subject.note());
        }
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"tensor", "shape", "probes", "at h/10", "skipped (kinks)", "max abs error",
                "max rel error", "result"});
        for (GradientCheck.TensorCheck t : report.tensors()) {
            int[] shape = subject.shapes().get(t.name());
            rows.add(new String[]{t.name(), shape == null ? "?" : Tensor.shapeString(shape),
                    t.probes() == t.size() ? String.valueOf(t.probes()) : t.probes() + " of " + t.size(),
                    String.valueOf(t.refined()), String.valueOf(t.skipped()), scientific(t.maxAbsError()), scientific(t.maxRelError()),
                    t.passed() ? "pass" : "FAIL"});
        }
        printTable(rows, out);
        out.println();
        long failed = report.tensors().stream().filter(t -> !t.passed()).count();
        int n = report.tensors().size();
        if (failed == 0) {
            out.println("pass: " + (n == 1 ? "the tensor is" : "all " + n + " tensors are") + " within tolerance");
        } else {
            out.print(report.failures());
            if (report.tensors().stream().anyMatch(t -> !t.passed() && t.skipped() + t.refined() > 0)) {
                out.println("hint: kinks (ReLU at 0, pooling ties) lay within h of some probes, so a failure beside them"
                        + " may be one more kink; a smaller --step (say 1e-4, with --atol 3e-3 for float rounding),"
                        + " --batch or --input tells the two apart");
            }
            out.println("FAILED: " + failed + " of " + n + (n == 1 ? " tensor" : " tensors") + " beyond tolerance");
        }
        out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** 0.001 rather than 1.0E-3: how a user types it. */
    private static String plain(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String scientific(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    private static void printTable(List<String[]> rows, PrintWriter out) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : "  ").append(String.format("%-" + width[c] + "s", row[c]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
