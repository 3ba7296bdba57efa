package glassbox.tools;

import jdk.jshell.tool.JavaShellToolBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox shell}: JShell with the engine on the class path, its packages imported, and
 * {@link ShellHelpers} to load data and take one training step — the Java stand-in for the seeds'
 * notebooks, for building a model, running one batch and looking at a layer's cache and gradients.
 *
 * <p>JShell runs in this JVM ({@code --execution local}): snippets see the launcher's heap size and the
 * BLAS it chose, jblas's native library is loaded once, and there is no second JVM to start. The cost is
 * that a snippet calling {@code System.exit} ends the shell, and that snippets print to this JVM's
 * {@code System.out}. The startup is JShell's {@code DEFAULT} imports ({@code java.util.*}, …) and the
 * engine's; not JShell's {@code PRINTING} shortcuts ({@code println(…)}), which double the time to the
 * first prompt.
 */
@Command(name = "shell", mixinStandardHelpOptions = true, version = "glassbox 0.1",
        description = {"JShell with the glassbox engine loaded (/exit leaves, /help lists JShell's commands).", ""})
public final class ShellCommand implements Callable<Integer> {

    /** The packages the startup script imports, in the order the welcome names them. */
    static final List<String> PACKAGES = List.of("glassbox.nn", "glassbox.nn.layers", "glassbox.nn.loss",
            "glassbox.nn.optim", "glassbox.nn.init", "glassbox.tensor", "glassbox.data", "glassbox.util",
            "glassbox.cluster", "glassbox.decomposition", "glassbox.manifold", "glassbox.metrics");

    static final String WELCOME = """
            glassbox shell: JShell with the engine loaded (/exit to leave, /help for JShell's commands).
            Imported: glassbox.nn (.layers .loss .optim .init), tensor, data, util, cluster, decomposition,
            manifold, metrics; helpers data(name, n), synthetic(n), trainOnBatch(model, x, y), norm(t), stats(t).
            Try:
              var d = data("mnist", 256)        // or synthetic(256): x (256, 28, 28, 1) in [0, 1], labels y
              var model = new Sequential(42, new Flatten(), new Dense(32, "relu"), new Dense(10, "softmax")).compile(new SparseCategoricalCrossentropy(), new Adam())
              trainOnBatch(model, d.x().slice(0, 32), d.yAsTensor().slice(0, 32))     // one step: its loss
              stats(model.layer("dense").cache().get("y"))                              // the activations backward used
              norm(model.layer("dense").params().get(0).grad())                         // the kernel's gradient norm
            """;

    @Parameters(paramLabel = "JSHELL-OPTION", arity = "0..*",
            description = "passed on to JShell, e.g. --feedback verbose (jshell --help lists them)")
    List<String> jshellOptions = new ArrayList<>();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ShellCommand());
        cli.setUnmatchedOptionsArePositionalParams(true);
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() {
        return start(null, System.out, System.err, null, jshellOptions);
    }

    /**
     * Prints the welcome to {@code out} and runs JShell on {@code in} (writing to {@code out} and {@code err})
     * until {@code /exit} or the end of the input; returns JShell's exit code. {@code in == null} means the
     * process's own terminal, with JShell's line editing. {@code persistence} holds JShell's settings ({@code /set …}); {@code
     * null} keeps them where JShell usually does (the user's preferences), a map keeps them in memory — what
     * a test wants.
     */
    public static int start(InputStream in, PrintStream out, PrintStream err, Map<String, String> persistence,
                            List<String> jshellOptions) {
        Path startup = writeStartup();
        try {
            out.print(WELCOME);
            out.flush();
            JavaShellToolBuilder builder = JavaShellToolBuilder.builder();
            if (in == null) { // the user's terminal: JShell's line editing and completion, as the jshell command has
                builder.interactiveTerminal(System.console() != null);
            } else {
                builder.in(in, null).out(out).err(err);
            }
            if (persistence != null) {
                builder.persistence(persistence);
            }
            List<String> args = new ArrayList<>(List.of("--execution", "local",
                    "--class-path", System.getProperty("java.class.path"),
                    "--startup", "DEFAULT", "--startup", startup.toString()));
            args.addAll(jshellOptions);
            return builder.start(args.toArray(String[]::new));
        } catch (Exception e) {
            err.println("shell: could not start JShell: " + e.getMessage());
            return 1;
        } finally {
            try {
                Files.deleteIfExists(startup);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }

    /** The imports, as a temporary file for JShell's {@code --startup}. */
    static String startupScript() {
        StringBuilder sb = new StringBuilder();
        for (String p : PACKAGES) {
            sb.append("import ").append(p).append(".*;\n");
        }
        sb.append("import static glassbox.tools.ShellHelpers.*;\n");
        return sb.toString();
    }

    private static Path writeStartup() {
        try {
            Path file = Files.createTempFile("glassbox-shell-", ".jsh");
            Files.writeString(file, startupScript(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("shell: could not write the startup script: " + e.getMessage(), e);
        }
    }
}
