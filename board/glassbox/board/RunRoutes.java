package glassbox.board;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import glassbox.experiments.RunReader;
import glassbox.util.Csv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs' JSON: the list ({@code /api/runs}), one run ({@code /api/run?run=<experiment>/<stamp>}) and its
 * event log from a byte offset on ({@code /api/events?run=…&from=…}), which the page polls while a run
 * trains. All of it comes from {@link RunReader}; nothing here knows an experiment by name.
 */
final class RunRoutes {
    private final RunReader reader;

    RunRoutes(RunReader reader) {
        this.reader = reader;
    }

    void register(BoardServer server) {
        server.get("/api/runs", r -> runs());
        server.get("/api/run", r -> run(r.param("run")));
        server.get("/api/events", r -> events(r.param("run"), r.optional("from").map(RunRoutes::offset).orElse(0L)));
    }

    /** Every run, newest first, with what the list shows: state, commit, headline figures. */
    Map<String, Object> runs() throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunReader.Run run : reader.list()) {
            runs.add(summary(run));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("root", reader.root().toString());
        out.put("runs", runs);
        return out;
    }

    private static Map<String, Object> summary(RunReader.Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", run.id());
        m.put("experiment", run.experiment());
        m.put("started", run.started());
        m.put("commit", run.commit());
        m.put("state", run.state());
        m.put("error", run.status() != null && run.status().has("error") ? run.status().get("error").getAsString() : null);
        JsonElement headline = run.results() != null ? run.results().get("headline") : null;
        m.put("headline", headline != null && headline.isJsonArray() ? headline : List.of());
        return m;
    }

    /**
     * One run: its summary, status, configuration, results, files (figures, saved models, tables), and the
     * {@code --inspect} and {@code --profile} tables when it recorded them.
     */
    Map<String, Object> run(String id) throws IOException {
        RunReader.Run run = reader.find(id).orElseThrow(() -> new BoardServer.NotFound("no run '" + id + "' under "
                + reader.root() + " (expected <experiment>/<stamp>, as /api/runs lists them)"));
        Map<String, Object> m = summary(run);
        List<String> files = reader.files(id);
        m.put("status", run.status());
        m.put("config", RunReader.json(run.dir().resolve("config.json")));
        m.put("results", run.results());
        m.put("files", files);
        m.put("figures", files.stream().filter(f -> f.endsWith(".png")).toList());
        m.put("models", files.stream().filter(f -> f.endsWith(".gbx")).toList());
        m.put("inspect", table(run.dir().resolve("inspect.csv")));
        m.put("profile", table(run.dir().resolve("profile.csv")));
        m.put("warnings", warnings(run.dir().resolve("inspect_warnings.json")));
        return m;
    }

    /** A CSV table as {@code {"columns": […], "rows": [[…], …]}}, or {@code null} if absent or unreadable. */
    private static Map<String, Object> table(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Csv.Table t = Csv.read(file);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("columns", t.header());
            m.put("rows", t.rows());
            return m;
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code --inspect} warnings the run printed ({@code inspect_warnings.json}), as "model: warning". */
    private static List<String> warnings(Path file) {
        List<String> out = new ArrayList<>();
        JsonObject kept = RunReader.json(file);
        if (kept != null && kept.has("warnings") && kept.get("warnings").isJsonArray()) {
            for (JsonElement w : kept.getAsJsonArray("warnings")) {
                if (w.isJsonObject() && w.getAsJsonObject().has("model") && w.getAsJsonObject().has("warning")) {
                    out.add(w.getAsJsonObject().get("model").getAsString() + ": "
                            + w.getAsJsonObject().get("warning").getAsString());
                }
            }
        }
        return out;
    }

    Map<String, Object> events(String id, long from) throws IOException {
        if (reader.folder(id).isEmpty()) {
            throw new BoardServer.NotFound("no run '" + id + "' under " + reader.root());
        }
        RunReader.Events events = reader.events(id, from);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("next", events.next());
        m.put("reset", events.reset());
        m.put("more", events.more());
        m.put("records", events.records());
        return m;
    }

    private static long offset(String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BoardServer.BadRequest("parameter 'from' must be a byte offset ≥ 0, not '" + value + "'");
        }
    }
}
