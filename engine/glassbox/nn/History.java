package glassbox.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@link Sequential#fit} returns: one record per epoch, as Keras's {@code History.history}.
 * Accuracy fields are {@code NaN} when the loss has no accuracy; validation fields are {@code NaN} when
 * no validation data was given.
 */
public final class History {
    /** One epoch: training means over its batches, validation figures after it, and its wall time. */
    public record Epoch(int epoch, double loss, double accuracy, double valLoss, double valAccuracy,
                        double seconds) {
    }

    private final List<Epoch> epochs = new ArrayList<>();
    private Profile profile;

    void add(Epoch e) {
        epochs.add(e);
    }

    void setProfile(Profile profile) {
        this.profile = profile;
    }

    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public Epoch last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Where training time went, when {@link FitOptions#profile()} was on; else {@code null}. */
    public Profile profile() {
        return profile;
    }
}
