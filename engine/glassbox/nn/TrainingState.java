package glassbox.nn;

import glassbox.nn.optim.Optimizer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything {@link Sequential#fit} needs to continue from the end of an epoch as if it had never stopped:
 * what a backup ({@code glassbox.nn.callbacks.BackupAndRestore}) holds. A fit resumed from it ends with the
 * same bits — weights, history — as the uninterrupted fit, because nothing that decides a later number is
 * left out:
 * <ul>
 *   <li>the history so far, and whether a callback asked training to stop;</li>
 *   <li>every weight, trainable or not (BatchNormalization's moving mean and variance);</li>
 *   <li>the optimiser's state ({@link Optimizer#state}: Adam's {@code m}, {@code v} and step count);</li>
 *   <li>every generator's state ({@link Rng#state}: the shuffler's, each Dropout's);</li>
 *   <li>the sample order, which {@code fit} shuffles in place each epoch, so each order depends on the last;</li>
 *   <li>the memory of the fit's {@link StatefulCallback}s (EarlyStopping, ModelCheckpoint).</li>
 * </ul>
 * Not kept: the layers' buffers and caches (every step overwrites them before reading), and what
 * {@code --profile} and {@code --inspect} measured (figures of the epochs trained in this process only).
 *
 * <p>Format (big-endian, {@link DataOutputStream}), after the caller's own header:
 * <pre>
 *   int     the fit's epochs, steps per epoch, samples          (a backup fits only the same fit)
 *   int     n, the epochs completed; per epoch: int epoch, double loss, accuracy, val_loss, val_accuracy, seconds
 *   boolean a callback asked training to stop
 *   int     samples, then the sample order (samples ints)
 *           the weights: WeightIO's parameter section (names and shapes checked against the model)
 *   UTF     the optimiser ({@link Optimizer#describe()}); long its step count; int the parameter count, then
 *           per parameter: int slots (−1: none yet), each slot as the parameter's number of floats
 *   int     generators; per generator: long seed, long gamma
 *   int     stateful callbacks; per callback: UTF its class name, int length, that many bytes of its state
 * </pre>
 *
 * <p>Only inside {@code fit}: {@link #write} at an epoch's end (from a callback's {@code onEpochEnd}),
 * {@link #read} and {@link #restore} at its start (from {@code onTrainBegin}, before any epoch).
 */
public final class TrainingState {
    /** No callback's saved state is near this; a larger length means a damaged file. */
    private static final int MAX_CALLBACK_BYTES = 1 << 30;

    private final List<History.Epoch> epochs;
    private final boolean stopRequested;
    private final int[] order;
    private final List<Tensor> weights;
    private final Optimizer.State optimizer;
    private final List<Rng.State> generators;
    private final List<byte[]> callbackStates;
    private final String source;

    private TrainingState(List<History.Epoch> epochs, boolean stopRequested, int[] order, List<Tensor> weights,
                          Optimizer.State optimizer, List<Rng.State> generators, List<byte[]> callbackStates,
                          String source) {
        this.epochs = epochs;
        this.stopRequested = stopRequested;
        this.order = order;
        this.weights = weights;
        this.optimizer = optimizer;
        this.generators = generators;
        this.callbackStates = callbackStates;
        this.source = source;
    }

    /** Writes the state of {@code model}'s fit under way, as it stands at the end of an epoch. */
    public static void write(Sequential model, DataOutputStream out) throws IOException {
        Sequential.Progress p = requireFit(model, "write");
        out.writeInt(p.epochs());
        out.writeInt(p.steps());
        out.writeInt(p.samples());
        List<History.Epoch> done = p.history().epochs();
        out.writeInt(done.size());
        for (History.Epoch e : done) {
            out.writeInt(e.epoch());
            out.writeDouble(e.loss());
            out.writeDouble(e.accuracy());
            out.writeDouble(e.valLoss());
            out.writeDouble(e.valAccuracy());
            out.writeDouble(e.seconds());
        }
        out.writeBoolean(model.stopTrainingRequested());
        out.writeInt(p.order().length);
        for (int i : p.order()) {
            out.writeInt(i);
        }
        WeightIO.writeParams(model, out);
        Optimizer.State o = model.optimizer().state(model.params());
        out.writeUTF(model.optimizer().describe());
        out.writeLong(o.iterations());
        out.writeInt(o.slots().size());
        for (float[][] slots : o.slots()) {
            out.writeInt(slots == null ? -1 : slots.length);
            for (float[] slot : slots == null ? new float[0][] : slots) {
                for (float v : slot) {
                    out.writeFloat(v);
                }
            }
        }
        List<Rng> rngs = model.generators();
        out.writeInt(rngs.size());
        for (Rng rng : rngs) {
            out.writeLong(rng.state().seed());
            out.writeLong(rng.state().gamma());
        }
        List<StatefulCallback> stateful = stateful(model);
        out.writeInt(stateful.size());
        for (StatefulCallback c : stateful) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream own = new DataOutputStream(bytes);
            c.writeState(own);
            own.flush();
            out.writeUTF(c.getClass().getName());
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
    }

    /**
     * Reads a state {@link #write} wrote, checking it against {@code model} and its fit under way — the same
     * epochs, steps and samples, the same parameters, optimiser, generators and stateful callbacks — without
     * changing anything: {@link #restore} does that.
     *
     * @param source the file, for messages: every mismatch is an {@link IOException} starting with it
     */
    public static TrainingState read(DataInputStream in, Sequential model, String source) throws IOException {
        Sequential.Progress p = requireFit(model, "read");
        int epochsPlanned = in.readInt();
        int steps = in.readInt();
        int samples = in.readInt();
        if (epochsPlanned != p.epochs() || steps != p.steps() || samples != p.samples()) {
            throw new IOException(source + ": it was saved by a fit of " + epochsPlanned + " epochs × " + steps
                    + " steps over " + samples + " samples; this fit has " + p.epochs() + " epochs × " + p.steps()
                    + " steps over " + p.samples() + " samples");
        }
        int n = in.readInt();
        if (n < 1 || n > epochsPlanned) {
            throw new IOException(source + ": corrupt: it claims " + n + " completed epochs of " + epochsPlanned);
        }
        List<History.Epoch> epochs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int epoch = in.readInt();
            if (epoch != i + 1) {
                throw new IOException(source + ": corrupt: its history's record " + (i + 1) + " is of epoch " + epoch);
            }
            epochs.add(new History.Epoch(epoch, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble()));
        }
        boolean stop = in.readBoolean();
        int orderLength = in.readInt();
        if (orderLength != samples) {
            throw new IOException(source + ": corrupt: a sample order of " + orderLength + " for " + samples + " samples");
        }
        int[] order = new int[samples];
        boolean[] seen = new boolean[samples];
        for (int i = 0; i < samples; i++) {
            order[i] = in.readInt();
            if (order[i] < 0 || order[i] >= samples || seen[order[i]]) {
                throw new IOException(source + ": corrupt: the sample order is not a permutation of 0.." + (samples - 1));
            }
            seen[order[i]] = true;
        }
        List<Tensor> weights = WeightIO.readParams(in, model, source + ": its weights do not match the model");
        Optimizer.State optimizer = readOptimizer(in, model, source);
        List<Rng> rngs = model.generators();
        int count = in.readInt();
        if (count != rngs.size()) {
            throw new IOException(source + ": it holds " + count + " random generators; this model has " + rngs.size()
                    + " (the model's two and one per Dropout layer)");
        }
        List<Rng.State> generators = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Rng.State state = new Rng.State(in.readLong(), in.readLong());
            if ((state.gamma() & 1) == 0) {
                throw new IOException(source + ": corrupt: random generator " + i + " has an even gamma");
            }
            generators.add(state);
        }
        List<StatefulCallback> stateful = stateful(model);
        int callbacks = in.readInt();
        List<String> names = stateful.stream().map(c -> c.getClass().getName()).toList();
        List<byte[]> states = new ArrayList<>();
        List<String> saved = new ArrayList<>();
        for (int i = 0; i < Math.max(0, Math.min(callbacks, 1000)); i++) {
            saved.add(in.readUTF());
            int length = in.readInt();
            if (length < 0 || length > MAX_CALLBACK_BYTES) {
                throw new IOException(source + ": corrupt: callback state of " + length + " bytes");
            }
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException(source + " is truncated: it ends inside the state of " + saved.getLast());
            }
            states.add(bytes);
        }
        if (callbacks != stateful.size() || !saved.equals(names)) {
            throw new IOException(source + ": it holds the state of the callbacks " + saved + "; this fit has "
                    + names + ": resume with the same callbacks");
        }
        if (in.read() != -1) {
            throw new IOException(source + ": unexpected bytes after the training state");
        }
        return new TrainingState(epochs, stop, order, weights, optimizer, generators, states, source);
    }

    private static Optimizer.State readOptimizer(DataInputStream in, Sequential model, String source)
            throws IOException {
        String saved = in.readUTF();
        if (!saved.equals(model.optimizer().describe())) {
            throw new IOException(source + ": it was saved with the optimiser " + saved + "; this model has "
                    + model.optimizer().describe());
        }
        long iterations = in.readLong();
        List<Param> params = model.params();
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(source + ": its optimiser state holds " + count + " parameters; the model has "
                    + params.size());
        }
        List<float[][]> slots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int k = in.readInt();
            if (k < -1 || k > 4) {
                throw new IOException(source + ": corrupt: parameter " + i + " has " + k + " optimiser slots");
            }
            if (k == -1) {
                slots.add(null);
                continue;
            }
            float[][] own = new float[k][params.get(i).value().size()];
            for (float[] slot : own) {
                for (int j = 0; j < slot.length; j++) {
                    slot[j] = in.readFloat();
                }
            }
            slots.add(own);
        }
        return new Optimizer.State(iterations, slots);
    }

    /**
     * Makes {@code model}'s fit under way continue after the saved epochs: the weights, the optimiser, the
     * generators, the sample order, the history and the stop request are put back, then each stateful
     * callback reads its memory. Call it from {@code onTrainBegin}, after the stateful callbacks' own (which
     * reset them): a callback that restores must come after them in the list.
     */
    public void restore(Sequential model) throws IOException {
        Sequential.Progress p = requireFit(model, "restore");
        if (!p.history().epochs().isEmpty()) {
            throw new IllegalStateException("a training state is restored before the first epoch, not after epoch "
                    + p.history().last().epoch());
        }
        model.setWeights(weights);
        model.optimizer().restore(model.params(), optimizer);
        List<Rng> rngs = model.generators();
        for (int i = 0; i < rngs.size(); i++) {
            rngs.get(i).restore(generators.get(i));
        }
        System.arraycopy(order, 0, p.order(), 0, order.length);
        epochs.forEach(p.history()::add);
        if (stopRequested) {
            model.stopTraining();
        }
        List<StatefulCallback> stateful = stateful(model);
        for (int i = 0; i < stateful.size(); i++) {
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(callbackStates.get(i)))) {
                stateful.get(i).readState(in, source + " (" + stateful.get(i).getClass().getSimpleName() + ")");
            } catch (java.io.EOFException e) {
                throw new IOException(source + ": the state of " + stateful.get(i).getClass().getSimpleName()
                        + " ends early", e);
            }
        }
    }

    /** The epochs the saved fit had completed. */
    public int completedEpochs() {
        return epochs.size();
    }

    /** Whether a callback had asked the saved fit to stop (so it was over). */
    public boolean stopRequested() {
        return stopRequested;
    }

    private static List<StatefulCallback> stateful(Sequential model) {
        List<StatefulCallback> stateful = new ArrayList<>();
        for (Callback c : model.fitCallbacks()) {
            if (c instanceof StatefulCallback s) {
                stateful.add(s);
            }
        }
        return stateful;
    }

    private static Sequential.Progress requireFit(Sequential model, String what) {
        Sequential.Progress p = model.progress();
        if (p == null) {
            throw new IllegalStateException("a training state can only be " + what + " inside fit (from a callback)");
        }
        return p;
    }
}
