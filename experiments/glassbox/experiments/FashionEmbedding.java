package glassbox.experiments;

import glassbox.cluster.Dbscan;
import glassbox.cluster.KMeans;
import glassbox.data.Dataset;
import glassbox.data.TrainTest;
import glassbox.data.Transforms;
import glassbox.decomposition.Pca;
import glassbox.manifold.Tsne;
import glassbox.metrics.AdjustedRandIndex;
import glassbox.neighbors.NearestNeighbors;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.CategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.preprocessing.StandardScaler;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Section 2.5 of seed notebook {@code 002_ade91a2f1439f055}, "Using Your Own Encoding": the custom CNN of
 * {@link FashionTwistExperiment} as a feature extractor, and what unsupervised methods make of its features.
 *
 * <pre>
 *   features   the Flatten output (2,304 values) of the trained custom network for the 10,000 test images
 *              (In[24]: intermediateOutputs[-2]), standardised (StandardScaler)
 *   In[27-29]  PCA to 2 components, scatter coloured by the twist label
 *   In[30]     15-nearest-neighbour distances, sorted: the plot the seed chose eps from
 *   In[31-32]  DBSCAN(eps=45, min_samples=15): seed 4 clusters (8218, 57, 58, 12) + 1,655 noise points
 *   In[33-34]  KMeans(n_clusters=5): seed sizes 4023, 1984, 1635, 1392, 966
 *   In[35-38]  t-SNE to 2-D, coloured by label (added: by DBSCAN and by k-means clusters too)
 *   (added)    ten random test images per k-means cluster; adjusted Rand index of both clusterings
 * </pre>
 *
 * <p>The model: {@code --model FILE}, else the newest {@code custom-model.gbx} under
 * {@code <runs>/fashion-twist/}; when there is none the custom network is trained here first (15 epochs,
 * validation split 0.2, as {@code fashion-twist}), and the run says so.
 *
 * <p><b>The seed's slips</b> (printed, kept in {@code results.json}): its text calls the features "the Fully
 * Connected Dense Layer output", but {@code intermediateOutputs[-2]} is the Flatten layer (2,304 values, as
 * its own shape shows) — we take the Flatten output, as its code does. Its eps plot sorts the distance
 * matrix column by column and draws column 1, each point's nearest <em>other</em> point, not the
 * 15th-neighbour distance that DBSCAN's {@code min_samples=15} is about: {@code knn_distance.png} draws both.
 */
@Command(name = "fashion-embedding", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Seed 002, section 2.5: the custom CNN's Flatten features of the test images, standardised; PCA, "
                + "the k-distance plot, DBSCAN(45, 15), KMeans(5) and t-SNE, each drawn coloured by label and cluster.")
public final class FashionEmbedding implements Callable<Integer> {
    static final String NAME = "fashion-embedding";
    /** The seed's DBSCAN cluster sizes (In[32]) and noise count, and its KMeans sizes (In[33]), largest first. */
    static final int[] SEED_DBSCAN_SIZES = {8218, 58, 57, 12};
    static final int SEED_DBSCAN_NOISE = 1655;
    static final int[] SEED_KMEANS_SIZES = {4023, 1984, 1635, 1392, 966};

    @Mixin
    CommonOptions common;

    @Option(names = "--model", paramLabel = "FILE", description = "the trained custom network (a .gbx model file); "
            + "default: the newest custom-model.gbx under <runs>/fashion-twist/")
    Path model;

    @Option(names = "--csv-dir", paramLabel = "DIR", description = "read the seed's CSVs instead of relabelling "
            + "Fashion-MNIST (as fashion-twist)")
    Path csvDir;

    @Option(names = "--eps", description = "DBSCAN eps; default ${DEFAULT-VALUE} (the seed's)")
    double eps = 45;

    @Option(names = "--min-samples", description = "DBSCAN min_samples, and the k of the k-distance plot; default "
            + "${DEFAULT-VALUE} (the seed's)")
    int minSamples = 15;

    @Option(names = "--clusters", description = "KMeans n_clusters; default ${DEFAULT-VALUE} (the seed's)")
    int clusters = 5;

    @Option(names = "--perplexity", description = "t-SNE perplexity; default ${DEFAULT-VALUE} (scikit-learn's)")
    double perplexity = 30;

    @Option(names = "--train-epochs", description = "epochs when the custom network must be trained here; default "
            + "${DEFAULT-VALUE} (fashion-twist's)")
    int trainEpochs = 15;

