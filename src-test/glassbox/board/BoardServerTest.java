package glassbox.board;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import glassbox.experiments.RunFolder;
import glassbox.experiments.RunReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The board's server without a browser: what it serves from a runs folder, that it serves nothing outside
 * it, and that a run folder being written reads as its last complete state.
 */
class BoardServerTest {
    @TempDir
    static Path tmp;
    static Path runs;
    static BoardServer server;

    @BeforeAll
    static void start() throws IOException {
        runs = tmp.resolve("runs");
        Path run = runs.resolve("mnist-mlp").resolve("20261206-120000");
        Files.createDirectories(run);
        Files.writeString(run.resolve("results.json"), "{\"headline\": [{\"figure\": \"test accuracy\", "
                + "\"glassbox\": 0.97, \"seed\": 0.9636}]}");
        Files.writeString(run.resolve("status.json"), "{\"state\": \"finished\", \"started\": \"2026-12-06T12:00:00\"}");
        Files.write(run.resolve("loss.png"), new byte[]{(byte) 0x89, 'P', 'N', 'G'});
        Files.writeString(tmp.resolve("secret.txt"), "outside the runs folder");
        Files.createSymbolicLink(run.resolve("link.png"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(runs.resolve("mnist-mlp").resolve("20261206-130000"), tmp);
        server = BoardCommand.start(new RunReader(runs), tmp, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code target} exactly as given (no client-side normalising of {@code ..}); status line and body. */
    static String[] rawGet(String target) throws IOException {
        URI a = server.address();
        try (Socket socket = new Socket(a.getHost(), a.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = response.indexOf("\r\n\r\n");
            return new String[]{response.substring(0, response.indexOf("\r\n")), end < 0 ? "" : response.substring(end + 4)};
        }
    }

    static int status(String target) throws IOException {
        return Integer.parseInt(rawGet(target)[0].split(" ")[1]);
    }

    static JsonObject json(String target) throws IOException {
        String[] r = rawGet(target);
        return JsonParser.parseString(r[1]).getAsJsonObject();
    }

    @Test
    void servesThePageTheChartLibrariesAndARunsFigure() throws IOException {
        assertEquals(200, status("/"));
        assertTrue(rawGet("/")[1].contains("glassbox board"));
        assertEquals(200, status("/web/board.js"));
        assertEquals(200, status("/vendor/uplot/uPlot.iife.min.js"));
        assertEquals(200, status("/vendor/echarts/echarts.min.js"));
        assertEquals(200, status("/files/mnist-mlp/20261206-120000/loss.png"));
        assertEquals(404, status("/web/no-such.js"));
    }

    @Test
    void servesNothingOutsideTheRunsFolder() throws IOException {
        for (String target : List.of(
                "/files/../secret.txt",
                "/files/mnist-mlp/../../secret.txt",
                "/files/mnist-mlp/20261206-120000/../../../secret.txt",
                "/files/%2e%2e%2f%2e%2e%2fsecret.txt",
                "/files/mnist-mlp/20261206-120000/%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt",
                "/files/mnist-mlp/%2e%2e/..%2fsecret.txt",
                "/files/%2Ftmp%2Fsecret.txt",
                "/files//" + tmp.resolve("secret.txt"),
                "/files/mnist-mlp/20261206-120000/link.png",       // a link inside, pointing out
                "/files/mnist-mlp/20261206-130000/secret.txt",     // a run folder that is a link out
                "/files/mnist-mlp/20261206-120000/%zz",
                "/web/../../etc/passwd",
                "/web/%2e%2e%2fboard.js",
                "/../../etc/passwd")) {
            String[] r = rawGet(target);
            assertTrue(r[0].contains(" 404 ") || r[0].contains(" 400 "), target + " → " + r[0]);
            assertFalse(r[1].contains("outside the runs folder"), target + " leaked the file");
        }
        JsonObject run = json("/api/run?run=mnist-mlp%2F..%2F..");
        assertTrue(run.get("error").getAsString().contains("no run"), run.toString());
        assertEquals(404, status("/api/run?run=mnist-mlp/20261206-130000"));
        assertEquals(404, status("/api/events?run=..%2F..&from=0"));
    }

    @Test
    void writesNothing() throws IOException {
        URI a = server.address();
        for (String method : List.of("PUT", "DELETE", "POST")) {
            try (Socket socket = new Socket(a.getHost(), a.getPort())) {
                socket.getOutputStream().write((method + " /files/mnist-mlp/20261206-120000/loss.png HTTP/1.1\r\n"
                        + "Host: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 405"), method + ": " + response);
            }
        }
        assertTrue(Files.exists(runs.resolve("mnist-mlp/20261206-120000/loss.png")));
    }

    @Test
    void listsRunsWithStateAndHeadline() throws IOException {
        JsonArray list = json("/api/runs").getAsJsonArray("runs");
        JsonObject run = list.asList().stream().map(e -> e.getAsJsonObject())
                .filter(r -> r.get("id").getAsString().equals("mnist-mlp/20261206-120000")).findFirst().orElseThrow();
        assertEquals("finished", run.get("state").getAsString());
        JsonObject headline = run.getAsJsonArray("headline").get(0).getAsJsonObject();
        assertEquals(0.97, headline.get("glassbox").getAsDouble());
        assertEquals(0.9636, headline.get("seed").getAsDouble());
    }

    @Test
    void aRunBeingWrittenReadsAsItsLastCompleteState() throws IOException {
        Path run = runs.resolve("fashion-twist").resolve("20261206-140000");
        Files.createDirectories(run);
        // another process: running; a half-written results.json (a copy mid-write); a line still being appended
        Files.writeString(run.resolve(RunFolder.STATUS), "{\"state\": \"running\", \"pid\": " + ProcessHandle.current().pid()
                + ", \"host\": \"" + hostname() + "\", \"started\": \"2999-01-01T00:00:00\"}");
        Files.writeString(run.resolve("results.json"), "{\"headline\": [");
        String complete = "{\"type\":\"fit\",\"fit\":\"custom, seed 0\",\"epochs\":2,\"steps\":3,\"samples\":9}\n"
                + "{\"type\":\"step\",\"fit\":\"custom, seed 0\",\"epoch\":1,\"step\":1,\"loss\":1.5,\"accuracy\":null,\"t\":0.1}\n";
        Files.writeString(run.resolve(RunFolder.EVENTS), complete + "{\"type\":\"step\",\"fit\":\"cus");
        Files.writeString(run.resolve("custom-model.gbx"), "half a zip");

        JsonObject detail = json("/api/run?run=fashion-twist/20261206-140000");
        assertEquals("running", detail.get("state").getAsString(), detail.toString());
        assertFalse(detail.has("results"), "a results.json that does not parse reads as absent");
        JsonObject events = json("/api/events?run=fashion-twist/20261206-140000&from=0");
        assertEquals(2, events.getAsJsonArray("records").size(), "the half-written line waits");
        long next = events.get("next").getAsLong();
        assertEquals(complete.getBytes(StandardCharsets.UTF_8).length, next);

        Files.writeString(run.resolve(RunFolder.EVENTS), complete
                + "{\"type\":\"step\",\"fit\":\"custom, seed 0\",\"epoch\":1,\"step\":2,\"loss\":1.2,\"accuracy\":null,\"t\":0.2}\n");
        JsonObject more = json("/api/events?run=fashion-twist/20261206-140000&from=" + next);
        assertEquals(1, more.getAsJsonArray("records").size());
        assertEquals(2, more.getAsJsonArray("records").get(0).getAsJsonObject().get("step").getAsInt());
        assertEquals(400, status("/api/events?run=fashion-twist/20261206-140000&from=-3"));

        // the run ends: its results.json is replaced by a rename, and the reader parses the new one
        Path written = run.resolve(".results.json.tmp");
        Files.writeString(written, "{\"headline\": [{\"figure\": \"test accuracy\", \"glassbox\": 0.96, \"seed\": 0.94}]}");
        Files.move(written, run.resolve("results.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        JsonObject finished = json("/api/run?run=fashion-twist/20261206-140000");
        assertEquals(0.96, finished.getAsJsonArray("headline").get(0).getAsJsonObject().get("glassbox").getAsDouble());
    }

    @Test
    void aRunsInspectionProfileAndWarningsAreItsTables() throws IOException {
        Path run = runs.resolve("mnist-mlp").resolve("20261206-160000");
        Files.createDirectories(run);
        Files.writeString(run.resolve("inspect.csv"), "model,epoch,layer,kind,activation_mean,activation_std,"
                + "dead_fraction,grad_norm,update_ratio,status\nmnist-mlp,1,dense,dense,0.5,0.5,1.0,0.0,0.0,dead\n");
        Files.writeString(run.resolve("profile.csv"), "model,phase,seconds,share,calls,us_per_call,gflops\n"
                + "mnist-mlp,dense forward,0.5,0.25,100,5000.0,40.0\n");
        Files.writeString(run.resolve("inspect_warnings.json"), "{\"warnings\": [{\"model\": \"mnist-mlp\", "
                + "\"warning\": \"epoch 1, layer dense: dead\"}]}");
        JsonObject detail = json("/api/run?run=mnist-mlp/20261206-160000");
        assertEquals("dead", detail.getAsJsonObject("inspect").getAsJsonArray("rows").get(0).getAsJsonArray().get(9)
                .getAsString());
        assertEquals("dense forward", detail.getAsJsonObject("profile").getAsJsonArray("rows").get(0).getAsJsonArray()
                .get(1).getAsString());
        assertEquals("mnist-mlp: epoch 1, layer dense: dead", detail.getAsJsonArray("warnings").get(0).getAsString());
    }

    /** A log longer than one answer's 4 MB comes in pieces, each saying whether more waits. */
    @Test
    void aLongEventLogComesInPieces() throws IOException {
        Path run = runs.resolve("mnist-study").resolve("20261206-170000");
        Files.createDirectories(run);
        StringBuilder log = new StringBuilder();
        int lines = 60_000;
        for (int i = 0; i < lines; i++) {
            log.append("{\"type\":\"step\",\"fit\":\"a long fit label, seed 0\",\"epoch\":1,\"step\":").append(i + 1)
                    .append(",\"loss\":0.123456789,\"accuracy\":0.987654321,\"t\":12.345678}\n");
        }
        Files.writeString(run.resolve(RunFolder.EVENTS), log);
        assertTrue(Files.size(run.resolve(RunFolder.EVENTS)) > 4 << 20, "the log must exceed one piece");
        long from = 0;
        int records = 0;
        int pieces = 0;
        boolean more = true;
        while (more) {
            JsonObject piece = json("/api/events?run=mnist-study/20261206-170000&from=" + from);
            records += piece.getAsJsonArray("records").size();
            from = piece.get("next").getAsLong();
            more = piece.get("more").getAsBoolean();
            pieces++;
        }
        assertEquals(2, pieces);
        assertEquals(lines, records);
        assertEquals(Files.size(run.resolve(RunFolder.EVENTS)), from);
    }

    @Test
    void aRunWhoseProcessIsGoneWasInterrupted() throws IOException {
        Path run = runs.resolve("mnist-mlp").resolve("20261206-150000");
        Files.createDirectories(run);
        long dead = new ProcessBuilder("true").start().pid();
        Files.writeString(run.resolve(RunFolder.STATUS), "{\"state\": \"running\", \"pid\": " + dead + ", \"host\": \""
                + hostname() + "\", \"started\": \"2026-12-06T15:00:00\"}");
        JsonObject detail = json("/api/run?run=mnist-mlp/20261206-150000");
        assertEquals("interrupted", detail.get("state").getAsString());
    }

    /**
     * The issue asks for 500 runs listed in under a second. A test must not hold a wall clock to a bound (the
     * machines differ), so it checks that listing grows linearly: 500 runs take at most 30 times as long as 50
     * (10 if linear), measured side by side; the time itself is printed (docs/board.md has the figure).
     */
    @Test
    void listingFiveHundredRunsGrowsLinearly() throws IOException {
        double small = listSeconds(tmp.resolve("fifty"), 50);
        double large = listSeconds(tmp.resolve("five-hundred"), 500);
        System.out.printf("board: listing 50 runs %.1f ms, 500 runs %.1f ms%n", small * 1e3, large * 1e3);
        assertTrue(large < 30 * small, "500 runs took " + large + " s, 50 runs " + small + " s");
    }

    /** The best of five listings of {@code n} runs made under {@code root}, in seconds. */
    private static double listSeconds(Path root, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Path run = root.resolve("exp" + (i % 7)).resolve(String.format("20261206-%06d", i));
            Files.createDirectories(run);
            Files.writeString(run.resolve("status.json"), "{\"state\": \"finished\", \"started\": \"2026-12-06T10:00:00\"}");
            Files.writeString(run.resolve("results.json"), "{\"headline\": [{\"figure\": \"test accuracy\", "
                    + "\"glassbox\": 0.9, \"seed\": 0.8}], \"history\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");
        }
        RunRoutes routes = new RunRoutes(new RunReader(root));
        double best = Double.MAX_VALUE;
        for (int k = 0; k < 5; k++) {
            long t0 = System.nanoTime();
            Object listed = routes.runs().get("runs");
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            assertEquals(n, ((List<?>) listed).size());
        }
        return best;
    }

    private static String hostname() throws IOException {
        return Files.readString(Path.of("/etc/hostname")).trim();
    }
}
