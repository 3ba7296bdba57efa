package glassbox.experiments;

import glassbox.data.Datasets;
import glassbox.nn.Callback;
import glassbox.nn.Inspector;
import glassbox.nn.Profile;
import picocli.CommandLine.Option;

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

    /**
     * The callbacks for a {@code fit}: a {@link Profile} for {@code --profile} (first, so that it times the
     * phases alone) and an {@link Inspector} for {@code --inspect}, if this run is {@code watched}; then
     * {@code others}.
     */
    public List<Callback> callbacks(boolean watched, Callback... others) {
        return callbacks(watched && profile, watched && inspect, others);
    }

    /** As {@link #callbacks}, without the profiler: the {@code --inspect} of a fit that is not timed. */
    public List<Callback> inspection(boolean watched, Callback... others) {
        return callbacks(false, watched && inspect, others);
    }

    private static List<Callback> callbacks(boolean profiled, boolean inspected, Callback... others) {
        List<Callback> callbacks = new ArrayList<>();
        if (profiled) {
            callbacks.add(new Profile());
        }
        if (inspected) {
            callbacks.add(new Inspector());
        }
        callbacks.addAll(List.of(others));
        return callbacks;
    }

    public Path home() {
        return home != null ? home.toAbsolutePath() : Datasets.home();
    }

    public Path runsDir() {
        return runsDir != null ? runsDir : home().resolve("runs");
    }
}
