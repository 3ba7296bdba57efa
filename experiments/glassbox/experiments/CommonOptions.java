package glassbox.experiments;

import glassbox.data.Datasets;
import glassbox.nn.Callback;
import glassbox.nn.Inspector;
import glassbox.nn.Profile;
import glassbox.nn.callbacks.EventLog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** The run folder of this run, once {@link #startRun} made it; {@code null} before. */
    private RunFolder run;

    /**
     * Makes this run's folder under {@link #runsDir()} and remembers it: the experiment calls this when its work
     * begins, so that the folder (its status and event log) can be watched while the run goes on, and the
     * command line marks it finished or failed when the experiment returns.
     */
    public RunFolder startRun(String experiment) throws IOException {
        if (run != null) {
            throw new IllegalStateException("this run already has its folder " + run.dir());
        }
        run = RunFolder.create(runsDir(), experiment);
        return run;
    }

    /** The folder {@link #startRun} made, or {@code null}. */
    public RunFolder run() {
        return run;
    }

    /**
     * The callbacks for the {@code fit} named {@code fit} (e.g. {@code "custom, seed 2"}): a {@link Profile} for
     * {@code --profile} (first, so that it times the phases alone) and an {@link Inspector} for
     * {@code --inspect}, if this run is {@code watched}; then {@code others}; last the run folder's
     * {@link EventLog}, which every fit of a run appends to.
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
