package glassbox.experiments;

import com.google.gson.JsonObject;
import glassbox.util.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code --resume}: which run folder to continue, and whether it may be continued. A run resumes only where
 * it would end with the bits of an uninterrupted run: a folder of this experiment, not finished, not still being
 * written by a live process, made by this very commit with the very same flags (every option's value,
 * defaults included, as {@code status.json} recorded them when the run started; {@code --runs-dir} and
 * {@code --resume} aside). Anything else is refused before any data is loaded, in one line that says what
 * differs ({@link Refused}, exit code 1).
 */
final class Resume {
    /** {@code --resume} without a folder: the newest unfinished run of the experiment. */
    static final String LATEST = "latest";

    /** A run folder that cannot be resumed, and why, in one line. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private Resume() {
    }

    /**
     * The folder {@code --resume} names ({@code resume} a path, or {@link #LATEST}: the newest folder of
     * {@code runsDir/experiment} whose run did not finish), checked against this run's experiment, commit and
     * options.
     */
    static Path folder(String resume, Path runsDir, String experiment, String commit, Map<String, String> options)
            throws IOException {
        Path dir = LATEST.equals(resume) ? latest(runsDir, experiment) : Path.of(resume);
        check(dir, experiment, commit, options);
        return dir;
    }

    private static Path latest(Path runsDir, String experiment) throws IOException {
        // newest first, as RunReader lists them: the first unfinished run of this experiment with a status
        return new RunReader(runsDir).list().stream()
                .filter(r -> r.experiment().equals(experiment) && r.status() != null && !r.state().equals("finished"))
                .map(RunReader.Run::dir).findFirst()
                .orElseThrow(() -> new Refused("--resume: no unfinished run of " + experiment + " in "
                        + runsDir.resolve(experiment) + "; give the run folder's path (--resume DIR) or start a new run"));
    }

    private static void check(Path dir, String experiment, String commit, Map<String, String> options)
            throws IOException {
        String what = "--resume " + dir;
        if (!Files.isDirectory(dir)) {
            throw new Refused(what + ": no such folder");
        }
        Map<?, ?> status = status(dir);
        if (status == null) {
            throw new Refused(what + ": not a run folder (it has no readable " + RunFolder.STATUS + ")");
        }
        if (!experiment.equals(status.get("experiment"))) {
            throw new Refused(what + ": a run of " + status.get("experiment") + ", not of " + experiment);
        }
        if ("finished".equals(status.get("state"))) {
            throw new Refused(what + ": that run finished (" + status.get("ended") + "); there is nothing to resume");
        }
        // a live process on this host (one on another host cannot be told: its folder was copied here)
        if (RunFolder.host().equals(status.get("host"))
                && "running".equals(RunReader.state(RunReader.json(dir.resolve(RunFolder.STATUS)), false))) {
            throw new Refused(what + ": its process " + number(status.get("pid")) + " on " + status.get("host")
                    + " is still running");
        }
        if (!commit.equals(status.get("commit"))) {
            throw new Refused(what + ": made by commit " + shortCommit(status.get("commit")) + ", this is "
                    + shortCommit(commit) + "; resume with that commit or start a new run");
        }
        if (!(status.get("options") instanceof Map<?, ?> saved)) {
            throw new Refused(what + ": its " + RunFolder.STATUS + " does not record the run's flags; start a new run");
        }
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            Object was = saved.get(option.getKey());
            if (!Objects.equals(was == null ? null : was.toString(), option.getValue())) {
                differences.add(option.getKey() + " " + (was == null ? "(absent)" : was) + ", now " + option.getValue());
            }
        }
        for (Object key : saved.keySet()) {
            if (!options.containsKey(key.toString())) {
                differences.add(key + " " + saved.get(key) + ", now (absent)");
            }
        }
        if (!differences.isEmpty()) {
            throw new Refused(what + ": made with other flags (was " + String.join("; ", differences)
                    + "); resume with the same flags or start a new run");
        }
    }

    /** The folder's status as {@link RunReader} reads it, or {@code null} when it has none (or it is not JSON). */
    static Map<?, ?> status(Path dir) {
        JsonObject status = RunReader.json(dir.resolve(RunFolder.STATUS));
        return status == null ? null : Json.fromJson(status.toString(), Map.class);
    }

    private static String number(Object value) {
        return value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value);
    }

    /** A commit hash as {@code git log --oneline} shows it. */
    private static String shortCommit(Object commit) {
        String s = String.valueOf(commit);
        return s.matches("[0-9a-f]{40}") ? s.substring(0, 7) : s;
    }
}
