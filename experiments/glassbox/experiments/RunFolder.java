package glassbox.experiments;

import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Csv;
import glassbox.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code runs/<experiment>/<timestamp>/}: where one run's results, figures and configuration go. Every file
 * is written atomically (through {@link Json}, {@link glassbox.util.Csv} and the plot classes), so an
 * interrupted run leaves complete files or none; the one exception is {@link #EVENTS}, which is appended to.
 *
 * <p>A run folder is made when the run starts, with {@link #STATUS} saying who is writing it (process id,
 * host, start time). {@link #finish} records how it ended; a folder whose status still says
 * {@code running} but whose process is gone was interrupted ({@link RunStatus} reads it).
 */
public final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** The run's state: {@code {"state": "running" | "finished" | "failed", "pid", "host", "started", …}}. */
    public static final String STATUS = "status.json";
    /** What the run's fits do as they do it, one JSON object per line ({@link glassbox.nn.callbacks.EventLog}). */
    public static final String EVENTS = "events.jsonl";
    /**
     * The folder of the fits' backups ({@link glassbox.nn.callbacks.BackupAndRestore}, one file per fit), what
     * {@code --resume} continues from; deleted when the run finishes.
     */
    public static final String BACKUPS = "backup";
    private final Path dir;
    private final Map<String, Object> status = new LinkedHashMap<>();

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /** Creates a new, unique folder {@code root/experiment/<timestamp>[-k]}. */
    public static RunFolder create(Path root, String experiment) throws IOException {
        return create(root, experiment, Map.of());
    }

    /**
     * Creates a new, unique folder {@code root/experiment/<timestamp>[-k]}, its status recording
     * {@code options} (every flag's value: what {@code --resume} compares).
     */
    public static RunFolder create(Path root, String experiment, Map<String, String> options) throws IOException {
        Path parent = root.resolve(experiment);
        Files.createDirectories(parent);
        String stamp = LocalDateTime.now().format(STAMP);
        Path dir = parent.resolve(stamp);
        for (int k = 2; Files.exists(dir); k++) {
            dir = parent.resolve(stamp + "-" + k);
        }
        Files.createDirectory(dir);
        RunFolder run = new RunFolder(dir);
        run.status.put("experiment", experiment);
        run.status.put("state", "running");
        run.status.put("pid", ProcessHandle.current().pid());
        run.status.put("host", host());
        run.status.put("started", LocalDateTime.now().toString());
        run.status.put("commit", gitCommit());
        run.status.put("options", options);
        Json.write(run.file(STATUS), run.status);
        return run;
    }

    /**
     * Takes up an interrupted run's folder again ({@code --resume}, checked by {@link Resume}): its status says
     * {@code running} once more, with this process's id and host, and counts the resumes.
     */
    @SuppressWarnings("unchecked")
    static RunFolder resume(Path dir) throws IOException {
        RunFolder run = new RunFolder(dir);
        run.status.putAll(Json.read(run.file(STATUS), Map.class));
        run.status.put("state", "running");
        run.status.put("pid", ProcessHandle.current().pid());
        run.status.put("host", host());
        run.status.remove("ended");
        run.status.remove("error");
        Object resumes = run.status.get("resumes");
        run.status.put("resumes", (resumes instanceof Number n ? n.intValue() : 0) + 1);
        run.status.put("resumed", LocalDateTime.now().toString());
        Json.write(run.file(STATUS), run.status);
        return run;
    }

    /**
     * Records how the run ended: {@code finished}, or {@code failed} with the one-line {@code error} (the
     * message the command printed).
     */
    public void finish(String error) throws IOException {
        if (error == null) {
            deleteBackups(); // a finished run is not resumed: its backups would only take room
        }
        status.put("state", error == null ? "finished" : "failed");
        status.put("ended", LocalDateTime.now().toString());
        if (error != null) {
            status.put("error", error);
        }
        Json.write(file(STATUS), status);
    }

    private void deleteBackups() throws IOException {
        Path backups = file(BACKUPS);
        if (!Files.isDirectory(backups)) {
            return;
        }
        try (var files = Files.list(backups)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(backups);
    }

    /** This machine's name, as the status records it (a process id means something only on its host). */
    static String host() {
        try {
            return Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    public Path dir() {
        return dir;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * One of a run's headline figures beside the seed notebook's ({@code null}: the seed has none), as
     * {@code results.json} lists them under {@code "headline"}: what the runs list shows first.
     */
    public record Headline(String figure, double glassbox, Double seed) {
    }

    /** Points of a 2-D embedding, one row per image, for the board's scatter plots ({@link #writeEmbedding}). */
    public static final String EMBEDDING = "embedding.csv";

    /**
     * Writes {@link #EMBEDDING}: per point, which image it is ({@code split}: {@code train} or {@code test} of
     * the run's dataset, and {@code index} in it), its coordinates under each method ({@code <method>_1},
     * {@code <method>_2}: e.g. {@code pca_1, pca_2, tsne_1, tsne_2}) and its id under each colouring
     * ({@code label}, {@code kmeans}, {@code dbscan}, …; −1 is DBSCAN's noise). Rows follow {@code index}.
     */
    public void writeEmbedding(String split, int[] index, Map<String, Tensor> methods,
                               Map<String, int[]> colourings) throws IOException {
        List<String> header = new ArrayList<>(List.of("split", "index"));
        methods.keySet().forEach(m -> header.addAll(List.of(m + "_1", m + "_2")));
        header.addAll(colourings.keySet());
        methods.forEach((method, points) -> {
            if (points.dim(0) != index.length || points.dim(1) != 2) {
                throw new IllegalArgumentException("embedding " + method + ": points must be " + index.length
                        + " × 2, not " + Tensor.shapeString(points.shape()));
            }
        });
        List<List<Object>> rows = new ArrayList<>();
        for (int i = 0; i < index.length; i++) {
            List<Object> row = new ArrayList<>(List.of(split, index[i]));
            for (Tensor points : methods.values()) {
                row.add(points.data()[2 * i]);
                row.add(points.data()[2 * i + 1]);
            }
            for (int[] ids : colourings.values()) {
                row.add(ids[i]);
            }
            rows.add(row);
        }
        Csv.write(file(EMBEDDING), header, rows);
    }

    /** Writes {@code config.json}: the experiment's settings and where the numbers came from. */
    public void writeConfig(String experiment, Map<String, Object> settings, String[] args) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment", experiment);
        config.put("settings", settings);
        config.put("args", args);
        config.put("provenance", provenance());
        Json.write(file("config.json"), config);
    }

    /** Commit, JVM, OS, BLAS path and time: what a reader needs to reproduce or compare a run. */
    public static Map<String, Object> provenance() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("commit", gitCommit());
        p.put("time", LocalDateTime.now().toString());
        p.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cpus", Runtime.getRuntime().availableProcessors());
        p.put("blas", Blas.describe());
        // The library that served, as bound in this process: different OpenBLAS builds and kernels may
        // differ in the last bits of a product, so a run's exact numbers depend on it.
        p.put("blas_library", Blas.library());
        p.put("blas_kernel", System.getenv().getOrDefault("OPENBLAS_CORETYPE", "detected by OpenBLAS"));
        p.put("blas_threads", Blas.threads());
        return p;
    }

    /**
     * The checked-out commit, read from {@code .git} directly (HEAD, then the loose ref or packed-refs; in a
     * worktree, through its {@code gitdir} link) rather than by starting {@code git}: no subprocess, and it works
     * where git is not installed.
     */
    static String gitCommit() {
        Path git = Path.of(System.getProperty("glassbox.home", ".")).resolve(".git");
        try {
            Path refs = git;
            if (Files.isRegularFile(git)) { // a worktree: ".git" says "gitdir: <its folder in the main .git>"
                String link = Files.readString(git, StandardCharsets.UTF_8).trim();
                git = git.resolveSibling(link.substring(link.indexOf(':') + 1).trim());
                Path common = git.resolve("commondir"); // branches live in the main repository's refs
                refs = Files.exists(common)
                        ? git.resolve(Files.readString(common, StandardCharsets.UTF_8).trim()).normalize() : git;
            }
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return head;
            }
            String ref = head.substring(5);
            git = refs;
            Path loose = git.resolve(ref);
            if (Files.exists(loose)) {
                return Files.readString(loose, StandardCharsets.UTF_8).trim();
            }
            Path packed = git.resolve("packed-refs");
            if (Files.exists(packed)) {
                for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
                    if (line.endsWith(" " + ref)) {
                        return line.substring(0, line.indexOf(' '));
                    }
                }
            }
            return "unknown (" + ref + " has no commit)";
        } catch (IOException e) {
            return "unknown (no readable .git)";
        }
    }
}
