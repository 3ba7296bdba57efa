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
}
