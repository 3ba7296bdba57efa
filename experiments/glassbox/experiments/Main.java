package glassbox.experiments;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The command line behind {@code ./glassbox run <experiment> [flags]} and {@code ./glassbox list}.
 *
 * <p>Usage mistakes (an unknown experiment, a bad flag) print a short message and the usage, exit code 2;
 * an error while running (missing data, a shape mismatch, a diverging loss) prints one line naming what
 * went wrong, exit code 1 — never a stack trace (set {@code GLASSBOX_DEBUG=1} to see one).
 */
@Command(name = "glassbox", mixinStandardHelpOptions = true, version = "glassbox 0.1",
        description = "Experiments that reproduce the seed notebooks with the glassbox engine.",
        subcommands = {Main.Run.class, Main.ListExperiments.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        return cli.execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        // Everything after the experiment name belongs to the experiment: its own parser checks it.
        cli.getSubcommands().get("run").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + describe(e));
            if (System.getenv("GLASSBOX_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return 1;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "run", description = "Run an experiment: run <experiment> [flags] (see 'list').",
            mixinStandardHelpOptions = true, subcommandsRepeatable = false)
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "an experiment name from 'list'")
        String experiment;

        @Parameters(index = "1..*", paramLabel = "FLAGS", description = "the experiment's own flags")
        List<String> flags = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Experiments.Entry entry = Experiments.find(experiment).orElseThrow(() -> new CommandLine.ParameterException(
                    spec.commandLine(), "unknown experiment '" + experiment + "'; known experiments: "
                    + String.join(", ", Experiments.names())));
            CommandLine sub = new CommandLine(entry.factory().get());
            sub.setCommandName("glassbox run " + entry.name());
            sub.setOut(spec.commandLine().getOut());
            sub.setErr(spec.commandLine().getErr());
            String[] failure = new String[1];
            CommandLine.IExecutionExceptionHandler handler = spec.commandLine().getExecutionExceptionHandler();
            sub.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                failure[0] = describe(e);
                return handler.handleExecutionException(e, commandLine, parseResult);
            });
            sub.setExecutionStrategy(parseResult -> {
                if (!parseResult.isUsageHelpRequested() && !parseResult.isVersionHelpRequested()) {
                    prepareRun(sub, entry.name());
                }
                return new CommandLine.RunLast().execute(parseResult);
            });
            int code = sub.execute(flags.toArray(String[]::new));
            finishRun(sub, code, failure[0]);
            return code;
        }

        /**
         * Before the experiment runs: its flags recorded, and {@code --resume} checked — a refusal is one line
         * and exit code 1, and leaves the folder it names as it was.
         */
        private static void prepareRun(CommandLine sub, String experiment) {
            CommonOptions options = commonOptions(sub);
            if (options == null) {
                return;
            }
            try {
                options.prepare(experiment, options.optionValues(sub.getCommandSpec()));
            } catch (Resume.Refused | java.io.IOException e) {
                throw new CommandLine.ExecutionException(sub, e.getMessage(), e);
            }
        }

        private static CommonOptions commonOptions(CommandLine sub) {
            CommandLine.Model.CommandSpec common = sub.getCommandSpec().mixins().get("common");
            return common != null && common.userObject() instanceof CommonOptions options ? options : null;
        }

        /** Marks the run folder the experiment made (if it made one) finished, or failed with its error line. */
        private static void finishRun(CommandLine sub, int code, String failure) {
            CommonOptions options = commonOptions(sub);
            RunFolder run = options != null ? options.run() : null;
            if (run == null) {
                return;
            }
            try {
                run.finish(code == 0 ? null : failure != null ? failure : "exit code " + code);
            } catch (java.io.IOException e) {
                System.err.println("glassbox: could not record the end of the run in " + run.file(RunFolder.STATUS)
                        + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "list", description = "List the experiments.", mixinStandardHelpOptions = true)
    static final class ListExperiments implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            int width = Experiments.names().stream().mapToInt(String::length).max().orElse(0);
            for (Experiments.Entry e : Experiments.all()) {
                out.printf("%-" + width + "s  %s (seed %s)%n", e.name(), e.description(), e.seed());
            }
            out.flush();
            return 0;
        }
    }
}
