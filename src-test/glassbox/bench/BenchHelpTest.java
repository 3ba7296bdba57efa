package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./glassbox bench --help} and each {@code bench <what> --help}: picocli reads every description as a
 * format string, so a bare {@code %} ("GFLOP/s, % of peak") made it warn "Could not format …" on standard error
 * instead of printing the line.
 */
class BenchHelpTest {
    /** The command and all its subcommands, depth first. */
    private static List<CommandLine> allCommands(CommandLine top) {
        List<CommandLine> all = new ArrayList<>(List.of(top));
        for (CommandLine sub : top.getSubcommands().values()) {
            all.addAll(allCommands(sub));
        }
        return all;
    }

    @Test
    void everyCommandsHelpPrintsWithoutAFormatWarning() {
        List<CommandLine> commands = allCommands(new CommandLine(new BenchMain()));
        assertTrue(commands.size() >= 8, "bench and its subcommands, got " + commands.size());
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // picocli's tracer writes its warnings to whatever System.err is when it warns
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine cli : commands) {
                StringWriter out = new StringWriter();
                cli.setErr(new PrintWriter(out, true));
                cli.setOut(new PrintWriter(out, true));
                assertEquals(0, cli.execute("--help"), cli.getCommandName());
                String usage = out.toString();
                assertTrue(usage.startsWith("Usage: " + cli.getCommandSpec().qualifiedName()), usage);
                assertFalse(usage.contains("Could not format"), usage);
            }
        } finally {
            System.setErr(err);
        }
        String warnings = captured.toString(StandardCharsets.UTF_8);
        assertFalse(warnings.contains("Could not format"), warnings);
        assertEquals("", warnings.strip());
    }

    @Test
    void theGemmLineSaysPercentOfPeak() {
        String usage = new CommandLine(new BenchMain()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(usage.replaceAll("\\s+", " ").contains("GFLOP/s, % of peak, ratio to BLAS"), usage);
    }
}
