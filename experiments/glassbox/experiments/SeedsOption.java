package glassbox.experiments;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code --seeds 0,1,2}: the flag of the experiments that repeat their study once per seed and report the
 * mean ± spread (a picocli mixin, beside {@link CommonOptions}).
 */
public final class SeedsOption {
    @Option(names = "--seeds", split = ",", paramLabel = "N",
            description = "run the study once per seed; default --seed, --seed+1, --seed+2 (0,1,2)")
    long[] seeds;

    /** The seeds to run: {@code --seeds}, else three from {@code --seed}; with {@code --quick} only the first. */
    long[] runSeeds(CommonOptions common) {
        long[] all = seeds != null ? seeds : new long[]{common.seed, common.seed + 1, common.seed + 2};
        return common.quick ? new long[]{all[0]} : all;
    }

    /** Usage problems of these flags, appended to {@code problems}. */
    void check(CommandSpec spec, List<String> problems) {
        if (seeds != null && seeds.length == 0) {
            problems.add("--seeds needs at least one seed");
        }
        if (seeds != null && spec.commandLine().getParseResult().hasMatchedOption("--seed")) {
            problems.add("give --seed or --seeds, not both");
        }
    }
}
