package glassbox.experiments;

import glassbox.cluster.MiniBatchKMeans;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.data.Transforms;
import glassbox.metrics.ClusterLabels;
import glassbox.neighbors.NearestNeighbors;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.callbacks.ModelCheckpoint;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Seed notebook {@code 001_0b3e6c3010c08abe}: label MNIST with k-means instead of people, then train a CNN
 * on those labels.
 *
 * <pre>
 *   data       MNIST / 255, each image a 784-vector
 *   cluster    MiniBatchKMeans(n_clusters=120, batch_size=100, max_iter=10000, n_init=50) on the 60,000
 *              training images
 *   label      each cluster takes the label of the training image closest to its centre
 *              (pairwise_distances_argmin_min) — 120 labels looked up, not 60,000; for comparison, the
 *              majority label of its members (needs every label)
 *              test accuracy of "predict cluster → its label": seed 0.8674 (closest), 0.8702 (majority)
 *   CNN        Conv32-Conv32-MaxPool-BN-Conv64-Conv64-MaxPool-BN-Dropout .2-Flatten-Dense 128-Dropout .5-
 *              Dense 10 softmax ({@link SeedModels#mnistCnn}), Adam, batch 32
 *   (a) dirty  all 60,000 training images with the cluster labels, 6 epochs, best-validation checkpoint:
 *              seed 0.9063
 *   (b) few    only the 120 closest images, with their true labels, 250 epochs: seed 0.9047
 * </pre>
 *
 * <p><b>The seed's mistakes, and what the experiment does</b> (printed, kept in {@code results.json}):
 * <ul>
 *   <li>Its CNNs end in softmax but compile {@code SparseCategoricalCrossentropy(from_logits=True)}: the
 *       probabilities are treated as logits and pass through a second softmax inside the loss (Keras warns
 *       about exactly this, and the warning is in the seed's output). The gradient then vanishes as the
 *       softmax saturates. By default the loss takes probabilities, as the model's output is;
 *       {@code --seed-logits-bug} reproduces the seed.</li>
 *   <li>(a) validates on the <em>test</em> set and keeps the epoch with the best test accuracy, then
 *       reports test accuracy: the test set chose the model. By default the checkpoint watches a validation
 *       split of the training images carrying their cluster labels — all a user without labels has — and
 *       the test set is touched once; {@code --seed-test-selection} reproduces the seed.</li>
 * </ul>
 *
 * <p>Each seed runs the whole study (clustering included: the 120 images depend on it); the table gives
 * every seed, the mean ± std and the seed's figures. Output: {@code runs/kmeans-labels/<timestamp>/} with
 * {@code results.json}, {@code results.csv}, {@code config.json} and the figures of
 * {@link KMeansLabelsReport}.
 */
@Command(name = "kmeans-labels", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Seed 001: MiniBatchKMeans(120) labels MNIST from 120 looked-up labels; a CNN trained on those "
                + "labels (6 epochs) and on the 120 closest images alone (250 epochs). Seed: 0.8674 / 0.9063 / 0.9047.")
public final class KMeansLabels implements Callable<Integer> {
    static final String NAME = "kmeans-labels";
    static final int CLASSES = 10;

    /** The seed notebook's printed test accuracies. */
    static final double SEED_CLOSEST = 0.8674;
    static final double SEED_MAJORITY = 0.8702;
    static final double SEED_DIRTY_CNN = 0.9063;
    static final double SEED_FEW_CNN = 0.9047;

    @Mixin
    CommonOptions common;

    @Mixin
    SeedsOption seedsOption;

    @Option(names = "--clusters", description = "k-means clusters (labels looked up); default ${DEFAULT-VALUE}")
    int clusters = 120;

    @Option(names = "--kmeans-batch-size", description = "MiniBatchKMeans batch_size; default ${DEFAULT-VALUE} "
            + "(the seed's scikit-learn; 1.2 defaults to 1024)")
    int kmeansBatchSize = 100;

    @Option(names = "--kmeans-n-init", description = "MiniBatchKMeans n_init; default ${DEFAULT-VALUE} (the seed's)")
    int kmeansNInit = 50;

    @Option(names = "--kmeans-max-iter", description = "MiniBatchKMeans max_iter (passes over the data; early "
            + "stopping usually ends far sooner); default ${DEFAULT-VALUE} (the seed's)")
    int kmeansMaxIter = 10000;

    @Option(names = "--dirty-epochs", description = "epochs of (a); default ${DEFAULT-VALUE}")
    int dirtyEpochs = 6;

    @Option(names = "--few-epochs", description = "epochs of (b); default ${DEFAULT-VALUE}")
    int fewEpochs = 250;

    @Option(names = "--few-validation-freq", description = "(b) scores the test set only every N epochs (the seed "
            + "did every epoch; it only draws the curve); default ${DEFAULT-VALUE}")
    int fewValidationFreq = 10;

    @Option(names = "--validation-split", description = "(a): fraction of the training images (the last ones, "
            + "with their cluster labels) the checkpoint watches; default ${DEFAULT-VALUE}")
    double validationSplit = 0.1;

    @Option(names = "--seed-logits-bug", description = "reproduce the seed's loss: from_logits=True on softmax outputs")
    boolean seedLogitsBug;

    @Option(names = "--seed-test-selection", description = "reproduce the seed's (a): validate on the test set and "
            + "keep the epoch with the best test accuracy")
    boolean seedTestSelection;

    @Spec
    CommandSpec spec;

    final PrintStream out = System.out;
    /** The first seed's two CNN fits, when {@code --inspect} is on. */
    private final Inspections inspections = new Inspections();

    /** One seed's whole study. */
    record SeedRun(long seed, MiniBatchKMeans.Result kmeans, double kmeansSeconds, int[] closest,
                   int[] closestLabel, int[] majorityLabel, double accuracyClosest, double accuracyMajority,
                   double dirtyLabelAccuracy, History dirtyHistory, int dirtyBestEpoch,
                   Sequential.Evaluation dirtyTest, History fewHistory, Sequential.Evaluation fewTest,
                   double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        validate();
        long[] runSeeds = runSeeds();
        out.println("glassbox " + NAME + " — seed 001; BLAS: " + Blas.describe());
        for (String note : notes()) {
            out.println("note: " + note);
        }

        // In[43-44]: MNIST / 255, flattened for clustering, (n, 28, 28, 1) for the CNN
        TrainTest data = Datasets.load("mnist", common.home());
        Dataset train = data.train();
        Dataset test = data.test();
        if (common.quick) {
            train = train.slice(0, Math.min(3000, train.size()));
            test = test.slice(0, Math.min(500, test.size()));
            dirtyEpochs = 1;
            fewEpochs = 3;
            fewValidationFreq = 1;
            kmeansNInit = Math.min(kmeansNInit, 3);
            out.printf("--quick: %d training and %d test images, %d and %d epochs, seed %d%n", train.size(),
                    test.size(), dirtyEpochs, fewEpochs, runSeeds[0]);
        }
        Tensor x = Transforms.divide(train.x(), 255.0).reshape(train.size(), 28 * 28);
        Tensor k = Transforms.divide(test.x(), 255.0).reshape(test.size(), 28 * 28);
        out.printf("%n%d seed%s × (MiniBatchKMeans(%d) on %,d images, CNN (a) %d epochs on all of them, CNN (b) %d "
                        + "epochs on %d images)%n", runSeeds.length, runSeeds.length == 1 ? "" : "s", clusters,
                train.size(), dirtyEpochs, fewEpochs, clusters);

        RunFolder run = common.startRun(NAME);
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : runSeeds) {
            runs.add(runSeed(seed, x, train.y(), k, test.y(), run));
        }
        KMeansLabelsReport report = new KMeansLabelsReport(this, run, runs, x, train.y());
        report.figures();
        double total = (System.nanoTime() - start) / 1e9;
        report.printAndWrite(total);
        inspections.write(run, out);
        out.printf("total time: %.1f s (%.1f min)%n", total, total / 60);
        out.println("results: " + run.dir());
        return 0;
    }

    /** The study for one seed: cluster, label, then both CNNs. */
    private SeedRun runSeed(long seed, Tensor x, int[] y, Tensor k, int[] yTest, RunFolder run) throws Exception {
        long t0 = System.nanoTime();
        out.printf("%n[seed %d] MiniBatchKMeans(n_clusters=%d, batch_size=%d, n_init=%d, max_iter=%d)%n", seed,
                clusters, kmeansBatchSize, kmeansNInit, kmeansMaxIter);

        // In[45]: cluster the training images
        MiniBatchKMeans.Options options = MiniBatchKMeans.Options.defaults(clusters).withBatchSize(kmeansBatchSize)
                .withNInit(kmeansNInit).withMaxIter(kmeansMaxIter).withSeed(seed);
        MiniBatchKMeans.Result kmeans = MiniBatchKMeans.fit(x, options);
        double kmeansSeconds = (System.nanoTime() - t0) / 1e9;

        // In[46]: the training image closest to each centre names the cluster; the majority label for comparison
        int[] closest = NearestNeighbors.argminMin(kmeans.clusterCenters(), x).argmin();
        int[] assigned = kmeans.labels(); // the seed's kmeans.predict(X): fit's labels are exactly that
        int[] closestLabel = ClusterLabels.fromRepresentatives(closest, y);
        int[] majorityLabel = ClusterLabels.majority(assigned, y, clusters, CLASSES);
        int[] dirty = new int[assigned.length];
        for (int i = 0; i < dirty.length; i++) {
            dirty[i] = closestLabel[assigned[i]];
        }

        // In[47]: test accuracy of "cluster → label"
        int[] testClusters = kmeans.predict(k);
        double accClosest = ClusterLabels.accuracy(testClusters, closestLabel, yTest);
        double accMajority = ClusterLabels.accuracy(testClusters, majorityLabel, yTest);
        double dirtyAccuracy = ClusterLabels.accuracy(assigned, closestLabel, y);
        out.printf("[seed %d] %.1f s, %d steps, inertia %.4g; test accuracy by closest-image labels %.4f (seed "
                        + "notebook %.4f), by majority labels %.4f (%.4f); the dirty training labels are %.1f %% right%n",
                seed, kmeansSeconds, kmeans.nSteps(), kmeans.inertia(), accClosest, SEED_CLOSEST, accMajority,
                SEED_MAJORITY, 100 * dirtyAccuracy);

        // In[48-50] (a): the CNN on every training image with its cluster's label, best-validation checkpoint
        Tensor images = x.reshape(x.dim(0), 28, 28, 1);
        Tensor testImages = k.reshape(k.dim(0), 28, 28, 1);
        Sequential dirtyModel = compiled(seed);
        if (seed == runSeeds()[0]) {
            out.print(dirtyModel.summary());
        }
        Path checkpoint = run.file("dirty-best-seed" + seed + ".weights");
        ModelCheckpoint best = new ModelCheckpoint(checkpoint, "val_accuracy", "max", true, true);
        FitOptions fit = FitOptions.defaults().withEpochs(dirtyEpochs).withBatchSize(32)
                .withCallbacks(common.callbacks("(a) cluster labels, seed " + seed, seed == runSeeds()[0], best));
        fit = seedTestSelection ? fit.withValidation(testImages, labels(yTest)) : fit.withValidationSplit(validationSplit);
        out.printf("%n[seed %d] (a) CNN on the %,d training images with the cluster labels, %d epochs, checkpoint "
                        + "on the best val_accuracy (%s)%n", seed, x.dim(0), dirtyEpochs,
                seedTestSelection ? "the test set, as the seed" : "the last " + (int) Math.round(validationSplit * 100)
                        + " % of them, held out, with their cluster labels");
        History dirtyHistory = dirtyModel.fit(images, labels(dirty), fit);
        inspections.add("cluster-labels cnn", dirtyHistory);
        if (dirtyHistory.profile() != null) {
            out.print(dirtyHistory.profile().table());
        }
        dirtyModel.loadWeights(checkpoint);
        Sequential.Evaluation dirtyTest = dirtyModel.evaluate(testImages, labels(yTest));
        out.printf("[seed %d] (a) best epoch %d; test loss %.4f, accuracy %.4f (seed notebook %.4f)%n", seed,
                best.bestEpoch(), dirtyTest.loss(), dirtyTest.accuracy(), SEED_DIRTY_CNN);

        // In[10-13] (b): the CNN on only the 120 closest images, with their true labels
        Sequential fewModel = compiled(seed);
        Tensor few = images.gather(closest);
        int[] fewLabels = new int[closest.length];
        for (int c = 0; c < closest.length; c++) {
            fewLabels[c] = y[closest[c]];
        }
        out.printf("%n[seed %d] (b) CNN on the %d closest images with their true labels, %d epochs (test set scored "
                + "every %d)%n", seed, closest.length, fewEpochs, fewValidationFreq);
        History fewHistory = fewModel.fit(few, labels(fewLabels), FitOptions.defaults().withEpochs(fewEpochs)
                .withBatchSize(32).withValidation(testImages, labels(yTest)).withValidationFreq(fewValidationFreq)
                .withCallbacks(common.inspection("(b) closest " + closest.length + ", seed " + seed,
                        seed == runSeeds()[0])));
        inspections.add("closest-120 cnn", fewHistory);
        Sequential.Evaluation fewTest = fewModel.evaluate(testImages, labels(yTest));
        out.printf("[seed %d] (b) test loss %.4f, accuracy %.4f (seed notebook %.4f)%n", seed, fewTest.loss(),
                fewTest.accuracy(), SEED_FEW_CNN);
        return new SeedRun(seed, kmeans, kmeansSeconds, closest, closestLabel, majorityLabel, accClosest, accMajority,
                dirtyAccuracy, dirtyHistory, best.bestEpoch(), dirtyTest, fewHistory, fewTest,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Seed 001's CNN with Adam and the loss: on probabilities (default) or, as the seed, "from logits". */
    private Sequential compiled(long seed) {
        return SeedModels.mnistCnn(seed).compile(new SparseCategoricalCrossentropy(seedLogitsBug), new Adam());
    }

    /** Integer class labels as the (n, 1) tensor the sparse loss takes. */
    private static Tensor labels(int[] y) {
        float[] v = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            v[i] = y[i];
        }
        return new Tensor(v, y.length, 1);
    }

    /** The seed's mistakes as this run treats them. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(seedLogitsBug
                ? "--seed-logits-bug: as the seed, the loss treats the softmax outputs as logits (from_logits=True)"
                : "the seed compiled SparseCategoricalCrossentropy(from_logits=True) for a softmax output, so its "
                + "loss applied softmax twice (Keras warned); here the loss takes the probabilities "
                + "(--seed-logits-bug reproduces the seed)");
        notes.add(seedTestSelection
                ? "--seed-test-selection: as the seed, (a) keeps the epoch with the best test accuracy, so the test "
                + "set chose the model that is then scored on it"
                : "the seed's (a) validated on the test set and kept its best epoch, so the test set chose the "
                + "model; here the checkpoint watches held-out training images with their cluster labels "
                + "(--seed-test-selection reproduces the seed)");
        return notes;
    }

    long[] runSeeds() {
        return seedsOption.runSeeds(common);
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        seedsOption.check(spec, problems);
        if (clusters < CLASSES) {
            problems.add("--clusters must be >= " + CLASSES + " (one per digit at least), got " + clusters);
        }
        if (kmeansBatchSize < 1 || kmeansNInit < 1 || kmeansMaxIter < 1) {
            problems.add("--kmeans-batch-size, --kmeans-n-init and --kmeans-max-iter must be >= 1, got "
                    + kmeansBatchSize + ", " + kmeansNInit + ", " + kmeansMaxIter);
        }
        if (dirtyEpochs < 1 || fewEpochs < 1 || fewValidationFreq < 1) {
            problems.add("--dirty-epochs, --few-epochs and --few-validation-freq must be >= 1, got " + dirtyEpochs
                    + ", " + fewEpochs + ", " + fewValidationFreq);
        }
        if (!(validationSplit > 0 && validationSplit < 1)) {
            problems.add("--validation-split must lie in (0, 1), got " + validationSplit);
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }
}
