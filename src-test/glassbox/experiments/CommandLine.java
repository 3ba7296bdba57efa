package glassbox.experiments;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs the launcher's command line ({@code glassbox run …}) in this JVM, as the experiment tests do: the exit
 * code, what the experiment printed (standard output, captured) and what picocli wrote to standard error.
 */
public record CommandLine(int code, String out, String err) {

    public static CommandLine run(String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PrintStream original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args, new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.setOut(original);
        }
        return new CommandLine(code, stdout.toString(StandardCharsets.UTF_8), err.toString());
    }
}
