package glassbox.experiments;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reads run folders ({@link RunFolder} writes them): the one reader the board and the experiments share.
 *
 * <p>A run folder may be read while its run writes it. Every file but the event log is replaced atomically,
 * so a read sees the old or the new version whole; a file that does not parse anyway (a folder copied
 * mid-write, a disk that filled up) reads as absent, so a reader shows the last complete state, never an
 * error. The event log is appended to: {@link #events} returns complete lines only.
 */
public final class RunReader {
    /** An experiment's or a run's folder name: what a run id may consist of ({@code mnist-mlp/20261206-224617}). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Most bytes of the event log one {@link #events} call returns: a long log arrives in pieces. */
    static final int EVENTS_CHUNK = 4 << 20;

    private final Path runs;
    /**
     * The status and results files already parsed, by path, with the version of the file they came from: the
     * board lists every run every few seconds, and a finished run's results.json (up to megabytes) never changes.
     */
    private final Map<Path, Parsed> parsed = new ConcurrentHashMap<>();

    /** A file's parsed object ({@code null}: unreadable) and what identifies the version it was parsed from. */
    private record Parsed(Object version, JsonObject value) {
    }

    /** Reads the run folders under {@code runs} ({@code runs/<experiment>/<stamp>/}). */
    public RunReader(Path runs) {
        this.runs = runs.toAbsolutePath().normalize();
    }

    public Path root() {
        return runs;
    }

    /**
     * One run as its folder describes it. {@code state} is {@code running}, {@code finished}, {@code failed} or
     * {@code interrupted} ({@link #state}); {@code status} and {@code results} are the parsed files, or
     * {@code null} where absent or unreadable.
     */
    public record Run(String id, String experiment, String stamp, Path dir, String state, JsonObject status,
                      JsonObject results) {
        /** When the run started: its status's {@code started}, else the folder's name read as a time stamp. */
        public String started() {
            if (status != null && status.has("started")) {
                return status.get("started").getAsString();
            }
            try {
                return LocalDateTime.parse(stamp.substring(0, 15),
                        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")).toString();
            } catch (RuntimeException e) {
                return "";
            }
        }

        /** The commit the run was made by, or {@code null} if the folder does not say. */
        public String commit() {
            return status != null && status.has("commit") ? status.get("commit").getAsString() : null;
        }
    }

    /** Every run, newest first (by start time, then folder name). */
    public List<Run> list() throws IOException {
        List<Run> all = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return all;
        }
        try (DirectoryStream<Path> experiments = Files.newDirectoryStream(runs, Files::isDirectory)) {
            for (Path experiment : experiments) {
                if (!NAME.matcher(experiment.getFileName().toString()).matches()) {
                    continue;
                }
                try (DirectoryStream<Path> stamps = Files.newDirectoryStream(experiment, Files::isDirectory)) {
                    for (Path dir : stamps) {
                        if (NAME.matcher(dir.getFileName().toString()).matches()) {
                            all.add(read(dir));
                        }
                    }
                }
            }
        }
        all.sort(Comparator.comparing(Run::started).thenComparing(Run::stamp).reversed());
        return all;
    }

    /** The run {@code id} ({@code <experiment>/<stamp>}), if it names a run folder under the root. */
    public Optional<Run> find(String id) {
        Optional<Path> dir = folder(id);
        return dir.map(this::read);
    }

    /**
     * The folder of run {@code id}, if {@code id} is two plain names and that folder exists inside the root
     * (not through a symbolic link leading out of it).
     */
    public Optional<Path> folder(String id) {
        if (id == null) {
            return Optional.empty();
        }
        String[] parts = id.split("/", -1);
        if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            return Optional.empty();
        }
        Path dir = runs.resolve(parts[0]).resolve(parts[1]);
        return Files.isDirectory(dir) && inside(dir) ? Optional.of(dir) : Optional.empty();
    }

    /**
     * The regular file {@code name} directly in run {@code id}'s folder, if there is one and it really lies in
     * the runs folder: no path separators or {@code ..} in the name, no link leading out.
     */
    public Optional<Path> file(String id, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return folder(id).map(d -> d.resolve(name)).filter(f -> Files.isRegularFile(f) && inside(f));
    }

    /** Whether {@code path}, with every symbolic link followed, is still inside the runs folder. */
    private boolean inside(Path path) {
        try {
            return path.toRealPath().startsWith(runs.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private Run read(Path dir) {
        String experiment = dir.getParent().getFileName().toString();
        String stamp = dir.getFileName().toString();
        JsonObject status = cachedJson(dir.resolve(RunFolder.STATUS));
        JsonObject results = cachedJson(dir.resolve("results.json"));
        return new Run(experiment + "/" + stamp, experiment, stamp, dir, state(status, results != null), status, results);
    }

    /**
     * How a run stands: {@code finished} once its results are written (runs made before status files existed
     * have only those), {@code failed} if its command ended with an error, {@code running} while the process
     * that wrote {@code running} is alive on this host (a process started after the run began is not it: a
     * reused process id), else {@code interrupted}. A run on another host is taken at its word.
     */
    static String state(JsonObject status, boolean hasResults) {
        String written = status != null && status.has("state") ? status.get("state").getAsString() : null;
        if ("failed".equals(written) || "finished".equals(written)) {
            return written;
        }
        if (written == null) {
            return hasResults ? "finished" : "interrupted";
        }
        if (status.has("host") && !status.get("host").getAsString().equals(RunFolder.host())) {
            return written;
        }
        return alive(status) ? "running" : "interrupted";
    }

    private static boolean alive(JsonObject status) {
        if (!status.has("pid")) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(status.get("pid").getAsLong());
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isEmpty() || !status.has("started")) {
            return true;
        }
        try {
            Instant started = LocalDateTime.parse(status.get("started").getAsString())
                    .atZone(ZoneId.systemDefault()).toInstant();
            return !processStart.get().isAfter(started.plusSeconds(1));
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * {@link #json}, parsed again only when the file changed: its version is its file key, size and modification
     * time, and a writer replaces it by a rename, which gives it a new file key.
     */
    private JsonObject cachedJson(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            parsed.remove(file);
            return null;
        }
        List<Object> version = Arrays.asList(attributes.fileKey(), attributes.size(), attributes.lastModifiedTime());
        Parsed kept = parsed.get(file);
        if (kept != null && kept.version().equals(version)) {
            return kept.value();
        }
        JsonObject value = json(file);
        parsed.put(file, new Parsed(version, value));
        return value;
    }

    /** A JSON file's object, or {@code null} if it is missing, unreadable, or not a complete JSON object. */
    public static JsonObject json(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (IOException | JsonSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Event-log records from byte {@code from} on: complete lines only (a line still being written waits for
     * the next call), at most {@link #EVENTS_CHUNK} bytes' worth; {@code next} is where the next call starts.
     * A line that is not a JSON object is skipped. If the log is shorter than {@code from} (a new log), the
     * chunk starts again at 0 with {@code reset} set; {@code more} says that complete lines wait beyond
     * {@code next} (the chunk was full), so the reader should ask again at once.
     */
    public record Events(long next, boolean reset, boolean more, List<JsonObject> records) {
    }

    public Events events(String id, long from) throws IOException {
        Optional<Path> dir = folder(id);
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("no run " + id);
        }
        Path log = dir.get().resolve(RunFolder.EVENTS);
        if (!Files.isRegularFile(log)) {
            return new Events(0, from != 0, false, List.of());
        }
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long size = file.length();
            boolean reset = from > size || from < 0;
            long start = reset ? 0 : from;
            int length = (int) Math.min(size - start, EVENTS_CHUNK);
            byte[] bytes = new byte[length];
            file.seek(start);
            file.readFully(bytes);
            int end = length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            List<JsonObject> records = new ArrayList<>();
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                JsonObject record = parseObject(line);
                if (record != null) {
                    records.add(record);
                }
            }
            return new Events(start + end, reset, start + length < size && end > 0, records);
        }
    }

    private static JsonObject parseObject(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonElement e = JsonParser.parseString(line);
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (JsonSyntaxException e) {
            return null;
        }
    }

    /** The names of the regular files in run {@code id}'s folder, sorted. */
    public List<String> files(String id) throws IOException {
        Optional<Path> dir = folder(id);
        List<String> names = new ArrayList<>();
        if (dir.isEmpty()) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get(), Files::isRegularFile)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (NAME.matcher(name).matches() && !name.endsWith(".tmp")) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** The newest run of {@code experiment} holding a file {@code name}, if any (e.g. a saved model). */
    public Optional<Path> newestFile(String experiment, String name) throws IOException {
        for (Run run : list()) {
            if (run.experiment().equals(experiment) && Files.isRegularFile(run.dir().resolve(name))) {
                return Optional.of(run.dir().resolve(name));
            }
        }
        return Optional.empty();
    }
}
