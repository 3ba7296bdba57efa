package glassbox.nn.optim;

import glassbox.nn.Param;

import java.util.List;

/**
 * Changes trainable parameters using their accumulated gradients. The only place weights change.
 * State (moments, velocities) is kept per parameter, created on the first step that sees it.
 */
public interface Optimizer {
    /** One update of every trainable parameter in {@code params}; non-trainable ones are left alone. */
    void step(List<Param> params);

    /** The Keras name ({@code adam}, {@code SGD}, …) and settings, for summaries and run records. */
    String describe();

    /**
     * What an optimiser carries from one step to the next, for {@code params} in the order given: the step
     * count ({@code iterations}, Adam's {@code t}; 0 for optimisers that do not count) and, per parameter, its
     * slot arrays — Adam's {@code m} and {@code v}, Adadelta's {@code E[g²]} and {@code E[Δ²]}, SGD's velocity —
     * or {@code null} for a parameter the optimiser has not stepped yet (frozen, or no step taken). Keras
     * calls these the optimiser's variables; a resumed run needs them, or Adam would restart its bias
     * correction and its moments from zero.
     */
    record State(long iterations, List<float[][]> slots) {
        public State {
            slots = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(slots)); // null entries allowed
        }
    }

    /** A copy of this optimiser's state for {@code params} (a model's {@code params()}). */
    State state(List<Param> params);

    /**
     * Puts back a state {@link #state} gave for parameters of the same shapes, in the same order: the next
     * step is the one the saved optimiser would have taken. Everything is checked first (count, slots per
     * parameter, sizes), so a mismatch leaves this optimiser as it was.
     *
     * @throws IllegalArgumentException naming the first parameter that does not match
     */
    void restore(List<Param> params, State state);
}
