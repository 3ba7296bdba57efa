package glassbox.board;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./glassbox board}'s flags: the loopback default, the --host warning, the errors it prints. */
class BoardCommandTest {
    @TempDir
    Path home;

    private BoardCommand parse(String... args) {
        CommandLine cli = new CommandLine(new BoardCommand());
        cli.parseArgs(args);
        return cli.getCommand();
    }

    @Test
    void listensOnTheLoopbackAddressByDefaultAndSaysWhere() throws IOException {
        StringWriter out = new StringWriter();
        try (BoardServer server = parse(home.resolve("runs").toString(), "--port", "0", "--home", home.toString())
                .open(new PrintWriter(out, true))) {
            assertEquals("127.0.0.1", server.address().getHost());
            assertTrue(out.toString().contains("at " + server.address()), out.toString());
            assertTrue(out.toString().contains("(no runs yet)"), out.toString());
            assertFalse(out.toString().contains("warning"), out.toString());
        }
    }

    @Test
    void anotherHostPrintsAWarning() throws IOException {
        StringWriter out = new StringWriter();
        try (BoardServer server = parse(home.toString(), "--port", "0", "--host", "0.0.0.0", "--home", home.toString())
                .open(new PrintWriter(out, true))) {
            assertTrue(out.toString().startsWith("warning: --host 0.0.0.0 makes the board reachable from other "
                    + "machines"), out.toString());
            assertTrue(out.toString().contains(":" + server.address().getPort() + "/"), out.toString());
        }
    }

    @Test
    void aPortInUseOrARunsDirThatIsAFileIsOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int code = BoardCommand.execute(new String[]{home.toString(), "--port", Integer.toString(taken.getLocalPort())},
                    new PrintWriter(new StringWriter()), new PrintWriter(err, true));
            assertEquals(1, code);
            assertTrue(err.toString().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    && err.toString().contains("--port 0"), err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
        }
        Path file = Files.writeString(home.resolve("not-a-folder"), "x");
        StringWriter err = new StringWriter();
        assertEquals(1, BoardCommand.execute(new String[]{file.toString(), "--port", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)));
        assertTrue(err.toString().contains("is a file, not a folder of runs"), err.toString());
    }
}
