package glassbox.board;

import glassbox.data.Datasets;
import glassbox.experiments.RunReader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./glassbox board [RUNS_DIR]}: serves the board page for the runs under {@code RUNS_DIR} until
 * interrupted. Like TensorBoard it listens on port 6006 of the loopback address only; {@code --host} makes it
 * reachable from elsewhere, with a warning, since it shows every run and model in the folder.
 */
@Command(name = "glassbox board", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Look inside runs and trained models in the browser: the runs, live training curves, "
                + "--inspect and --profile tables, a saved model's layers and filters, a classifier's errors, "
                + "the embeddings. Read-only.")
public final class BoardCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUNS_DIR",
            description = "the runs folder to show; default <project>/runs")
    Path runsDir;

    @Option(names = "--port", description = "TCP port; default ${DEFAULT-VALUE} (TensorBoard's); 0 picks a free one")
    int port = 6006;

    @Option(names = "--host", description = "address to listen on; default ${DEFAULT-VALUE} (this machine only). "
            + "Another (e.g. 0.0.0.0) exposes the board to the network and prints a warning")
    String host = "127.0.0.1";

    @Option(names = "--home", paramLabel = "DIR",
            description = "project root holding data/ (the test images models are shown on); default: the launcher's")
    Path home;

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new BoardCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("glassbox board: error: " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()));
            commandLine.getErr().flush();
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        try (BoardServer server = open(new PrintWriter(System.out, true))) {
            new CountDownLatch(1).await(); // until Ctrl-C
        }
        return 0;
    }

    /** Starts the board as the flags say and prints where it is (and the warning for a non-loopback --host). */
    BoardServer open(PrintWriter out) throws IOException {
        Path projectHome = home != null ? home.toAbsolutePath() : Datasets.home();
        Path runs = runsDir != null ? runsDir : projectHome.resolve("runs");
        if (Files.exists(runs) && !Files.isDirectory(runs)) {
            throw new IllegalArgumentException("RUNS_DIR " + runs + " is a file, not a folder of runs");
        }
        BoardServer server = start(new RunReader(runs), projectHome, host, port);
        if (!isLoopback(host)) {
            out.println("warning: --host " + host + " makes the board reachable from other machines: it is "
                    + "read-only, but it shows every run and model under " + runs.toAbsolutePath());
        }
        out.println("glassbox board: " + runs.toAbsolutePath() + (Files.isDirectory(runs) ? "" : " (no runs yet)")
                + " at " + server.address() + " (Ctrl-C stops it)");
        return server;
    }

    /** A started server with every route of the board. */
    static BoardServer start(RunReader reader, Path home, String host, int port) throws IOException {
        BoardServer server;
        try {
            server = new BoardServer(reader, host, port);
        } catch (BindException e) {
            throw new IOException("cannot listen on " + host + ":" + port + " (" + e.getMessage() + "): another "
                    + "board or a TensorBoard may be using it; give --port N, or --port 0 for any free port", e);
        }
        new RunRoutes(reader).register(server);
        new ModelRoutes(reader, home).register(server);
        new EmbeddingRoutes(reader).register(server);
        server.start();
        return server;
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
