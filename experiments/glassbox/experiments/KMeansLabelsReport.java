package glassbox.experiments;

import glassbox.experiments.KMeansLabels.SeedRun;
import glassbox.decomposition.Pca;
import glassbox.nn.History;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;
import glassbox.plot.LineChart.Style;
import glassbox.tensor.Tensor;
import glassbox.util.Csv;
import glassbox.util.Json;
import glassbox.util.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link KMeansLabels} prints and saves: the results table (each seed, mean ± std, the seed notebook's
 * figures), {@code results.json}, {@code results.csv}, {@code config.json}, and the figures:
 *
 * <pre>
 *   centres.png        the first seed's 120 cluster centres, each captioned with the label of its closest
 *                      training image (and the majority label after a slash where the two differ)
 *   closest.png        the 120 training images closest to the centres: the only labels looked up
 *   dirty_loss.png, dirty_accuracy.png   (a) train and validation curves, the first seed's
 *   few_loss.png, few_accuracy.png       (b) train curves and the test set every --few-validation-freq epochs
 * </pre>
 */
final class KMeansLabelsReport {
    private static final int BLUE = 0;
    private static final int RED = 3;
    private static final int GRID_COLUMNS = 12;

    private final KMeansLabels experiment;
    private final RunFolder run;
    private final List<SeedRun> runs;
    private final Tensor x;
    private final int[] y;
    private final PrintStream out;

    KMeansLabelsReport(KMeansLabels experiment, RunFolder run, List<SeedRun> runs, Tensor x, int[] y) {
        this.experiment = experiment;
        this.run = run;
        this.runs = runs;
        this.x = x;
        this.y = y;
        this.out = experiment.out;
    }

    /** The four PNG figures of the first seed. */
    void figures() throws IOException {
        SeedRun first = runs.get(0);
        int k = first.closest().length;
        Tensor centres = first.kmeans().clusterCenters();
        float[][] centreImages = new float[k][];
        float[][] closestImages = new float[k][];
        String[] centreCaptions = new String[k];
        String[] closestCaptions = new String[k];
        for (int c = 0; c < k; c++) {
            centreImages[c] = Arrays.copyOfRange(centres.data(), c * 784, (c + 1) * 784);
            closestImages[c] = Arrays.copyOfRange(x.data(), first.closest()[c] * 784, (first.closest()[c] + 1) * 784);
            int named = first.closestLabel()[c];
            int majority = first.majorityLabel()[c];
            centreCaptions[c] = named == majority ? String.valueOf(named) : named + "/" + majority;
            closestCaptions[c] = String.valueOf(y[first.closest()[c]]);
        }
        ImageGrid.write(run.file("centres.png"), centreImages, 28, 28, GRID_COLUMNS, centreCaptions, 2);
        ImageGrid.write(run.file("closest.png"), closestImages, 28, 28, GRID_COLUMNS, closestCaptions, 2);
        curves("dirty", "(a) all training images, cluster labels", first.dirtyHistory(),
                experiment.seedTestSelection ? "test" : "validation (held-out, cluster labels)");
        curves("few", "(b) the " + k + " closest images, true labels", first.fewHistory(), "test");
        embedding(first);
    }

    /** Training images the board's embedding view shows: the first ones, as many as a scatter plot reads well. */
    static final int EMBEDDING_POINTS = 5000;

