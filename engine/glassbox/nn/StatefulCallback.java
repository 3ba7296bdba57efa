package glassbox.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A callback whose decisions depend on the epochs it has seen — EarlyStopping's count of epochs without
 * improvement and its best weights, ModelCheckpoint's best value. A fit resumed from a backup
 * ({@link TrainingState}) must carry that memory over, or it would stop at another epoch or save another
 * checkpoint than the uninterrupted fit. (Keras's BackupAndRestore does not: its callbacks start afresh.)
 *
 * <p>{@link #writeState} is called at an epoch's end, after this callback's {@code onEpochEnd}; {@link #readState}
 * when the fit resumes, after this callback's {@code onTrainBegin} (which resets it).
 */
public interface StatefulCallback extends Callback {
    /** Writes what this callback remembers of the epochs so far. */
    void writeState(DataOutputStream out) throws IOException;

    /**
     * Reads what {@link #writeState} wrote and takes it as its own. Checks what it reads (shapes against the
     * model, counts) before changing anything; a mismatch is an {@link IOException} whose message starts with
     * {@code source}.
     */
    void readState(DataInputStream in, String source) throws IOException;
}
