package glassbox.experiments;

import glassbox.experiments.DatasetHygiene.SizeRun;
import glassbox.experiments.DatasetHygieneOverlaps.Check;
import glassbox.experiments.DatasetHygieneOverlaps.Shown;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;
import glassbox.plot.LineChart.Style;
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
 * What {@link DatasetHygiene} prints and saves: the overlap table, the accuracy table, {@code results.json},
 * {@code results.csv} (accuracy per training-set size), {@code config.json}, and the figures:
 *
 * <pre>
 *   nn_distance.png       share of images per nearest-neighbour distance bin (/255 images, identical copies left
 *                         out): test → train, validation → train, train → other train; the threshold dashed
 *   exact_pairs.png       exact duplicate pairs side by side, across splits first (drawn when there are any)
 *   near_pairs.png        near duplicate pairs side by side, closest first, with their distance
 *   accuracy_vs_size.png  test accuracy against training-set size (log x): original, sanitised, near-sanitised
 * </pre>
 */
final class DatasetHygieneReport {
    private static final int SIDE = DatasetHygieneData.SIDE;
    private static final int PAIRS_PER_ROW = 3;
    private static final int BINS = 60;

    private final DatasetHygiene experiment;
    private final RunFolder run;
    private final DatasetHygieneData data;
    private final DatasetHygieneOverlaps.Result overlaps;
    private final List<SizeRun> runs;
    private final int epochs;
    private final PrintStream out;

    DatasetHygieneReport(DatasetHygiene experiment, RunFolder run, DatasetHygieneData data,
                         DatasetHygieneOverlaps.Result overlaps, List<SizeRun> runs, int epochs) {
        this.experiment = experiment;
        this.run = run;
        this.data = data;
        this.overlaps = overlaps;
        this.runs = runs;
        this.epochs = epochs;
        this.out = experiment.out;
    }

    void figures() throws IOException {
        distances();
        pairs("exact_pairs.png", overlaps.exactPairs(), false);
        pairs("near_pairs.png", overlaps.nearPairs(), true);
        LineChart chart = new LineChart("logistic regression, " + epochs + " epochs: test accuracy vs training images",
                "training images (log scale)", "accuracy").logX(true);
        double[] n = runs.stream().mapToDouble(SizeRun::samples).toArray();
        chart.add("original test", n, runs.stream().mapToDouble(SizeRun::testAccuracy).toArray(), null, Style.solid(0));
        if (runs.get(0).sanitisedAccuracy() != null) {
            chart.add("sanitised test (no exact copy)", n, runs.stream().mapToDouble(SizeRun::sanitisedAccuracy)
                    .toArray(), null, Style.dashed(3));
        }
        if (runs.get(0).nearSanitisedAccuracy() != null) {
            chart.add("near-sanitised test (no copy within t)", n, runs.stream()
                    .mapToDouble(SizeRun::nearSanitisedAccuracy).toArray(), null, Style.dashed(2));
        }
        chart.write(run.file("accuracy_vs_size.png"));
    }

    /** The nearest-neighbour distance distributions as shares per bin, and the threshold as a dashed line. */
    private void distances() throws IOException {
        double hi = 0;
        for (double[] d : overlaps.distances().values()) {
            hi = Math.max(hi, Arrays.stream(d).max().orElse(0));
        }
        if (hi <= 0) {
            out.println("no non-identical neighbours: nn_distance.png not drawn");
            return;
        }
        LineChart chart = new LineChart(String.format("nearest-neighbour L2 distance (/255 images); near duplicate: "
                + "d ≤ %.3f", overlaps.threshold()), "distance to the nearest non-identical image", "share of images");
        double width = hi / BINS;
        double[] centres = new double[BINS];
        Arrays.setAll(centres, b -> (b + 0.5) * width);
        double top = 0;
        int colour = 0;
        for (Map.Entry<String, double[]> group : overlaps.distances().entrySet()) {
            double[] share = new double[BINS];
            for (double d : group.getValue()) {
                share[Math.min(BINS - 1, (int) (d / width))] += 1.0 / group.getValue().length;
            }
            top = Math.max(top, Arrays.stream(share).max().orElse(0));
            if (group.getValue().length > 0) {
                chart.add(group.getKey(), centres, share, null, Style.solid(colour));
            }
            colour++;
        }
        chart.add("threshold", new double[]{overlaps.threshold(), overlaps.threshold()}, new double[]{0, top}, null,
                Style.dashed(7));
        chart.write(run.file("nn_distance.png"));
    }

