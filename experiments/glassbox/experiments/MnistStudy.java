package glassbox.experiments;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.data.Transforms;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.TrainingDivergedException;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * The whole of seed notebook {@code 000_8a71d4f11560efc9}: does binarising, amplifying or powering the
 * pixels help a dense network on MNIST, and does training only on the samples whose hidden representation
 * lies close to their class mean keep the accuracy?
 *
 * <pre>
 *   baseline   normalize(x, axis=1) → Dense 128 relu → Dense 128 relu → Dense 10 sigmoid, 3 epochs
 *              (the seed: test [0.1163, 0.9636]; {@link MnistMlp#seedNetwork})
 *   threshold  t ∈ {0, .25, .4, .5, .6, .75}: x' = (normalised x > t)       baseline on x'_test, fresh net on x'
 *   amplify    f ∈ {1.5, 2, 3, 5}:            x' = normalised x · f          same two evaluations
 *   power      p ∈ {1, 2, 3, 5}:              x' = normalize(raw x ^ p)      same two evaluations
 *   selection  784 → 756 relu → 128 relu → 10 sigmoid on normalised pixels, 5 epochs, seeds 0–4; the
 *              128-unit layer's output per training sample, each sample's mean squared distance to its
 *              class's mean vector; keep the samples below the q-quantile (q ∈ {.9, .95, .98, .99, .999}),
 *              train a fresh network 5 epochs, evaluate on the whole test set ({@link MnistStudySelection})
 * </pre>
 *
 * <b>The seed's bug</b>: its power cell computes {@code x ** p} and then overwrites it with
 * {@code normalize(x)}, so all four "powered" models train on the same un-powered data. This main powers the
 * pixels by default and prints that it does; {@code --seed-power-bug} reproduces the overwrite.
 *
 * <p><b>Choices the notebook leaves open</b> (also listed under {@code notes} in {@code results.json}):
 * every fresh model of seed {@code s} starts from the same initial weights and batch order as that seed's
 * baseline, so a difference between the two columns comes from the data alone; the seed trained each model
 * once, here {@code --repeats} (default 5) seeds give every figure a mean ± std. The seed computed the
 * selection features once, from one network, and reused that one table for its five seeds; here each
 * seed's full-data network selects its own samples ({@code --seed-shared-features} reproduces the single
 * table, taken from the last seed's network). The quantile is taken over all classes' distances together
 * (pandas' linear interpolation), and a sample is kept when its distance is strictly below it, as the
 * seed's {@code mse < quantile}.
 *
 * <p><b>The selection networks see normalised pixels</b> ({@code normalize(x, axis=1)}, as the baseline),
 * though the seed's notebook reloads raw 0..255 pixels (In[20]) before this study: on raw pixels every
 * sigmoid output saturates, the clipped loss has no gradient, and the networks stay at chance, while the
 * seed's printed feature statistics can only come from a network trained on normalised pixels (see
 * {@link MnistStudySelection}). {@code --selection-input raw} reproduces the stall, and the run then prints
 * why it happens.
 *
 * <p>Output: the printed tables, and {@code runs/mnist-study/<timestamp>/} with {@code results.json},
 * {@code results.csv} (one row per trained or re-evaluated model), {@code config.json} and the figures
 * {@code threshold.png}, {@code amplify.png}, {@code power.png}, {@code selection.png},
 * {@code mse_histogram.png}, {@code typical_images.png} ({@link MnistStudyReport}).
 */
@Command(name = "mnist-study", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Seed 000, complete: thresholding, amplifying and powering the pixels for a dense network, "
                + "and training only on the samples closest to their class mean in the hidden layer.")
public final class MnistStudy implements Callable<Integer> {
    static final String NAME = "mnist-study";
    static final String BASELINE = "baseline (trained on normalised x)";
    static final String RETRAINED = "fresh model trained on transformed x";

    enum Study { threshold, amplify, power, selection }

    enum SelectionInput { raw, normalized }

    @Mixin
    CommonOptions common;

    @Option(names = "--studies", split = ",", paramLabel = "NAME",
            description = "which studies to run, comma-separated: threshold, amplify, power, selection (default: all)")
    List<Study> studies = new ArrayList<>(List.of(Study.values()));

    @Option(names = "--thresholds", split = ",",
            description = "binarisation thresholds on normalised pixels; default 0,0.25,0.4,0.5,0.6,0.75")
    double[] thresholds = {0, 0.25, 0.4, 0.5, 0.6, 0.75};

    @Option(names = "--factors", split = ",", description = "amplification factors; default 1.5,2,3,5")
    double[] factors = {1.5, 2, 3, 5};

    @Option(names = "--exponents", split = ",", description = "powers of the raw pixels; default 1,2,3,5")
    double[] exponents = {1, 2, 3, 5};

    @Option(names = "--seed-power-bug",
            description = "reproduce the seed's bug: the powered data is overwritten by normalize(x)")
    boolean seedPowerBug;

    @Option(names = "--repeats", description = "train the baseline and the three preprocessing studies for seeds "
            + "--seed, --seed+1, …, --seed+N-1 (mean ± std over them); default ${DEFAULT-VALUE}, as the selection's")
    int repeats = 5;

    @Option(names = "--epochs", description = "epochs of the 128-128 networks; default ${DEFAULT-VALUE} (the seed's)")
    int epochs = 3;

    @Option(names = "--selection-epochs",
            description = "epochs of the 756-128 networks; default ${DEFAULT-VALUE} (the seed's)")
    int selectionEpochs = 5;

    @Option(names = "--selection-seeds", split = ",",
            description = "seeds of the data-selection study; default 0,1,2,3,4 (the seed's)")
    long[] selectionSeeds = {0, 1, 2, 3, 4};

    @Option(names = "--quantiles", split = ",",
            description = "keep samples whose distance is below this quantile; default 0.9,0.95,0.98,0.99,0.999")
    double[] quantiles = {0.9, 0.95, 0.98, 0.99, 0.999};

    @Option(names = "--selection-input",
            description = "pixels the selection networks see: normalized (L2 per column, as the baseline; what the "
                    + "seed's printed figures came from) or raw (0..255, the seed's In[20] reload: the networks stall "
                    + "at chance, and the run prints why); default ${DEFAULT-VALUE}")
    SelectionInput selectionInput = SelectionInput.normalized;

    @Option(names = "--seed-shared-features",
            description = "as the seed: one feature table, from the last seed's network, selects for every seed")
    boolean seedSharedFeatures;

    @Option(names = "--batch-size", description = "samples per step; default ${DEFAULT-VALUE} (Keras's)")
    int batchSize = 32;

    @Option(names = "--learning-rate", description = "Adam's learning rate; default ${DEFAULT-VALUE} (Keras's)")
    float learningRate = 0.001f;

    @Spec
    CommandSpec spec;

    final PrintStream out = System.out;
    /** The fits {@code --inspect} looked into: those {@code --profile} times (see {@link #fit}). */
    private final Inspections inspections = new Inspections();

    /** One model evaluated on a test set: a row of {@code results.csv}. NaN loss/accuracy when it failed. */
    record Trial(String study, String setting, double value, long seed, String model, int trainSamples,
                 double testLoss, double testAccuracy, double trainSeconds, String status) {
        boolean ok() {
            return status.equals("ok");
        }
    }

    /** A trained model (or the reason training stopped), with its wall time and history. */
    record Fit(Sequential model, int samples, double seconds, History history, String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        validate();
        out.println("glassbox " + NAME + " — seed 000, complete; BLAS: " + Blas.describe());
        TrainTest data = Datasets.load("mnist", common.home());
        Dataset train = data.train();
        Dataset test = data.test();
        if (common.quick) {
            train = train.slice(0, Math.min(3000, train.size()));
            test = test.slice(0, Math.min(1000, test.size()));
            epochs = 1;
            selectionEpochs = 1;
            out.println("--quick: " + train.size() + " training and " + test.size() + " test images, 1 epoch each");
        }
        Tensor xTrain = Transforms.normalizeL2(train.x(), 1);
        Tensor xTest = Transforms.normalizeL2(test.x(), 1);
        Tensor yTrain = train.yAsTensor();
        Tensor yTest = test.yAsTensor();
        List<Trial> trials = new ArrayList<>();
        History baselineProfile = null;
        RunFolder run = common.startRun(NAME);

        // The baseline of each repeat, kept: the three studies evaluate it on their transformed test sets.
        List<Fit> baselines = new ArrayList<>();
        if (studies.stream().anyMatch(s -> s != Study.selection)) {
            for (long seed : preprocessingSeeds()) {
                Fit fit = fit("baseline, seed " + seed, MnistMlp.seedNetwork(seed, learningRate), xTrain, yTrain,
                        epochs, baselines.isEmpty());
                baselines.add(fit);
                trials.add(evaluate(fit, fit, "baseline", "normalised x", Double.NaN, seed, BASELINE, xTest, yTest));
                baselineProfile = baselineProfile != null ? baselineProfile : fit.history();
            }
        }
        if (studies.contains(Study.threshold)) {
            trials.addAll(preprocessingStudy("threshold", "t", thresholds, xTrain, xTest, yTrain, yTest, baselines,
                    Transforms::threshold));
        }
        if (studies.contains(Study.amplify)) {
            trials.addAll(preprocessingStudy("amplify", "f", factors, xTrain, xTest, yTrain, yTest, baselines,
                    Transforms::scale));
        }
        if (studies.contains(Study.power)) {
            out.println(seedPowerBug
                    ? "power: --seed-power-bug: as in the seed, x ** p is overwritten and every 'powered' model "
                    + "trains on normalize(x): all runs see the same data"
                    : "power: x' = normalize(x ** p) (the seed overwrote x ** p with normalize(x); "
                    + "--seed-power-bug reproduces that)");
            BiFunction<Tensor, Double, Tensor> power = (raw, p) -> Transforms.normalizeL2(
                    seedPowerBug ? raw : Transforms.power(raw, p), 1);
            trials.addAll(preprocessingStudy("power", "p", exponents, train.x(), test.x(), yTrain, yTest, baselines,
                    power));
        }
        MnistStudySelection.Result selection = null;
        if (studies.contains(Study.selection)) {
            selection = new MnistStudySelection(this).run(train, test);
            trials.addAll(selection.trials());
        }

        double totalSeconds = (System.nanoTime() - start) / 1e9;
        new MnistStudyReport(this, run, trials, selection, baselineProfile, train.size(), test.size())
                .printAndWrite(totalSeconds);
        inspections.write(run, out);
        out.printf("total time: %.1f s (%.1f min)%n", totalSeconds, totalSeconds / 60);
        out.println("results: " + run.dir());
        return 0;
    }

    /**
     * One preprocessing study: for each value v, the transform applied to the training and test images;
     * each repeat's baseline evaluated on the transformed test set, and a fresh model of the same seed
     * trained and evaluated on the transformed data.
     */
    private List<Trial> preprocessingStudy(String study, String symbol, double[] values, Tensor trainSource,
                                           Tensor testSource, Tensor yTrain, Tensor yTest, List<Fit> baselines,
                                           BiFunction<Tensor, Double, Tensor> transform) {
        List<Trial> trials = new ArrayList<>();
        for (double v : values) {
            String setting = symbol + "=" + fmt(v);
            Tensor xTrain = transform.apply(trainSource, v);
            Tensor xTest = transform.apply(testSource, v);
            for (int r = 0; r < baselines.size(); r++) {
                long seed = seedOf(r);
                trials.add(evaluate(baselines.get(r), null, study, setting, v, seed, BASELINE, xTest, yTest));
                Fit fresh = fit(study + " " + setting + ", seed " + seed, MnistMlp.seedNetwork(seed, learningRate),
                        xTrain, yTrain, epochs, false);
                trials.add(evaluate(fresh, fresh, study, setting, v, seed, RETRAINED, xTest, yTest));
            }
        }
        return trials;
    }

    /**
     * Trains {@code model}, printing Keras-style progress. A loss that turns NaN or infinite does not stop
     * the study: the failure (epoch and step) is printed now and recorded in the trial's status.
     * {@code representative} marks the study's representative fits (the first baseline, the first
     * full-data selection run): they are timed with {@code --profile} and looked into with {@code --inspect}.
     */
    Fit fit(String label, Sequential model, Tensor x, Tensor y, int epochCount, boolean representative) {
        out.printf("%n[%s] %,d samples, %d epoch%s%n", label, x.dim(0), epochCount, epochCount == 1 ? "" : "s");
        long t0 = System.nanoTime();
        try {
            History history = model.fit(x, y, FitOptions.defaults().withEpochs(epochCount).withBatchSize(batchSize)
                    .withCallbacks(common.callbacks(label, representative)));
            inspections.add(label, history);
            return new Fit(model, x.dim(0), (System.nanoTime() - t0) / 1e9, history, null);
        } catch (TrainingDivergedException e) {
            out.println("DIVERGED [" + label + "]: " + e.getMessage());
            return new Fit(model, x.dim(0), (System.nanoTime() - t0) / 1e9, null,
                    "diverged at epoch " + e.epoch() + ", step " + e.step());
        }
    }

    /**
     * Evaluates {@code fit}'s model on the test set. {@code trainedHere} is the fit itself when this row
     * trained the model (its time is recorded), {@code null} when it re-evaluates an earlier model.
     */
    Trial evaluate(Fit fit, Fit trainedHere, String study, String setting, double value, long seed, String model,
                   Tensor xTest, Tensor yTest) {
        double seconds = trainedHere == null ? Double.NaN : trainedHere.seconds();
        if (!fit.ok()) {
            return new Trial(study, setting, value, seed, model, fit.samples(), Double.NaN, Double.NaN, seconds,
                    fit.failure());
        }
        Sequential.Evaluation e = fit.model().evaluate(xTest, yTest);
        out.printf("  %s %s, seed %d, %s: test loss %.4f, accuracy %.4f%n", study, setting, seed, model, e.loss(),
                e.accuracy());
        return new Trial(study, setting, value, seed, model, fit.samples(), e.loss(), e.accuracy(), seconds, "ok");
    }

    List<Long> preprocessingSeeds() {
        List<Long> seeds = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            seeds.add(seedOf(r));
        }
        return seeds;
    }

    private long seedOf(int repeat) {
        return common.seed + repeat;
    }

    /** Usage errors (exit code 2 with the usage) for values picocli's types cannot rule out. */
    private void validate() {
        List<String> problems = new ArrayList<>();
        if (studies.isEmpty()) {
            problems.add("--studies names no study");
        }
        if (repeats < 1 || epochs < 1 || selectionEpochs < 1 || batchSize < 1) {
            problems.add("--repeats, --epochs, --selection-epochs and --batch-size must be >= 1, got " + repeats + ", "
                    + epochs + ", " + selectionEpochs + ", " + batchSize);
        }
        if (Arrays.stream(quantiles).anyMatch(q -> !(q > 0 && q <= 1))) {
            problems.add("--quantiles must lie in (0, 1], got " + Arrays.toString(quantiles));
        }
        if (thresholds.length == 0 || factors.length == 0 || exponents.length == 0 || quantiles.length == 0
                || selectionSeeds.length == 0) {
            problems.add("--thresholds, --factors, --exponents, --quantiles and --selection-seeds need a value each");
        }
        if (!(learningRate > 0)) {
            problems.add("--learning-rate must be positive, got " + learningRate);
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }

    /** A setting's value as the seed wrote it: {@code 0.25}, {@code 2}. */
    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
