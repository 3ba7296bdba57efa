package glassbox.experiments;

import glassbox.experiments.AutoencoderFeatures.Classifier;
import glassbox.experiments.AutoencoderFeatures.SeedRun;
import glassbox.nn.History;
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
 * What {@link AutoencoderFeatures} prints and saves: the results table (each seed, mean ± std; the seed
 * answer's column is empty, as it printed nothing), {@code results.json}, {@code results.csv} and
 * {@code config.json}.
 */
final class AutoencoderReport {
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "codes", "frozen encoder's 128-value codes → dense classifier",
            "pixels", "raw pixels (784) → the same dense classifier",
            "cnn", "raw images → the seed's CNN (mnist_cnn.py)");

    private final AutoencoderFeatures experiment;
    private final RunFolder run;
    private final List<SeedRun> runs;
    private final int trainSize;
    private final int testSize;
    private final PrintStream out;

    AutoencoderReport(AutoencoderFeatures experiment, RunFolder run, List<SeedRun> runs, int trainSize, int testSize) {
        this.experiment = experiment;
        this.run = run;
        this.runs = runs;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.out = experiment.out;
    }

    void printAndWrite(double totalSeconds) throws IOException {
        out.println();
        Table table = new Table("seed 003 on " + trainSize + " training / " + testSize + " test images, "
                + AutoencoderFeatures.plural(runs.size(), "seed") + "; classifiers "
                + AutoencoderFeatures.plural(experiment.classifierEpochs, "epoch") + " each, best-validation epoch", "", "seed answer", "glassbox mean", "std", "per seed");
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(SeedSummary.row(table, "autoencoder: test reconstruction loss (BCE)", null,
                runs, r -> r.aeTest().loss()));
        for (String name : AutoencoderFeatures.CLASSIFIERS) {
            rows.add(SeedSummary.row(table, "test accuracy, " + DESCRIPTIONS.get(name), null,
                    runs, r -> r.classifier(name).test().accuracy()));
        }
        rows.add(SeedSummary.row(table, "  the same, encoder and classifier stacked as one model", null,
                runs, SeedRun::stackedAccuracy));
        table.print(out);
        out.println("seed answer: printed no figure (\"I will get back to you when it is done training\")");
        for (String note : experiment.notes()) {
            out.println("note: " + note);
        }

        List<List<?>> csv = new ArrayList<>();
        List<Map<String, Object>> perSeed = new ArrayList<>();
        for (SeedRun r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", r.seed());
            m.put("autoencoder_seconds", r.aeSeconds());
            m.put("autoencoder_test_loss", r.aeTest().loss());
            m.put("autoencoder_history", r.aeHistory().records());
            List<Object> row = new ArrayList<>(Arrays.asList(r.seed(), r.aeTest().loss()));
            for (Classifier c : r.classifiers()) {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("best_epoch", c.bestEpoch());
                cm.put("test_loss", c.test().loss());
                cm.put("test_accuracy", c.test().accuracy());
                cm.put("seconds", c.seconds());
                cm.put("history", c.history().records());
                m.put(c.name(), cm);
                row.add(c.test().accuracy());
                row.add(c.bestEpoch());
            }
            m.put("stacked_test_accuracy", r.stackedAccuracy());
            m.put("seconds", r.seconds());
            row.add(r.stackedAccuracy());
            row.add(r.seconds());
            perSeed.add(m);
            csv.add(row);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", AutoencoderFeatures.NAME);
        results.put("seed_notebook", "003_85b486fc51f4d95a");
        results.put("seed_notebook_figures", "none printed");
        results.put("headline", SeedSummary.headline(rows, 4));
        results.put("summary", rows);
        results.put("seeds", perSeed);
        results.put("notes", experiment.notes());
        results.put("total_seconds", totalSeconds);
        Json.write(run.file("results.json"), results);
        Csv.write(run.file("results.csv"), List.of("seed", "autoencoder_test_loss", "codes_test_accuracy",
                "codes_best_epoch", "pixels_test_accuracy", "pixels_best_epoch", "cnn_test_accuracy", "cnn_best_epoch",
                "stacked_test_accuracy", "seconds"), csv);
        run.writeConfig(AutoencoderFeatures.NAME, settings(),
                experiment.spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seeds", runs.stream().mapToLong(SeedRun::seed).toArray());
        s.put("quick", experiment.common.quick);
        s.put("epochs", experiment.epochs);
        s.put("classifier_epochs", experiment.classifierEpochs);
        s.put("batch_size", AutoencoderFeatures.BATCH);
        s.put("optimizer", "Adadelta(learning_rate=1.0, rho=0.95, epsilon=1e-07)");
        s.put("validation_split", experiment.validationSplit);
        s.put("seed_test_selection", experiment.seedTestSelection);
        s.put("code_layer", SeedModels.AUTOENCODER_CODE_LAYER);
        s.put("training_images", trainSize);
        s.put("test_images", testSize);
        return s;
    }
}