    /** Up to --pairs pairs, each image beside its copy, captioned by split and source row. */
    private void pairs(String file, List<Shown> pairs, boolean withDistance) throws IOException {
        if (pairs.isEmpty()) {
            out.println("no " + (withDistance ? "near" : "exact") + " duplicates: " + file + " not drawn");
            return;
        }
        int shown = Math.min(experiment.pairs, pairs.size());
        float[][] images = new float[2 * shown][];
        String[] captions = new String[2 * shown];
        for (int p = 0; p < shown; p++) {
            Shown s = pairs.get(p);
            images[2 * p] = data.image(s.firstSplit(), s.first());
            images[2 * p + 1] = data.image(s.secondSplit(), s.second());
            captions[2 * p] = label(s.firstSplit(), s.first());
            captions[2 * p + 1] = label(s.secondSplit(), s.second())
                    + (withDistance ? String.format(", %.2f", s.distance()) : "");
        }
        ImageGrid.write(run.file(file), images, SIDE, SIDE, 2 * PAIRS_PER_ROW, captions, 4);
    }

    /** "test 17": the split and the image's row in its source file or folder. */
    private String label(String split, int i) {
        return (split.equals("validation") ? "val" : split) + " " + data.sourceRow(split, i);
    }

    void printAndWrite(double totalSeconds) throws IOException {
        out.println();
        Table checks = new Table(String.format("duplicates (%s; near: 0 < L2 distance ≤ %.3f on /255 images)",
                data.source(), overlaps.threshold()), "", "images", "exact copies", "near copies", "seed's check");
        for (Check c : overlaps.checks()) {
            checks.addRow(c.name(), c.samples(), c.exact(), c.near(), c.seedCheck());
        }
        checks.print(out);
        out.println("within a split: exact = images repeating an earlier one, near = distinct images with a near "
                + "copy; across: images of the first split with a copy in the second. seed's check: what "
                + "len(np.where(...)) counts");
        out.printf("sanitised validation: %,d of %,d images; sanitised test: %,d of %,d; near-sanitised test: %,d%s%n",
                overlaps.validationKept().length, data.validation().size(), overlaps.testKept().length,
                data.test().size(), overlaps.testNearKept().length,
                experiment.seedOverlapBug ? " (--seed-overlap-bug: sanitised evaluation skipped)" : "");

        out.println();
        Table accuracy = new Table("logistic regression: accuracy (" + epochs + " epochs, SGD " + experiment.learningRate
                + ", batch " + experiment.batchSize + ")", "training images", "validation", "test", "sanitised test",
                "near-sanitised test", "seconds");
        List<List<?>> csv = new ArrayList<>();
        List<Map<String, Object>> perSize = new ArrayList<>();
        for (SizeRun r : runs) {
            accuracy.addRow(r.samples(), nanToNull(r.validationAccuracy()), r.testAccuracy(), r.sanitisedAccuracy(),
                    r.nearSanitisedAccuracy(), r.seconds());
            csv.add(Arrays.asList(r.samples(), nanToNull(r.validationAccuracy()), r.testAccuracy(),
                    r.sanitisedAccuracy(), r.nearSanitisedAccuracy(), r.history().last().loss(), r.seconds()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("training_images", r.samples());
            m.put("validation_accuracy", r.validationAccuracy());
            m.put("test_accuracy", r.testAccuracy());
            m.put("sanitised_test_accuracy", r.sanitisedAccuracy());
            m.put("near_sanitised_test_accuracy", r.nearSanitisedAccuracy());
            m.put("history", r.history().epochs().stream().map(e -> {
                Map<String, Object> h = new LinkedHashMap<>(e.metrics());
                h.put("epoch", e.epoch());
                return h;
            }).toList());
            m.put("seconds", r.seconds());
            perSize.add(m);
        }
        accuracy.addRow("seed notebook (notMNIST, all 200,000)", null, DatasetHygiene.SEED_ACCURACY, null, null, null);
        accuracy.print(out);
        List<String> notes = experiment.notes(data, overlaps);
        for (String note : notes) {
            out.println("note: " + note);
        }

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", DatasetHygiene.NAME);
        results.put("seed_notebook", "004_6def39fe0a6887a7");
        results.put("source", data.source());
        results.put("train_source", data.trainSource());
        results.put("test_source", data.testSource());
        results.put("skipped_files", data.skipped());
        results.put("near_threshold", overlaps.threshold());
        results.put("near_threshold_reason", overlaps.thresholdReason());
        results.put("checks", overlaps.checks().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("check", c.name());
            m.put("images", c.samples());
            m.put("exact", c.exact());
            m.put("near", c.near());
            m.put("seed_check", c.seedCheck());
            return m;
        }).toList());
        results.put("exact_pairs", pairList(overlaps.exactPairs()));
        results.put("near_pairs", pairList(overlaps.nearPairs()));
        results.put("train_source_rows", data.trainRows());
        results.put("validation_source_rows", data.validationRows());
        results.put("test_source_rows", data.testRows());
        results.put("sanitised_validation_source_rows", sourceRows("validation", overlaps.validationKept()));
        results.put("sanitised_test_source_rows", sourceRows("test", overlaps.testKept()));
        results.put("near_sanitised_test_source_rows", sourceRows("test", overlaps.testNearKept()));
        results.put("sizes", perSize);
        Map<String, Object> largest = perSize.get(perSize.size() - 1);
        results.put("headline", List.of(new RunFolder.Headline("test accuracy, " + largest.get("training_images")
                + " training images", (Double) largest.get("test_accuracy"), DatasetHygiene.SEED_ACCURACY)));
        results.put("seed_notebook_accuracy", DatasetHygiene.SEED_ACCURACY);
        results.put("notes", notes);
        results.put("exact_seconds", overlaps.exactSeconds());
        results.put("near_seconds", overlaps.nearSeconds());
        results.put("total_seconds", totalSeconds);
        Json.write(run.file("results.json"), results);
        Csv.write(run.file("results.csv"), List.of("training_images", "validation_accuracy", "test_accuracy",
                "sanitised_test_accuracy", "near_sanitised_test_accuracy", "final_loss", "seconds"), csv);
        run.writeConfig(DatasetHygiene.NAME, settings(),
                experiment.spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }

    private List<Map<String, Object>> pairList(List<Shown> pairs) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Shown s : pairs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("split", s.firstSplit());
            m.put("source_row", data.sourceRow(s.firstSplit(), s.first()));
            m.put("copy_split", s.secondSplit());
            m.put("copy_source_row", data.sourceRow(s.secondSplit(), s.second()));
            m.put("distance", s.distance());
            list.add(m);
        }
        return list;
    }

    private int[] sourceRows(String split, int[] rows) {
        return Arrays.stream(rows).map(i -> data.sourceRow(split, i)).toArray();
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", experiment.common.seed);
        s.put("quick", experiment.common.quick);
        s.put("dataset", experiment.notmnist != null ? "notmnist" : experiment.dataset);
        s.put("notmnist", experiment.notmnist == null ? null : experiment.notmnist.toString());
        s.put("notmnist_test", experiment.notmnistTest == null ? null : experiment.notmnistTest.toString());
        s.put("test_fraction", experiment.testFraction);
        s.put("validation", data.validation().size());
        s.put("sizes", runs.stream().mapToInt(SizeRun::samples).toArray());
        s.put("epochs", epochs);
        s.put("batch_size", experiment.batchSize);
        s.put("optimizer", "SGD(learning_rate=" + experiment.learningRate + ", momentum=0)");
        s.put("loss", "categorical_crossentropy");
        s.put("model", "Flatten → Dense(" + data.train().numClasses() + ", softmax)");
        s.put("preprocessing", "x / 255");
        s.put("near_threshold", overlaps.threshold());
        s.put("near_threshold_given", experiment.nearThreshold != null);
        s.put("seed_overlap_bug", experiment.seedOverlapBug);
        return s;
    }
}
