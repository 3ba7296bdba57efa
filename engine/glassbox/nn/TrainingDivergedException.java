package glassbox.nn;

/** Thrown when the loss becomes NaN or infinite: training stops at once, naming the epoch and step. */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;

    public TrainingDivergedException(String message, int epoch, int step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }
}
