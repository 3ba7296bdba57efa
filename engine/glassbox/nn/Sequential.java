package glassbox.nn;

import glassbox.nn.loss.Loss;
import glassbox.nn.optim.Optimizer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A stack of layers, each feeding the next: Keras's {@code keras.Sequential}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(42, new Flatten(), new Dense(128, "relu"), new Dense(10, "sigmoid"));
 * model.compile(new SparseCategoricalCrossentropy(), new Adam());
 * History h = model.fit(xTrain, yTrain, FitOptions.defaults().withEpochs(3));
 * Evaluation e = model.evaluate(xTest, yTest);
 * }</pre>
 *
 * The seed plays the part of Keras's {@code tf.random.set_seed}: it fixes the initial weights (each layer
 * draws from its own generator split off the seed, in order) and the order of the shuffled batches, so the
 * same seed gives the same numbers. The model is built from the shape of the first data it sees, or
 * explicitly by {@link #build}.
 *
 * <p>One training step is: gather the batch, forward through every layer, loss and its gradient, zero the
 * parameter gradients, backward through the layers in reverse down to the lowest one with trainable
 * parameters, one optimiser step ({@link #trainStep}). After each epoch the validation data, if any, is scored
 * in inference mode. Callbacks see each of these phases: a {@link Profile} times them, an {@link Inspector}
 * reads each layer's output and each step's parameters (neither costs anything when not given).
 *
 * <p>Freezing ({@link #setTrainable(boolean)}, {@link Layer#setTrainable(boolean)}) and models that share
 * layers with this one ({@link #slice}, {@link #upTo}) give Keras's transfer-learning recipe: train, slice off
 * the encoder, freeze it, put a new head on its output.
 */
public final class Sequential {
    private final List<Layer> layers = new ArrayList<>();
    private final long seed;
    private final Rng initRng;
    private final Rng shuffleRng;
    private Loss loss;
    private Optimizer optimizer;
    private List<Param> params;
    private int[] inputShape;
    private boolean stopTraining;
    private List<Callback> callbacks = List.of(); // those of the fit under way
    private Progress progress; // the fit under way's own state, for TrainingState; null outside fit
    private final Map<Integer, Tensor> lossGradients = new HashMap<>(); // dL/d(output), one per batch size

    public Sequential(long seed, Layer... layers) {
        this.seed = seed;
        Rng root = new Rng(seed);
        this.initRng = root.split();
        this.shuffleRng = root.split();
        for (Layer layer : layers) {
            add(layer);
        }
    }

    /**
     * Appends a layer; gives it a Keras-style unique name ({@code dense}, {@code dense_1}, …) if it has none.
     * The layer may be one of another model's, already built (say a trained encoder's, from
     * {@code encoder.layers()}): this model then shares its weights, as a {@link #slice} does.
     */
    public Sequential add(Layer layer) {
        if (inputShape != null) {
            throw new IllegalStateException("cannot add layers to a model that is already built");
        }
        long same = layers.stream().filter(l -> l.kind().equals(layer.kind())).count();
        layer.assignName(same == 0 ? layer.kind() : layer.kind() + "_" + same);
        for (Layer l : layers) {
            if (l.name().equals(layer.name())) {
                throw new IllegalArgumentException("a layer named '" + layer.name() + "' is already in the model");
            }
        }
        layers.add(layer);
        return this;
    }

    /** Builds every layer for samples of shape {@code inputShape} (no batch axis). */
    public Sequential build(int... inputShape) {
        if (this.inputShape != null) {
            if (!Arrays.equals(this.inputShape, inputShape)) {
                throw new IllegalArgumentException("model was built for input " + Tensor.shapeString(this.inputShape)
                        + " but got samples of shape " + Tensor.shapeString(inputShape));
            }
            return this;
        }
        if (layers.isEmpty()) {
            throw new IllegalStateException("the model has no layers");
        }
        int[] shape = inputShape.clone();
        List<Param> all = new ArrayList<>();
        for (Layer layer : layers) {
            Rng rng = initRng.split(); // drawn for every layer, so later layers' weights do not depend on it
            shape = layer.isBuilt() ? alreadyBuilt(layer, shape) : layer.build(shape, rng);
            all.addAll(layer.params());
        }
        this.params = List.copyOf(all);
        this.inputShape = inputShape.clone();
        prepareBackward();
        return this;
    }

    /**
     * A layer built before (one of another model's, as when a trained encoder is stacked under a new head:
     * Keras's {@code Sequential([encoder, Dense(10)])}) keeps its weights, shared with that model, if it was
     * built for the shape it receives here.
     */
    private static int[] alreadyBuilt(Layer layer, int[] shape) {
        if (!Arrays.equals(layer.inputShape(), shape)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' was already built for input "
                    + Tensor.shapeString(layer.inputShape()) + " but receives " + Tensor.shapeString(shape)
                    + " in this model");
        }
        return layer.outputShape();
    }

    /**
     * Tells each layer whether its backward must return {@code dL/dIn}, from the layers' current trainable
     * flags, and returns the index of the lowest layer backward has to reach (−1: none, nothing to train).
     * Nothing needs dL/d(data). A layer needs its input gradient only if some layer before it has trainable
     * parameters: so a Flatten in front keeps the first Dense from computing a dX that would be thrown away
     * (a third of that layer's backward arithmetic), and a frozen prefix (a frozen encoder under a trainable
     * classifier) is not visited by backward at all. Run at every training step, as the flags may change
     * between steps, and as a layer shared with another model ({@link #slice}) may sit at another depth there.
     */
    private int prepareBackward() {
        boolean gradientNeeded = false;
        int lowest = -1;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.setInputGradientNeeded(gradientNeeded);
            if (layer.hasTrainableParams()) {
                gradientNeeded = true;
                lowest = lowest < 0 ? i : lowest;
            }
        }
        return lowest;
    }

    /** Sets the loss and optimiser ({@code metrics=["accuracy"]} is implied when the loss has an accuracy). */
    public Sequential compile(Loss loss, Optimizer optimizer) {
        this.loss = loss;
        this.optimizer = optimizer;
        return this;
    }

    /**
     * Trains on {@code x} (samples along axis 0) against {@code y}; see {@link FitOptions} for the defaults.
     * With {@link FitOptions#validationSplit()}, only the first rows are trained on and the last ones
     * validate. Epochs × batches × callbacks: each batch is one {@link #trainStep}; the callbacks (progress
     * first when verbose, then {@link FitOptions#callbacks()}: a {@link Profile}, an {@link Inspector}, …) see
     * every epoch, batch and phase. A callback may end training early with {@link #stopTraining()}: the current
     * batch finishes, then the epoch is closed as usual (validation, {@code onEpochEnd}) and {@code onTrainEnd}
     * follows, as in Keras.
     */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        if (loss == null) {
            throw new IllegalStateException("call compile(loss, optimizer) before fit");
        }
        checkData("x", x, "y", y);
        ensureBuilt(x);
        requireFinite("x", x);
        Validation validation = validation(x, y, options);
        int samples = validation.trainRows();
        int batchSize = Math.min(options.batchSize(), samples);
        int steps = (samples + batchSize - 1) / batchSize;
        callbacks = new ArrayList<>();
        if (options.verbose()) {
            callbacks.add(new ProgressLogger(System.out));
        }
        callbacks.addAll(options.callbacks());
        History history = new History();
        Batcher batcher = new Batcher(x, y);
        int[] order = IntStream.range(0, samples).toArray(); // shuffled in place each epoch
        progress = new Progress(history, order, options.epochs(), steps, samples);
        try {
            stopTraining = false;
            callbacks.forEach(c -> c.setModel(this));
            for (Callback c : callbacks) {
                c.onTrainBegin(options.epochs(), steps, samples);
            }
            // A BackupAndRestore may have put back the epochs of an interrupted fit (TrainingState): training
            // continues after them, Keras's initial_epoch.
            int first = history.epochs().size() + 1;
            for (int epoch = first; epoch <= options.epochs() && !(epoch > 1 && stopTraining); epoch++) {
                for (Callback c : callbacks) {
                    c.onEpochBegin(epoch);
                }
                long epochStart = System.nanoTime();
                phaseBegin(Callback.Phase.BATCHING, -1);
                if (options.shuffle()) {
                    shuffleRng.shuffle(order);
                }
                phaseEnd(Callback.Phase.BATCHING, -1, null);
                double lossSum = 0;
                double correct = 0;
                int seen = 0;
                for (int step = 1; step <= steps && !(step > 1 && stopTraining); step++) {
                    int from = (step - 1) * batchSize;
                    int to = Math.min(from + batchSize, samples);
                    phaseBegin(Callback.Phase.BATCHING, -1);
                    Tensor xb = batcher.x(order, from, to);
                    Tensor yb = batcher.y(order, from, to);
                    phaseEnd(Callback.Phase.BATCHING, -1, xb);
                    Step result = trainStep(xb, yb);
                    if (!Double.isFinite(result.loss())) {
                        throw diverged(result.loss(), epoch, options.epochs(), step, steps, from, to);
                    }
                    lossSum += result.loss() * (to - from);
                    correct += result.correct();
                    seen += to - from;
                    for (Callback c : callbacks) {
                        c.onBatchEnd(epoch, step, lossSum / seen, correct / seen);
                    }
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Evaluation v = new Evaluation(Double.NaN, Double.NaN);
                if (validation.x() != null && epoch % options.validationFreq() == 0) {
                    phaseBegin(Callback.Phase.VALIDATION, -1);
                    v = evaluate(validation.x(), validation.y(), batchSize);
                    phaseEnd(Callback.Phase.VALIDATION, -1, null);
                }
                History.Epoch record = new History.Epoch(epoch, lossSum / seen, correct / seen, v.loss(), v.accuracy(),
                        seconds);
                history.add(record);
                for (Callback c : callbacks) {
                    c.onEpochEnd(epoch, record);
                }
            }
            for (Callback c : callbacks) {
                c.onTrainEnd(history);
            }
            return history;
        } finally {
            callbacks = List.of(); // trainStep outside fit tells no one
            progress = null;
        }
    }

    /**
     * What {@link #fit} keeps from epoch to epoch besides the model, its optimiser and generators: the history
     * so far and the sample order (shuffled in place each epoch, so epoch k's order depends on every earlier
     * shuffle). {@link TrainingState} saves it at an epoch's end and puts it back when a fit resumes.
     */
    record Progress(History history, int[] order, int epochs, int steps, int samples) {
    }

    /** The fit under way's {@link Progress}; {@code null} outside {@link #fit}. */
    Progress progress() {
        return progress;
    }

    /**
     * Every generator training draws from, in a fixed order: the weight initialiser's, the shuffler's, then
     * each layer's ({@link Layer#generators()}: Dropout's masks).
     */
    List<Rng> generators() {
        List<Rng> all = new ArrayList<>(List.of(initRng, shuffleRng));
        for (Layer layer : layers) {
            all.addAll(layer.generators());
        }
        return all;
    }

    /**
     * The callbacks of the fit under way, in the order they are called (the progress display first when
     * verbose, then {@link FitOptions#callbacks()}); empty outside {@link #fit}. A callback that saves the
     * others' state (BackupAndRestore) reads it here.
     */
    public List<Callback> fitCallbacks() {
        return List.copyOf(callbacks);
    }

    /** Validation data ({@code null x, y} for none), and how many of the first rows of {@code x} to train on. */
    private record Validation(Tensor x, Tensor y, int trainRows) {
    }

    /**
     * {@link FitOptions#validationX()} if given, else the last rows of {@code x, y} that
     * {@link FitOptions#validationSplit()} holds out (the batches then draw from the rows before them only).
     */
    private static Validation validation(Tensor x, Tensor y, FitOptions options) {
        Validation validation = new Validation(options.validationX(), options.validationY(), x.dim(0));
        int samples = x.dim(0);
        if (validation.x() == null && options.validationSplit() > 0) {
            // Keras: split_at = int(n * (1 - validation_split)); train on x[:split_at], validate on x[split_at:]
            int splitAt = (int) Math.floor(samples * (1.0 - options.validationSplit()));
            if (splitAt == 0 || splitAt == samples) {
                throw new IllegalArgumentException("validationSplit " + options.validationSplit() + " of " + samples
                        + " samples leaves " + (splitAt == 0 ? "no sample to train on" : "no sample to validate on")
                        + " (floor(n·(1 − split)) = " + splitAt + "): give more data or another split");
            }
            validation = new Validation(x.slice(splitAt, samples), y.slice(splitAt, samples), splitAt);
        }
        if (validation.x() != null) {
            checkData("validation x", validation.x(), "validation y", validation.y());
        }
        return validation;
    }

    private static TrainingDivergedException diverged(double loss, int epoch, int epochs, int step, int steps,
                                                       int from, int to) {
        return new TrainingDivergedException(String.format(
                "loss became %s at epoch %d/%d, step %d/%d (samples %d–%d of the shuffled order): "
                        + "training stopped. Lower the learning rate or check the data for extreme values.",
                loss, epoch, epochs, step, steps, from, to - 1), epoch, step);
    }

    /** The mean loss over a batch and the number of its samples classified correctly ({@code NaN}: no accuracy). */
    public record Step(double loss, double correct) {
    }

    /**
     * One step of training, Keras's {@code train_step}: forward through every layer, the loss and its gradient,
     * backward through the layers in reverse down to the lowest one with trainable parameters, one optimiser
     * step. A loss that is not finite is returned before backward, leaving the weights as they were.
     */
    public Step trainStep(Tensor x, Tensor y) {
        Tensor out = x;
        for (int l = 0; l < layers.size(); l++) {
            out = forward(l, out);
        }
        Tensor grad = lossGradientBuffer(out);
        Step result = loss(out, y, grad);
        if (!Double.isFinite(result.loss())) {
            return result;
        }
        int lowest = prepareBackward();
        for (int l = layers.size() - 1; l >= lowest && lowest >= 0 && grad != null; l--) {
            grad = backward(l, grad);
        }
        optimizerStep();
        return result;
    }

    // trainStep's four parts, each announced to the callbacks as its phase (--profile times them, --inspect
    // reads their outputs); the arithmetic is the layer's, the loss's and the optimiser's.

    private Tensor forward(int l, Tensor in) {
        phaseBegin(Callback.Phase.FORWARD, l);
        Tensor out = layers.get(l).forward(in, true);
        phaseEnd(Callback.Phase.FORWARD, l, out);
        return out;
    }

    /** The loss of {@code out} against {@code y}, its gradient into {@code grad}; the parameters' gradients zeroed. */
    private Step loss(Tensor out, Tensor y, Tensor grad) {
        phaseBegin(Callback.Phase.LOSS, -1);
        Step result = new Step(loss.compute(out, y, grad), loss.correct(out, y));
        params.forEach(Param::zeroGrad);
        phaseEnd(Callback.Phase.LOSS, -1, grad);
        return result;
    }

    private Tensor backward(int l, Tensor grad) {
        phaseBegin(Callback.Phase.BACKWARD, l);
        Tensor dIn = layers.get(l).backward(grad);
        phaseEnd(Callback.Phase.BACKWARD, l, dIn);
        return dIn;
    }

    private void optimizerStep() {
        phaseBegin(Callback.Phase.OPTIMIZER, -1);
        optimizer.step(params);
        phaseEnd(Callback.Phase.OPTIMIZER, -1, null);
    }

    /** {@code dL/d(out)}'s buffer, one per batch size, reused from step to step. */
    private Tensor lossGradientBuffer(Tensor out) {
        int[] shape = out.shape();
        return lossGradients.computeIfAbsent(shape[0], n -> Tensor.zeros(shape));
    }

    /** Callbacks nest like scopes: the first one listed is told of a phase last before it and first after it. */
    private void phaseBegin(Callback.Phase phase, int layer) {
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            callbacks.get(i).onPhaseBegin(phase, layer);
        }
    }

    private void phaseEnd(Callback.Phase phase, int layer, Tensor output) {
        for (Callback c : callbacks) {
            c.onPhaseEnd(phase, layer, output);
        }
    }

    /**
     * Asks {@link #fit} to stop: Keras's {@code model.stop_training = True}, what a callback such as
     * {@code EarlyStopping} calls. Checked after every batch and every epoch; {@code fit} clears it when it
     * starts.
     */
    public void stopTraining() {
        stopTraining = true;
    }

    /** Whether {@link #stopTraining()} was called since the current (or last) {@code fit} began. */
    public boolean stopTrainingRequested() {
        return stopTraining;
    }

    /** Loss and accuracy ({@code NaN} if the loss has none) over a whole data set. */
    public record Evaluation(double loss, double accuracy) {
    }

    /** Mean loss and accuracy over {@code x, y} in inference mode, batch size 32 as Keras's default. */
    public Evaluation evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 32);
    }

    public Evaluation evaluate(Tensor x, Tensor y, int batchSize) {
        if (loss == null) {
            throw new IllegalStateException("call compile(loss, optimizer) before evaluate");
        }
        checkData("x", x, "y", y);
        ensureBuilt(x);
        Batcher batcher = new Batcher(x, y);
        int samples = x.dim(0);
        double lossSum = 0;
        double correct = 0;
        for (int from = 0; from < samples; from += batchSize) {
            int to = Math.min(from + batchSize, samples);
            Tensor out = forward(batcher.x(null, from, to), false);
            Tensor yb = batcher.y(null, from, to);
            lossSum += loss.compute(out, yb, null) * (to - from);
            correct += loss.correct(out, yb);
        }
        return new Evaluation(lossSum / samples, correct / samples);
    }

    /** The model's output for every sample of {@code x}, in inference mode. */
    public Tensor predict(Tensor x, int batchSize) {
        return layerOutput(layers.get(layers.size() - 1).name(), x, batchSize);
    }

    public Tensor predict(Tensor x) {
        return predict(x, 32);
    }

    /**
     * The output of the layer named {@code layerName} for every sample of {@code x}, in inference mode:
     * Keras's {@code Model(inputs=model.input, outputs=model.get_layer(name).output).predict(x)}.
     */
    public Tensor layerOutput(String layerName, Tensor x, int batchSize) {
        ensureBuilt(x);
        int last = indexOf(layerName);
        int samples = x.dim(0);
        Batcher batcher = new Batcher(x, null);
        Tensor result = Tensor.zeros(batchShape(samples, layers.get(last).outputShape()));
        int row = result.rowLength();
        for (int from = 0; from < samples; from += batchSize) {
            int to = Math.min(from + batchSize, samples);
            Tensor out = batcher.x(null, from, to);
            for (int l = 0; l <= last; l++) {
                out = layers.get(l).forward(out, false);
            }
            System.arraycopy(out.data(), 0, result.data(), from * row, (to - from) * row);
        }
        return result;
    }

    private Tensor forward(Tensor x, boolean training) {
        Tensor out = x;
        for (Layer layer : layers) {
            out = layer.forward(out, training);
        }
        return out;
    }

    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    public Layer layer(String name) {
        return layers.get(indexOf(name));
    }

    /**
     * Freezes ({@code false}) or thaws ({@code true}) every layer: Keras's {@code model.trainable = …} on a
     * whole model (or on a sub-model, here a {@link #slice}, whose layers are the source's). See
     * {@link Layer#setTrainable(boolean)}.
     */
    public Sequential setTrainable(boolean trainable) {
        for (Layer layer : layers) {
            layer.setTrainable(trainable);
        }
        return this;
    }

    /**
     * A new model made of layers {@code from … to − 1} of this (built) one — the same layer objects, not
     * copies: Keras's functional {@code Model(inputs=model.layers[from].input, outputs=model.layers[to -
     * 1].output)}. The seed's "truncate everything after the layer which outputs z" is
     * {@code autoencoder.slice(0, codeIndex + 1)} (or {@link #upTo(String)}); the decoder alone is
     * {@code slice(codeIndex + 1, n)}.
     *
     * <p><b>Shared weights.</b> Both models hold the same {@link Param}s: training either changes both,
     * {@code setWeights} through either is seen by both, and freezing the slice ({@code slice.setTrainable(false)})
     * freezes those layers in the source too — the seed's frozen encoder under a new classifier. The slice is
     * built (for the input shape of layer {@code from}) and not compiled (call {@link #compile} to train it,
     * with its own optimiser, whose moments are its own); its seed, which only orders its shuffled batches,
     * is this model's. It saves with {@code ModelFiles} like any model; a loaded copy shares nothing.
     *
     * <p><b>Shared caches.</b> A layer keeps what its last forward pass needs for backward, and reuses its
     * output buffers. Each training step of {@code fit} runs forward then backward on one batch with nothing
     * in between, and each call ({@code fit}, {@code evaluate}, {@code predict}) copies what it returns; so
     * calls on the two models may be interleaved freely — predicting through the slice from a callback of the
     * source's {@code fit} changes nothing in the source's training (a test checks it bit for bit). The rule:
     * never run the two models at the same time on two threads (no layer is thread-safe), and do not keep a
     * tensor a layer returned across calls (as for any model).
     *
     * @throws IllegalArgumentException unless {@code 0 ≤ from < to ≤ layers().size()}
     */
    public Sequential slice(int from, int to) {
        requireBuilt();
        if (from < 0 || to > layers.size() || from >= to) {
            throw new IllegalArgumentException("slice(from=" + from + ", to=" + to + "): expected 0 <= from < to <= "
                    + layers.size() + " (the model's layer count)");
        }
        Sequential slice = new Sequential(seed);
        List<Param> all = new ArrayList<>();
        for (Layer layer : layers.subList(from, to)) {
            slice.layers.add(layer); // already named and built: not add(), which would reject a built model
            all.addAll(layer.params());
        }
        slice.params = List.copyOf(all);
        slice.inputShape = layers.get(from).inputShape();
        return slice;
    }

    /**
     * The layers from the first up to and including the one named {@code layerName}, sharing their weights:
     * {@code slice(0, index + 1)}, Keras's {@code Model(model.input, model.get_layer(layerName).output)}.
     */
    public Sequential upTo(String layerName) {
        requireBuilt();
        return slice(0, indexOf(layerName) + 1);
    }

    /** Every parameter, layer by layer, in a fixed order (what save/load weights walk). */
    public List<Param> params() {
        requireBuilt();
        return params;
    }

    public int[] inputShape() {
        requireBuilt();
        return inputShape.clone();
    }

    /**
     * Keras's {@code model.get_weights()}: a copy of every parameter's value, layer by layer, in
     * {@link #params()} order (trainable or not).
     */
    public List<Tensor> getWeights() {
        requireBuilt();
        List<Tensor> weights = new ArrayList<>();
        for (Layer layer : layers) {
            weights.addAll(layer.getWeights());
        }
        return weights;
    }

    /**
     * Keras's {@code model.set_weights(weights)}: copies {@code weights} (as {@link #getWeights()} returns
     * them) into the layers. The count and every shape are checked before anything is written, so a wrong
     * list leaves the model as it was.
     */
    public void setWeights(List<Tensor> weights) {
        requireBuilt();
        if (weights.size() != params.size()) {
            throw new IllegalArgumentException("the model has " + params.size() + " weights but setWeights was given "
                    + weights.size());
        }
        for (int pass = 0; pass < 2; pass++) { // pass 0 checks every layer, pass 1 writes
            int from = 0;
            for (Layer layer : layers) {
                List<Tensor> own = weights.subList(from, from + layer.params().size());
                if (pass == 0) {
                    layer.checkWeights(own);
                } else {
                    layer.setWeights(own);
                }
                from += own.size();
            }
        }
    }

    public Loss loss() {
        return loss;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * Keras's {@code model.summary()}: each layer's name, kind, output shape and parameter count, then the
     * totals — "Trainable params" counts the parameters an optimiser may change now, "Non-trainable params"
     * the rest (BatchNormalization's moving statistics, and every parameter of a frozen layer).
     */
    public String summary() {
        requireBuilt();
        return ModelSummary.of(layers);
    }

    /**
     * One line for the shell, e.g. {@code Sequential(6 layers: Conv2D 32 → MaxPooling2D → Flatten → Dense 10;
     * input (28, 28, 1); 118,282 params; compiled: adam, sparse_categorical_crossentropy)}, or "not built" /
     * "not compiled"; a long stack shows its first and last layers around "…". The table is {@link #summary()}.
     */
    @Override
    public String toString() {
        List<String> kinds = new ArrayList<>();
        for (Layer layer : layers) {
            // the size a reader knows a layer by: Dense's units, Conv2D's filters
            Map<String, Object> config = layer.config();
            Object size = config.containsKey("units") ? config.get("units") : config.get("filters");
            kinds.add(layer.getClass().getSimpleName() + (size == null ? "" : " " + size));
        }
        if (kinds.size() > 8) {
            kinds = new ArrayList<>(List.of(String.join(" → ", kinds.subList(0, 4)), "…",
                    String.join(" → ", kinds.subList(kinds.size() - 3, kinds.size()))));
        }
        StringBuilder sb = new StringBuilder("Sequential(").append(layers.size())
                .append(layers.size() == 1 ? " layer: " : " layers: ").append(String.join(" → ", kinds));
        sb.append(inputShape == null ? "; not built"
                : String.format(Locale.ROOT, "; input %s; %,d params", Tensor.shapeString(inputShape), countParams()));
        sb.append(loss == null ? "; not compiled"
                : "; compiled: " + optimizer.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ", " + loss.name());
        return sb.append(')').toString();
    }

    /** Writes every parameter to {@code file} atomically; see {@link WeightIO} for the format. */
    public void saveWeights(java.nio.file.Path file) throws java.io.IOException {
        WeightIO.save(this, file);
    }

    /** Reads weights written by {@link #saveWeights} into this (built) model, checking names and shapes. */
    public void loadWeights(java.nio.file.Path file) throws java.io.IOException {
        WeightIO.load(this, file);
    }

    /** Total number of parameter values (trainable or not). */
    public long countParams() {
        return params().stream().mapToLong(p -> p.value().size()).sum();
    }

    private int indexOf(String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(name)) {
                return i;
            }
        }
        List<String> names = layers.stream().map(Layer::name).toList();
        throw new IllegalArgumentException("no layer named '" + name + "'; the model's layers are " + names);
    }

    private void ensureBuilt(Tensor x) {
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("x must have a batch axis and at least one feature axis, got "
                    + Tensor.shapeString(s));
        }
        build(Arrays.copyOfRange(s, 1, s.length));
    }

    private void requireBuilt() {
        if (inputShape == null) {
            throw new IllegalStateException("the model is not built: call build(inputShape) or fit/predict first");
        }
    }

    private static void checkData(String xName, Tensor x, String yName, Tensor y) {
        if (x.rank() < 2 || y.rank() < 1 || x.dim(0) != y.dim(0) || x.dim(0) == 0) {
            throw new IllegalArgumentException(xName + " " + Tensor.shapeString(x.shape()) + " and " + yName + " "
                    + Tensor.shapeString(y.shape()) + " must hold the same, non-zero number of samples along axis 0");
        }
    }

    private static void requireFinite(String name, Tensor t) {
        float[] d = t.data();
        int row = t.rowLength();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new IllegalArgumentException(name + " holds " + d[i] + " at sample " + (i / row)
                        + " (flat index " + i + "): training data must be finite");
            }
        }
    }

    private static int[] batchShape(int batch, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = batch;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }
}
