package glassbox.data;

/**
 * A dataset's official split: Keras's {@code (x_train, y_train), (x_test, y_test) = load_data()}.
 *
 * @param train the training samples (60,000 for the MNIST family)
 * @param test  the held-out test samples (10,000 for the MNIST family)
 */
public record TrainTest(Dataset train, Dataset test) {
    public TrainTest {
        if (train == null || test == null) {
            throw new IllegalArgumentException("TrainTest: train and test must not be null");
        }
        if (train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("TrainTest: train " + train.name() + " has " + train.numClasses()
                    + " classes but test " + test.name() + " has " + test.numClasses() + "; expected the same");
        }
    }
}
