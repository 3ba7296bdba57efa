package glassbox.experiments;

import glassbox.experiments.FashionEmbedding.Embedding;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;
import glassbox.plot.LineChart.Style;
import glassbox.plot.ScatterPlot;
import glassbox.tensor.Tensor;
import glassbox.util.Csv;
import glassbox.util.Json;
import glassbox.util.Rng;
import glassbox.util.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link FashionEmbedding} prints and saves: cluster sizes beside the seed's, adjusted Rand indices,
 * timings; {@code results.json}, {@code results.csv}, {@code config.json}; and the figures:
 *
 * <pre>
 *   pca_labels.png, pca_dbscan.png, pca_kmeans.png      In[29], In[32], In[34]: the PCA plane by label / cluster
 *   knn_distance.png                                    In[30]: sorted neighbour distances, eps marked
 *   tsne_labels.png, tsne_dbscan.png, tsne_kmeans.png   In[38] and (added) the clusterings on the t-SNE map
 *   kmeans_samples.png                                  (added) ten random test images per k-means cluster
 * </pre>
 */
final class FashionEmbeddingReport {
    private static final String[] PHASES = {"PCA", "k-NN distances", "DBSCAN", "KMeans", "t-SNE", "whole run"};
    private static final int SAMPLES_PER_CLUSTER = 10;
    private static final int CURVE_POINTS = 1000;

    private final FashionEmbedding experiment;
    private final RunFolder run;
    private final Embedding e;
    private final PrintStream out;

    FashionEmbeddingReport(FashionEmbedding experiment, RunFolder run, Embedding e) {
        this.experiment = experiment;
        this.run = run;
        this.e = e;
        this.out = experiment.out;
    }

    void figures() throws IOException {
        String[] classes = FashionTwist.CLASS_NAMES.toArray(String[]::new);
        String[] dbscanNames = clusterNames(e.dbscan().nClusters(), true);
        String[] kmeansNames = clusterNames(e.kmeans().clusterCenters().dim(0), false);
        int[] dbscanShifted = Arrays.stream(e.dbscan().labels()).map(l -> l + 1).toArray(); // noise −1 → name 0
        scatter("pca_labels.png", "PCA of the custom network's features, by label", e.pcaPoints(), e.labels(), classes,
                "principal component");
        scatter("pca_dbscan.png", "DBSCAN (eps " + experiment.eps + ", min_samples " + experiment.minSamples
                + ") on the PCA plane", e.pcaPoints(), dbscanShifted, dbscanNames, "principal component");
        scatter("pca_kmeans.png", "KMeans (" + experiment.clusters + " clusters) on the PCA plane", e.pcaPoints(),
                e.kmeans().labels(), kmeansNames, "principal component");
        Tensor map = e.tsne().embedding();
        scatter("tsne_labels.png", "t-SNE of the custom network's features, by label", map, e.labels(), classes,
                "t-SNE");
        scatter("tsne_dbscan.png", "DBSCAN clusters on the t-SNE map", map, dbscanShifted, dbscanNames, "t-SNE");
        scatter("tsne_kmeans.png", "KMeans clusters on the t-SNE map", map, e.kmeans().labels(), kmeansNames, "t-SNE");

        int n = e.nearestOther().length;
        int[] at = curvePoints(n);
        double[] rank = new double[at.length];
        double[] nearest = new double[at.length];
        double[] kth = new double[at.length];
        for (int j = 0; j < at.length; j++) {
            rank[j] = at[j];
            nearest[j] = e.nearestOther()[at[j]];
            kth[j] = e.kthNeighbour()[at[j]];
        }
        LineChart knn = new LineChart("Finding eps for DBSCAN: sorted neighbour distances", "points, sorted",
                "distance (standardised features)");
        knn.add("nearest other point (the seed's plot: column 1)", rank, nearest, null, Style.solid(0));
        knn.add(experiment.minSamples + "-th neighbour, the point itself counted (min_samples)", rank, kth, null,
                Style.solid(3));
        knn.add("eps = " + experiment.eps, new double[]{0, n - 1}, new double[]{experiment.eps, experiment.eps}, null,
                Style.dashed(7));
        knn.write(run.file("knn_distance.png"));
        kmeansSamples();
    }