    @Spec
    CommandSpec spec;

    final PrintStream out = System.out;
    /** The custom network's fit, when it is trained here and {@code --inspect} is on. */
    private final Inspections inspections = new Inspections();
    final List<String> runNotes = new ArrayList<>();

    /** Everything the report needs. */
    record Embedding(Path modelFile, boolean trainedHere, int[] labels, Tensor images, Tensor scaled, Pca.Result pca,
                     Tensor pcaPoints, float[] nearestOther, float[] kthNeighbour, Dbscan.Result dbscan,
                     KMeans.Result kmeans, double dbscanAri, double kmeansAri, Tsne.Result tsne, double[] seconds) {
    }

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        validate();
        out.println("glassbox " + NAME + " — seed 002, section 2.5; BLAS: " + Blas.describe());
        TrainTest data = FashionTwist.load(common.home(), csvDir);
        Dataset test = data.test();
        if (common.quick) {
            test = test.slice(0, Math.min(1000, test.size()));
            trainEpochs = 1;
            out.println("--quick: the first " + test.size() + " test images (and, if the network must be trained, "
                    + "1 epoch on 2,000 images)");
        }
        RunFolder run = common.startRun(NAME);
        Tensor images = Transforms.divide(test.x(), 255.0).reshape(test.size(), 28, 28, 1);
        double[] seconds = new double[6];

        // In[23-24]: the trained custom network, its Flatten features, standardised
        Path file = model != null ? model : newestSavedModel();
        boolean trainedHere = file == null;
        Sequential network = trainedHere ? trainCustomModel(data, run) : ModelFiles.load(file, common.seed);
        if (trainedHere) {
            file = run.file(FashionTwistExperiment.CUSTOM_MODEL_FILE);
        }
        out.println("custom network: " + file);
        long t = System.nanoTime();
        Tensor features = network.layerOutput(flattenLayer(network, file), images, 256);
        features = features.reshape(features.dim(0), features.size() / features.dim(0));
        Tensor scaled = StandardScaler.fit(features).transform(features);
        out.printf("features: %d × %d (the Flatten output), standardised%n", scaled.dim(0), scaled.dim(1));

        // In[27-29]: PCA to 2 components
        t = System.nanoTime();
        Pca.Result pca = Pca.fit(scaled, Pca.Options.defaults(2).withSeed(common.seed));
        Tensor pcaPoints = pca.transform(scaled);
        seconds[0] = lap(t);
        out.printf("PCA: explained variance ratio %.4f + %.4f (%.2f s)%n", pca.explainedVarianceRatio()[0],
                pca.explainedVarianceRatio()[1], seconds[0]);

        // In[30]: distances to the 15 nearest neighbours (the point itself first), each column sorted
        t = System.nanoTime();
        int k = Math.min(minSamples, scaled.dim(0));
        NearestNeighbors.Result knn = NearestNeighbors.kneighbors(scaled, scaled, k);
        float[] nearestOther = sortedColumn(knn, Math.min(1, k - 1));
        float[] kth = sortedColumn(knn, k - 1);
        seconds[1] = lap(t);

        // In[31-32]: DBSCAN
        t = System.nanoTime();
        Dbscan.Result dbscan = Dbscan.fit(scaled, Dbscan.Options.defaults().withEps(eps).withMinSamples(minSamples));
        seconds[2] = lap(t);

        // In[33]: KMeans with 5 clusters (scikit-learn 1.2's defaults: k-means++, n_init 10)
        t = System.nanoTime();
        KMeans.Result kmeans = KMeans.fit(scaled, KMeans.Options.defaults(clusters).withSeed(common.seed));
        seconds[3] = lap(t);
        double dbscanAri = AdjustedRandIndex.score(test.y(), dbscan.labels());
        double kmeansAri = AdjustedRandIndex.score(test.y(), kmeans.labels());

        // In[35]: t-SNE to 2-D
        t = System.nanoTime();
        out.printf("t-SNE of %,d points × %d features (perplexity %.0f, Barnes-Hut, 1000 iterations)%n", scaled.dim(0),
                scaled.dim(1), perplexity);
        Tsne.Result tsne = Tsne.fit(scaled, Tsne.Options.defaults().withPerplexity(perplexity).withSeed(common.seed),
                (iteration, kl, elapsed) -> out.printf("  iteration %4d  KL %.4f  %.1f s%n", iteration, kl, elapsed));
        seconds[4] = lap(t);
        seconds[5] = lap(start);

