package glassbox.util;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Loops over independent items on every core. The one rule that keeps results reproducible whatever the
 * thread count: each item writes only its own part of the output (a sample's rows, say) and nothing
 * is summed across items here — so the result is the same bits as a sequential loop.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs {@code body.accept(i)} for {@code i = 0 … count−1}, in parallel when that can pay: when there is
     * more than one item and {@code workPerItem·count} (any unit proportional to time, e.g. floats touched)
     * is above a threshold where splitting costs less than it saves.
     */
    public static void forEach(int count, long workPerItem, IntConsumer body) {
        if (count <= 1 || workPerItem * count < 32_768) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, count).parallel().forEach(body);
    }
}