    /**
     * {@code embedding.csv}: the first {@link #EMBEDDING_POINTS} training images on their PCA plane, with their
     * true label, their k-means cluster (the first seed's) and the label the cluster's closest image gave them
     * (what the CNN of (a) was trained on).
     */
    private void embedding(SeedRun first) throws IOException {
        int n = Math.min(EMBEDDING_POINTS, x.dim(0));
        Tensor images = x.slice(0, n);
        Tensor plane = Pca.fit(images, Pca.Options.defaults(2).withSeed(first.seed())).transform(images);
        int[] index = new int[n];
        int[] cluster = new int[n];
        int[] dirty = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
            cluster[i] = first.kmeans().labels()[i];
            dirty[i] = first.closestLabel()[cluster[i]];
        }
        Map<String, int[]> colourings = new LinkedHashMap<>();
        colourings.put("label", Arrays.copyOf(y, n));
        colourings.put("kmeans", cluster);
        colourings.put("cluster_label", dirty);
        run.writeEmbedding("train", index, Map.of("pca", plane), colourings);
    }

    /**
     * {@code <name>_loss.png} and {@code <name>_accuracy.png}: train (blue) per epoch and the data fit scored as
     * "validation" (red, named {@code scored}) where it was measured.
     */
    private void curves(String name, String title, History history, String scored) throws IOException {
        for (String metric : List.of("loss", "accuracy")) {
            LineChart chart = new LineChart(title + ", seed " + runs.get(0).seed(), "epoch", metric);
            chart.add("train " + metric, epochs(history, metric), measured(history, metric), null,
                    Style.solid(BLUE));
            if (history.keys().contains("val_" + metric)) {
                chart.add(scored + " " + metric, epochs(history, "val_" + metric), measured(history, "val_" + metric),
                        null, Style.solid(RED));
            }
            chart.write(run.file(name + "_" + metric + ".png"));
        }
    }

    /** The epochs (1-based) at which {@code key} was measured. */
    private static double[] epochs(History h, String key) {
        double[] v = h.get(key);
        List<Double> e = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                e.add(i + 1.0);
            }
        }
        return e.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] measured(History h, String key) {
        return Arrays.stream(h.get(key)).filter(v -> !Double.isNaN(v)).toArray();
    }

    /** The results table, printed; results.json, results.csv and config.json written. */
    void printAndWrite(double totalSeconds) throws IOException {
        out.println();
        Table table = new Table("test accuracy (" + runs.size() + " seed" + (runs.size() == 1 ? "" : "s")
                + "; seed notebook: one run)", "", "seed notebook", "glassbox mean", "std",
                "per seed");
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(SeedSummary.row(table, "k-means, cluster → label of the closest image", KMeansLabels.SEED_CLOSEST,
                runs, SeedRun::accuracyClosest));
        rows.add(SeedSummary.row(table, "k-means, cluster → majority label (all labels)", KMeansLabels.SEED_MAJORITY,
                runs, SeedRun::accuracyMajority));
        rows.add(SeedSummary.row(table, "(a) CNN on all images, cluster labels", KMeansLabels.SEED_DIRTY_CNN,
                runs, r -> r.dirtyTest().accuracy()));
        rows.add(SeedSummary.row(table, "(b) CNN on the closest images, true labels", KMeansLabels.SEED_FEW_CNN,
                runs, r -> r.fewTest().accuracy()));
        table.print(out);
        for (String note : experiment.notes()) {
            out.println("note: " + note);
        }

        List<List<?>> csv = new ArrayList<>();
        List<Map<String, Object>> perSeed = new ArrayList<>();
        for (SeedRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", r.seed());
            m.put("kmeans_seconds", r.kmeansSeconds());
            m.put("kmeans_inertia", r.kmeans().inertia());
            m.put("kmeans_steps", r.kmeans().nSteps());
            m.put("test_accuracy_closest", r.accuracyClosest());
            m.put("test_accuracy_majority", r.accuracyMajority());
            m.put("dirty_label_accuracy_on_train", r.dirtyLabelAccuracy());
            m.put("closest_indices", r.closest());
            m.put("cluster_label_closest", r.closestLabel());
            m.put("cluster_label_majority", r.majorityLabel());
            m.put("dirty_best_epoch", r.dirtyBestEpoch());
            m.put("dirty_test_loss", r.dirtyTest().loss());
            m.put("dirty_test_accuracy", r.dirtyTest().accuracy());
            m.put("few_test_loss", r.fewTest().loss());
            m.put("few_test_accuracy", r.fewTest().accuracy());
            m.put("dirty_history", r.dirtyHistory().records());
            m.put("few_history", r.fewHistory().records());
            m.put("seconds", r.seconds());
            perSeed.add(m);
            csv.add(Arrays.asList(r.seed(), r.kmeans().inertia(), r.accuracyClosest(), r.accuracyMajority(),
                    r.dirtyLabelAccuracy(), r.dirtyBestEpoch(), r.dirtyTest().accuracy(), r.fewTest().accuracy(),
                    r.seconds()));
        }
        csv.add(Arrays.asList("seed notebook", null, KMeansLabels.SEED_CLOSEST, KMeansLabels.SEED_MAJORITY, null, null,
                KMeansLabels.SEED_DIRTY_CNN, KMeansLabels.SEED_FEW_CNN, null));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", KMeansLabels.NAME);
        results.put("seed_notebook", "001_0b3e6c3010c08abe");
        results.put("headline", SeedSummary.headline(rows, 4));
        results.put("summary", rows);
        results.put("seeds", perSeed);
        results.put("notes", experiment.notes());
        results.put("total_seconds", totalSeconds);
        Json.write(run.file("results.json"), results);
        Csv.write(run.file("results.csv"), List.of("seed", "kmeans_inertia", "test_accuracy_closest",
                "test_accuracy_majority", "dirty_label_accuracy_on_train", "dirty_best_epoch", "dirty_test_accuracy",
                "few_test_accuracy", "seconds"), csv);
        run.writeConfig(KMeansLabels.NAME, settings(),
                experiment.spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seeds", runs.stream().mapToLong(SeedRun::seed).toArray());
        s.put("quick", experiment.common.quick);
        s.put("clusters", experiment.clusters);
        s.put("kmeans_batch_size", experiment.kmeansBatchSize);
        s.put("kmeans_n_init", experiment.kmeansNInit);
        s.put("kmeans_max_iter", experiment.kmeansMaxIter);
        s.put("dirty_epochs", experiment.dirtyEpochs);
        s.put("few_epochs", experiment.fewEpochs);
        s.put("few_validation_freq", experiment.fewValidationFreq);
        s.put("validation_split", experiment.validationSplit);
        s.put("seed_logits_bug", experiment.seedLogitsBug);
        s.put("seed_test_selection", experiment.seedTestSelection);
        s.put("training_images", x.dim(0));
        return s;
    }
}