    private void scatter(String file, String title, Tensor points, int[] labels, String[] names, String axis)
            throws IOException {
        int n = points.dim(0);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = points.data()[2 * i];
            y[i] = points.data()[2 * i + 1];
        }
        ScatterPlot.byLabel(title, axis + " 1", axis + " 2", x, y, labels, names).markerSize(3)
                .write(run.file(file), 900, 700);
    }

    /** {@code kmeans_samples.png}: one row per cluster, ten of its test images drawn at random (seeded). */
    private void kmeansSamples() throws IOException {
        int k = e.kmeans().clusterCenters().dim(0);
        Rng rng = new Rng(experiment.common.seed);
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < e.labels().length; i++) {
                if (e.kmeans().labels()[i] == c) {
                    members.add(i);
                }
            }
            int[] order = rng.permutation(members.size());
            for (int j = 0; j < SAMPLES_PER_CLUSTER; j++) {
                if (j < order.length) {
                    int i = members.get(order[j]);
                    images.add(Arrays.copyOfRange(e.images().data(), i * 784, (i + 1) * 784));
                    captions.add("c" + c + ": " + e.labels()[i]);
                } else {
                    images.add(new float[784]);
                    captions.add("");
                }
            }
        }
        ImageGrid.write(run.file("kmeans_samples.png"), images.toArray(float[][]::new), 28, 28, SAMPLES_PER_CLUSTER,
                captions.toArray(String[]::new), 2);
    }

    void printAndWrite() throws IOException {
        List<String> notes = new ArrayList<>(experiment.runNotes);
        notes.add("the seed's text calls the features \"the Fully Connected Dense Layer output\", but its "
                + "intermediateOutputs[-2] is the Flatten layer (2,304 values, the shape it printed): we use the Flatten "
                + "output, as its code does");
        notes.add("the seed's eps plot sorts each column of the 15-NN distance matrix and draws column 1 — each "
                + "point's nearest other point — not the 15-th neighbour distance that min_samples=15 is about; "
                + "knn_distance.png draws both");
        out.println();
        int[] dbSizes = e.dbscan().clusterSizes();
        int[] dbSorted = Arrays.stream(dbSizes).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        Table db = new Table("DBSCAN(eps=" + experiment.eps + ", min_samples=" + experiment.minSamples + ") on "
                + e.scaled().dim(0) + " points: cluster sizes, largest first", "", "glassbox", "seed notebook");
        db.addRow("clusters", e.dbscan().nClusters(), FashionEmbedding.SEED_DBSCAN_SIZES.length);
        db.addRow("noise points", e.dbscan().nNoise(), FashionEmbedding.SEED_DBSCAN_NOISE);
        for (int i = 0; i < Math.max(dbSorted.length, FashionEmbedding.SEED_DBSCAN_SIZES.length); i++) {
            db.addRow("cluster " + (i + 1), i < dbSorted.length ? dbSorted[i] : null,
                    i < FashionEmbedding.SEED_DBSCAN_SIZES.length ? FashionEmbedding.SEED_DBSCAN_SIZES[i] : null);
        }
        db.addRow("adjusted Rand index vs labels", e.dbscanAri(), null);
        db.print(out);
        int[] kmSizes = new int[e.kmeans().clusterCenters().dim(0)];
        for (int l : e.kmeans().labels()) {
            kmSizes[l]++;
        }
        int[] kmSorted = Arrays.stream(kmSizes).boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
        Table km = new Table("KMeans(n_clusters=" + experiment.clusters + "): cluster sizes, largest first", "",
                "glassbox", "seed notebook");
        for (int i = 0; i < kmSorted.length; i++) {
            km.addRow("cluster " + (i + 1), kmSorted[i],
                    i < FashionEmbedding.SEED_KMEANS_SIZES.length ? FashionEmbedding.SEED_KMEANS_SIZES[i] : null);
        }
        km.addRow("inertia", e.kmeans().inertia(), null);
        km.addRow("adjusted Rand index vs labels", e.kmeansAri(), null);
        km.print(out);
        Table time = new Table("seconds per phase", "phase", "seconds");
        for (int i = 0; i < PHASES.length; i++) {
            time.addRow(PHASES[i], e.seconds()[i]);
        }
        time.print(out);
        out.printf("t-SNE: KL divergence %.4f after %d iterations%n", e.tsne().klDivergence(), e.tsne().nIter());
        for (String note : notes) {
            out.println("note: " + note);
        }

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", FashionEmbedding.NAME);
        results.put("seed_notebook", "002_ade91a2f1439f055 (section 2.5)");
        results.put("model", e.modelFile().toString());
        results.put("model_trained_here", e.trainedHere());
        results.put("points", e.scaled().dim(0));
        results.put("features", e.scaled().dim(1));
        results.put("pca_explained_variance_ratio", e.pca().explainedVarianceRatio());
        results.put("dbscan", Map.of("clusters", e.dbscan().nClusters(), "noise", e.dbscan().nNoise(),
                "sizes", dbSizes, "ari", e.dbscanAri(), "seed_sizes", FashionEmbedding.SEED_DBSCAN_SIZES,
                "seed_noise", FashionEmbedding.SEED_DBSCAN_NOISE));
        results.put("kmeans", Map.of("sizes", kmSizes, "inertia", e.kmeans().inertia(), "ari", e.kmeansAri(),
                "seed_sizes", FashionEmbedding.SEED_KMEANS_SIZES));
        results.put("tsne", Map.of("kl_divergence", e.tsne().klDivergence(), "n_iter", e.tsne().nIter(),
                "kl_history", e.tsne().klHistory()));
        Map<String, Object> seconds = new LinkedHashMap<>();
        for (int i = 0; i < PHASES.length; i++) {
            seconds.put(PHASES[i], e.seconds()[i]);
        }
        results.put("seconds", seconds);
        results.put("notes", notes);
        results.put("class_names", FashionTwist.CLASS_NAMES);
        results.put("headline", List.of(
                new RunFolder.Headline("DBSCAN clusters", e.dbscan().nClusters(),
                        (double) FashionEmbedding.SEED_DBSCAN_SIZES.length),
                new RunFolder.Headline("DBSCAN noise points", e.dbscan().nNoise(), (double) FashionEmbedding.SEED_DBSCAN_NOISE),
                new RunFolder.Headline("KMeans adjusted Rand index vs labels", e.kmeansAri(), null)));
        Json.write(run.file("results.json"), results);
        Map<String, Tensor> methods = new LinkedHashMap<>();
        methods.put("pca", e.pcaPoints());
        methods.put("tsne", e.tsne().embedding());
        Map<String, int[]> colourings = new LinkedHashMap<>();
        colourings.put("label", e.labels());
        colourings.put("dbscan", e.dbscan().labels());
        colourings.put("kmeans", e.kmeans().labels());
        run.writeEmbedding("test", java.util.stream.IntStream.range(0, e.labels().length).toArray(), methods,
                colourings);
        List<List<?>> rows = new ArrayList<>();
        for (int c = 0; c < dbSizes.length; c++) {
            rows.add(List.of("dbscan", c, dbSizes[c]));
        }
        rows.add(List.of("dbscan", -1, e.dbscan().nNoise()));
        for (int c = 0; c < kmSizes.length; c++) {
            rows.add(List.of("kmeans", c, kmSizes[c]));
        }
        Csv.write(run.file("results.csv"), List.of("method", "cluster", "size"), rows);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", experiment.common.seed);
        settings.put("quick", experiment.common.quick);
        settings.put("eps", experiment.eps);
        settings.put("min_samples", experiment.minSamples);
        settings.put("clusters", experiment.clusters);
        settings.put("perplexity", experiment.perplexity);
        settings.put("model", e.modelFile().toString());
        run.writeConfig(FashionEmbedding.NAME, settings,
                experiment.spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }

    /**
     * At most {@value #CURVE_POINTS} evenly spaced indices of a sorted curve of {@code n} values, the first and
     * last included: the curves are monotone, so this draws the same line (and XChart's ticks stay legible).
     */
    private static int[] curvePoints(int n) {
        int m = Math.min(n, CURVE_POINTS);
        int[] at = new int[m];
        for (int j = 0; j < m; j++) {
            at[j] = m == 1 ? 0 : (int) Math.round((double) j * (n - 1) / (m - 1));
        }
        return at;
    }

    private static String[] clusterNames(int clusters, boolean noiseFirst) {
        List<String> names = new ArrayList<>();
        if (noiseFirst) {
            names.add("noise");
        }
        for (int c = 0; c < clusters; c++) {
            names.add("cluster " + c);
        }
        return names.toArray(String[]::new);
    }
}