        Embedding e = new Embedding(file, trainedHere, test.y(), images, scaled, pca, pcaPoints, nearestOther, kth,
                dbscan, kmeans, dbscanAri, kmeansAri, tsne, seconds);
        FashionEmbeddingReport report = new FashionEmbeddingReport(this, run, e);
        report.figures();
        report.printAndWrite();
        inspections.write(run, out);
        if (common.inspect && !trainedHere) {
            out.println("--inspect: nothing to inspect, the network was loaded from " + file + ", not trained here");
        }
        out.printf("total time: %.1f s%n", lap(start));
        out.println("results: " + run.dir());
        return 0;
    }

    /** The newest {@code fashion-twist/<stamp>/custom-model.gbx} under the runs folder, or null. */
    private Path newestSavedModel() throws IOException {
        return new RunReader(common.runsDir()).newestFile(FashionTwistExperiment.NAME,
                FashionTwistExperiment.CUSTOM_MODEL_FILE).orElse(null);
    }

    /** No saved network: train the custom one as fashion-twist does (its first seed) and save it here. */
    private Sequential trainCustomModel(TrainTest data, RunFolder run) throws IOException {
        Dataset train = common.quick ? data.train().slice(0, Math.min(2000, data.train().size())) : data.train();
        String note = "no custom-model.gbx found under " + common.runsDir().resolve(FashionTwistExperiment.NAME)
                + " (and no --model): training the custom network here, " + trainEpochs + " epoch"
                + (trainEpochs == 1 ? "" : "s") + " on " + train.size() + " images (`./glassbox run fashion-twist "
                + "--models custom --seeds " + common.seed + "` makes one once for later runs)";
        out.println("note: " + note);
        runNotes.add(note);
        Sequential network = SeedModels.fashionCustom(common.seed).compile(new CategoricalCrossentropy(), new Adam());
        Tensor x = Transforms.divide(train.x(), 255.0).reshape(train.size(), 28, 28, 1);
        History history = network.fit(x, Transforms.oneHot(train.y(), FashionTwist.NUM_CLASSES), FitOptions.defaults()
                .withEpochs(trainEpochs).withBatchSize(128).withValidationSplit(0.2)
                .withCallbacks(common.inspection("custom, seed " + common.seed, true)));
        inspections.add("custom", history);
        ModelFiles.save(network, run.file(FashionTwistExperiment.CUSTOM_MODEL_FILE));
        return network;
    }

    /** The name of the network's (last) Flatten layer; an error naming the file when it has none. */
    private static String flattenLayer(Sequential network, Path file) {
        String name = null;
        for (Layer layer : network.layers()) {
            if (layer instanceof Flatten) {
                name = layer.name();
            }
        }
        if (name == null) {
            throw new IllegalArgumentException(file + " holds a network without a Flatten layer; expected seed 002's "
                    + "custom network (fashion-twist's custom-model.gbx)");
        }
        return name;
    }

    /** Column {@code j} of the neighbour-distance matrix, sorted ascending (NumPy's {@code np.sort(d, axis=0)[:, j]}). */
    private static float[] sortedColumn(NearestNeighbors.Result knn, int j) {
        int n = knn.indices().length / knn.k();
        float[] column = new float[n];
        for (int i = 0; i < n; i++) {
            column[i] = knn.distance(i, j);
        }
        java.util.Arrays.sort(column);
        return column;
    }

    private static double lap(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private void validate() {
        List<String> problems = new ArrayList<>();
        if (!(eps > 0)) {
            problems.add("--eps must be > 0, got " + eps);
        }
        if (minSamples < 2) {
            problems.add("--min-samples must be >= 2, got " + minSamples);
        }
        if (clusters < 2) {
            problems.add("--clusters must be >= 2, got " + clusters);
        }
        if (!(perplexity > 0)) {
            problems.add("--perplexity must be > 0, got " + perplexity);
        }
        if (trainEpochs < 1) {
            problems.add("--train-epochs must be >= 1, got " + trainEpochs);
        }
        if (model != null && !Files.isRegularFile(model)) {
            problems.add("--model: no file " + model);
        }
        if (!problems.isEmpty()) {
            throw new ParameterException(spec.commandLine(), String.join("; ", problems));
        }
    }
}
