package glassbox.experiments;

import glassbox.data.Datasets;
import glassbox.nn.Callback;
import glassbox.nn.Inspector;
import glassbox.nn.Profile;
import glassbox.nn.callbacks.BackupAndRestore;
import glassbox.nn.callbacks.EventLog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Flags every experiment takes (a picocli mixin). */
public final class CommonOptions {
    @Option(names = "--seed", description = "seed of every random choice (weights, shuffling, sampling); default ${DEFAULT-VALUE}")
    public long seed = 0;

    @Option(names = "--quick", description = "a small slice of the data and one epoch, for a smoke test in seconds")
    public boolean quick;

    @Option(names = "--profile", description = "time every phase of training (per layer forward/backward, loss, optimiser, batching) and print where an epoch goes")
    public boolean profile;

    @Option(names = "--inspect", description = "per layer and epoch: activations' mean and std, dead ReLUs, gradient norm, update/weight ratio; warnings when a layer is dead, exploding or stalled; inspect.csv and inspect_*.png in the run folder")
    public boolean inspect;

    @Option(names = "--runs-dir", paramLabel = "DIR", description = "where run folders go; default <project>/runs")
    public Path runsDir;

    @Option(names = "--home", paramLabel = "DIR", description = "project root holding data/ (default: the launcher's); datasets are read from DIR/data/<name>/")
    public Path home;

    @Option(names = "--resume", arity = "0..1", paramLabel = "RUN", fallbackValue = Resume.LATEST,
            description = "continue an interrupted run in its own folder: the newest unfinished run of this experiment, "
                    + "or the run folder RUN; the same commit and flags are required, and the result is the "
                    + "uninterrupted run's")
    public String resume;

    /** The run folder of this run, once {@link #startRun} made it; {@code null} before. */
    private RunFolder run;
    /** The experiment's name and every flag's value, as {@link #prepare} found them. */
    private String experiment;
    private Map<String, String> options = Map.of();
    /** The folder {@code --resume} continues, once {@link #prepare} checked it. */
    private Path resumeDir;
    /** The fits of this run by backup file name: every fit needs its own. */
    private final Map<String, String> fits = new HashMap<>();

    /**
     * Called by the command line after parsing, before the experiment runs: records every flag's value
     * ({@code options}, by each option's longest name, for the run's status) and, with {@code --resume},
     * finds and checks the folder to continue — before any data is loaded, so a refusal is immediate.
     *
     * @throws Resume.Refused when the folder cannot be resumed, saying why
     */
    void prepare(String experiment, Map<String, String> options) throws IOException {
        this.experiment = experiment;
        this.options = java.util.Collections.unmodifiableMap(new TreeMap<>(options));
        if (resume != null) {
            resumeDir = Resume.folder(resume, runsDir(), experiment, RunFolder.gitCommit(), options);
        }
    }

    /**
     * Every option's value of {@code command} as text, keyed by its longest name, for the run's status and
     * {@code --resume}'s comparison: paths absolute, {@code --home} as resolved; help flags, {@code --resume}
     * and {@code --runs-dir} (the folder is the resumed one, wherever it is) left out.
     */
    Map<String, String> optionValues(picocli.CommandLine.Model.CommandSpec command) {
        Map<String, String> values = new TreeMap<>();
        for (picocli.CommandLine.Model.OptionSpec o : command.options()) {
            String name = o.longestName();
            if (o.usageHelp() || o.versionHelp() || name.equals("--resume") || name.equals("--runs-dir")) {
                continue;
            }
            values.put(name, text(name.equals("--home") ? home() : o.getValue()));
        }
        return values;
    }

    /** An option's value as text that two runs with the same flags share: arrays by their elements, paths absolute. */
    private static String text(Object value) {
        if (value instanceof Path p) {
            return p.toAbsolutePath().normalize().toString();
        }
        if (value != null && value.getClass().isArray()) {
            List<String> elements = new ArrayList<>();
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                elements.add(text(java.lang.reflect.Array.get(value, i)));
            }
            return elements.toString();
        }
        return String.valueOf(value);
    }

    /**
     * Makes this run's folder under {@link #runsDir()} and remembers it: the experiment calls this when its work
     * begins, so that the folder (its status and event log) can be watched while the run goes on, and the
     * command line marks it finished or failed when the experiment returns.
     */
    public RunFolder startRun(String experiment) throws IOException {
        if (run != null) {
            throw new IllegalStateException("this run already has its folder " + run.dir());
        }
        if (resumeDir != null) {
            run = RunFolder.resume(resumeDir);
            System.out.println("resuming " + run.dir() + ": finished fits are restored from their backups, the "
                    + "interrupted one continues after its last complete epoch");
        } else {
            run = RunFolder.create(runsDir(), experiment, experiment.equals(this.experiment) ? options : Map.of());
        }
        return run;
    }

    /** The folder {@link #startRun} made, or {@code null}. */
    public RunFolder run() {
        return run;
    }

    /**
     * The callbacks for the {@code fit} named {@code fit} (e.g. {@code "custom, seed 2"}): a {@link Profile} for
     * {@code --profile} (first, so that it times the phases alone) and an {@link Inspector} for
     * {@code --inspect}, if this run is {@code watched}; then {@code others}; then, when the run has its folder,
     * the folder's {@link EventLog}, which every fit of a run appends to, and last the fit's
     * {@link BackupAndRestore} (after the callbacks whose memory it saves). The name is the fit's place in the
     * experiment, what {@code --resume} finds it by: each fit of a run needs its own.
     */
    public List<Callback> callbacks(String fit, boolean watched, Callback... others) {
        return callbacks(fit, watched && profile, watched && inspect, others);
    }

    /** As {@link #callbacks}, without the profiler: the {@code --inspect} of a fit that is not timed. */
    public List<Callback> inspection(String fit, boolean watched, Callback... others) {
        return callbacks(fit, false, watched && inspect, others);
    }

    private List<Callback> callbacks(String fit, boolean profiled, boolean inspected, Callback... others) {
        List<Callback> callbacks = new ArrayList<>();
        if (profiled) {
            callbacks.add(new Profile());
        }
        if (inspected) {
            callbacks.add(new Inspector());
        }
        callbacks.addAll(List.of(others));
        if (run != null) {
            callbacks.add(new EventLog(run.file(RunFolder.EVENTS), fit));
            String other = fits.putIfAbsent(BackupAndRestore.fileName(fit), fit);
            if (other != null) {
                throw new IllegalStateException("two fits of this run are named alike, '" + other + "' and '" + fit
                        + "' (backup file " + BackupAndRestore.fileName(fit) + "): each fit needs its own name, which "
                        + "--resume finds it by");
            }
            callbacks.add(new BackupAndRestore(run.file(RunFolder.BACKUPS), fit, false));
        }
        return callbacks;
    }

    public Path home() {
        return home != null ? home.toAbsolutePath() : Datasets.home();
    }

    public Path runsDir() {
        return runsDir != null ? runsDir : home().resolve("runs");
    }
}
