package glassbox.experiments;

import glassbox.experiments.MnistStudy.Trial;
import glassbox.experiments.MnistStudySelection.MseStatistics;
import glassbox.experiments.MnistStudySelection.SeedRun;
import glassbox.nn.History;
import glassbox.util.Csv;
import glassbox.util.Json;
import glassbox.util.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What {@link MnistStudy} prints and saves: one table per study, the comparison with the seed notebook's
 * printed figures, the {@code --profile} tables, and the run folder's {@code results.json},
 * {@code results.csv} and {@code config.json}. The figures are drawn by {@link MnistStudyFigures}.
 */
final class MnistStudyReport {
    /** The seed notebook's only printed numbers: the baseline's test evaluation, the selection network's train one. */
    static final double SEED_BASELINE_LOSS = 0.11630675196647644;
    static final double SEED_BASELINE_ACCURACY = 0.9635999798774719;
    static final double SEED_SELECTION_TRAIN_LOSS = 0.039233263581991196;
    static final double SEED_SELECTION_TRAIN_ACCURACY = 0.9878000020980835;
    /** The seed's {@code describe()} of the mse column (In[64]) and its {@code mse < 0.1} count (In[63]). */
    static final double[] SEED_MSE_DESCRIBE = {0.303764, 0.222711, 0.024024, 0.150908, 0.242192, 0.38608, 3.314142,
        6231};
    static final String[] MSE_DESCRIBE_NAMES = {"mean", "std", "min", "25%", "50%", "75%", "max", "count mse < 0.1"};

    /** Mean and sample standard deviation (n − 1) over the runs that finished; NaN where undefined. */
    record Stats(int runs, int failed, double accuracyMean, double accuracyStd, double lossMean, double lossStd,
                 double trainSamplesMean) {
    }

    private final MnistStudy study;
    private final RunFolder run;
    private final List<Trial> trials;
    private final MnistStudySelection.Result selection;
    private final History baselineProfile;
    private final int trainSize;
    private final int testSize;
    private final PrintStream out;

    MnistStudyReport(MnistStudy study, RunFolder run, List<Trial> trials, MnistStudySelection.Result selection,
                     History baselineProfile, int trainSize, int testSize) {
        this.study = study;
        this.run = run;
        this.trials = trials;
        this.selection = selection;
        this.baselineProfile = baselineProfile;
        this.trainSize = trainSize;
        this.testSize = testSize;
        this.out = study.out;
    }

    void printAndWrite(double totalSeconds) throws IOException {
        out.println();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("experiment", MnistStudy.NAME);
        results.put("train_samples", trainSize);
        results.put("test_samples", testSize);
        results.put("notes", notes());
        MnistStudyFigures figures = new MnistStudyFigures(run, study.repeats > 1);
        for (String name : List.of("threshold", "amplify", "power")) {
            if (trials.stream().anyMatch(t -> t.study().equals(name))) {
                results.put(name, preprocessingTable(name, figures));
            }
        }
        if (selection != null) {
            results.put("selection", new MnistStudySelectionReport(study, trials, selection, trainSize)
                    .printAndPlot(figures));
        }
        List<Map<String, Object>> comparison = comparisonTable();
        results.put("headline", SeedSummary.headline(comparison, 4));
        results.put("seed_notebook_comparison", comparison);
        Map<String, Object> profiles = new LinkedHashMap<>();
        profileTable("128-128 network (baseline)", baselineProfile, profiles);
        profileTable("756-128 network (selection, full data)", selection == null ? null : selection.profiled(),
                profiles);
        if (!profiles.isEmpty()) {
            results.put("profile_seconds_per_epoch", profiles);
        }
        long failed = trials.stream().filter(t -> !t.ok()).count();
        if (failed > 0) {
            out.println(failed + " of " + trials.size() + " models did not finish; see the status in results.csv");
        }
        results.put("models_failed", failed);
        results.put("models_evaluated", trials.size());
        results.put("total_seconds", totalSeconds);
        results.put("trials", trials);
        Json.write(run.file("results.json"), results);
        Csv.write(run.file("results.csv"), List.of("study", "setting", "value", "seed", "model", "train_samples",
                "test_loss", "test_accuracy", "train_seconds", "status"), trials.stream().map(t -> List.<Object>of(
                t.study(), t.setting(), t.value(), t.seed(), t.model(), t.trainSamples(), t.testLoss(),
                t.testAccuracy(), t.trainSeconds(), t.status())).toList());
        run.writeConfig(MnistStudy.NAME, settings(),
                study.spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));
    }

    /** One preprocessing study: baseline and retrained accuracy per setting, printed, plotted and returned. */
    private List<Map<String, Object>> preprocessingTable(String name, MnistStudyFigures figures) throws IOException {
        List<String> settings = trials.stream().filter(t -> t.study().equals(name)).map(Trial::setting).distinct()
                .toList();
        Table table = new Table(name + ": test accuracy (mean ± std over " + study.repeats + " seed"
                + (study.repeats == 1 ? "" : "s") + ")", "setting", "baseline acc", "±", "retrained acc", "±",
                "baseline loss", "retrained loss");
        List<Map<String, Object>> rows = new ArrayList<>();
        double[] x = new double[settings.size()];
        Stats[][] stats = new Stats[2][settings.size()];
        for (int i = 0; i < settings.size(); i++) {
            String setting = settings.get(i);
            x[i] = trials.stream().filter(t -> t.setting().equals(setting)).findFirst().orElseThrow().value();
            stats[0][i] = stats(name, setting, MnistStudy.BASELINE);
            stats[1][i] = stats(name, setting, MnistStudy.RETRAINED);
            table.addRow(setting, stats[0][i].accuracyMean(), std(stats[0][i]), stats[1][i].accuracyMean(),
                    std(stats[1][i]), stats[0][i].lossMean(), stats[1][i].lossMean());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("setting", setting);
            row.put("value", x[i]);
            row.put("baseline", stats[0][i]);
            row.put("retrained", stats[1][i]);
            rows.add(row);
        }
        table.print(out);
        out.println();
        figures.sweep(name, x, stats);
        return rows;
    }

    /** Our figures next to the only numbers the seed notebook printed. */
    private List<Map<String, Object>> comparisonTable() {
        Table table = new Table("glassbox next to the seed notebook (mean ± std over seeds; runs = how many)",
                "quantity", "seed notebook", "glassbox", "±", "runs");
        List<Map<String, Object>> rows = new ArrayList<>();
        Stats baseline = stats("baseline", "normalised x", MnistStudy.BASELINE);
        if (baseline.runs() + baseline.failed() > 0) {
            addComparison(table, rows, "baseline test loss (" + study.epochs + " epochs)", SEED_BASELINE_LOSS,
                    baseline.lossMean(), baseline.runs() > 1 ? baseline.lossStd() : Double.NaN, baseline.runs());
            addComparison(table, rows, "baseline test accuracy", SEED_BASELINE_ACCURACY, baseline.accuracyMean(),
                    baseline.runs() > 1 ? baseline.accuracyStd() : Double.NaN, baseline.runs());
        }
        if (selection != null) {
            List<SeedRun> ok = selection.seeds().stream().filter(r -> !Double.isNaN(r.trainLoss())).toList();
            addComparison(table, rows, "selection network train loss (" + study.selectionEpochs + " epochs)",
                    SEED_SELECTION_TRAIN_LOSS, mean(ok, SeedRun::trainLoss), sd(ok, SeedRun::trainLoss), ok.size());
            addComparison(table, rows, "selection network train accuracy", SEED_SELECTION_TRAIN_ACCURACY,
                    mean(ok, SeedRun::trainAccuracy), sd(ok, SeedRun::trainAccuracy), ok.size());
            List<ToDoubleFunction<MseStatistics>> fields = List.of(MseStatistics::mean, MseStatistics::std,
                    MseStatistics::min, MseStatistics::q25, MseStatistics::median, MseStatistics::q75,
                    MseStatistics::max, MseStatistics::below01);
            List<MseStatistics> st = selection.statistics();
            for (int i = 0; i < fields.size(); i++) {
                addComparison(table, rows, "mse to class mean: " + MSE_DESCRIBE_NAMES[i], SEED_MSE_DESCRIBE[i],
                        mean(st, fields.get(i)), sd(st, fields.get(i)), st.size());
            }
        }
        table.print(out);
        out.println();
        return rows;
    }

    private static void addComparison(Table table, List<Map<String, Object>> rows, String quantity, double seed,
                                      double mean, double std, int runs) {
        table.addRow(quantity, seed, mean, Double.isNaN(std) ? null : std, runs);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("quantity", quantity);
        row.put("seed_notebook", seed);
        row.put("glassbox_mean", mean);
        row.put("glassbox_std", std);
        row.put("runs", runs);
        rows.add(row);
    }

    /** Where one epoch's time went (the fit's totals divided by its epochs), when --profile was on. */
    private void profileTable(String network, History history, Map<String, Object> json) {
        if (history == null || history.profile() == null) {
            return;
        }
        int epochs = history.epochs().size();
        double total = history.profile().totalSeconds();
        Table table = new Table("--profile: one epoch of the " + network + ", per phase", "phase", "ms/epoch",
                "share %", "µs/call");
        Map<String, Double> perEpoch = new LinkedHashMap<>();
        Map<String, Long> calls = history.profile().calls();
        history.profile().seconds().forEach((phase, s) -> {
            table.addRow(phase, 1e3 * s / epochs, 100 * s / total, 1e6 * s / calls.get(phase));
            perEpoch.put(phase, s / epochs);
        });
        table.addRow("total", 1e3 * total / epochs, 100.0, null);
        double inside = history.profile().insideLayersSeconds();
        table.addRow("inside layers", 1e3 * inside / epochs, 100 * inside / total, null);
        table.addRow("outside layers", 1e3 * (total - inside) / epochs, 100 * (total - inside) / total, null);
        table.print(out);
        out.println();
        json.put(network, perEpoch);
    }

    private Stats stats(String name, String setting, String model) {
        return stats(trials, name, setting, model);
    }

    /** Accuracy and loss over the trials of one study, setting and model. */
    static Stats stats(List<Trial> trials, String name, String setting, String model) {
        List<Trial> matching = trials.stream().filter(t -> t.study().equals(name) && t.setting().equals(setting)
                && t.model().equals(model)).toList();
        List<Trial> ok = matching.stream().filter(Trial::ok).toList();
        return new Stats(ok.size(), matching.size() - ok.size(), mean(ok, Trial::testAccuracy),
                sd(ok, Trial::testAccuracy), mean(ok, Trial::testLoss), sd(ok, Trial::testLoss),
                mean(ok, t -> t.trainSamples()));
    }

    /** The std cell of a table: blank for a single run, where it is undefined. */
    static Double std(Stats s) {
        return s.runs() > 1 ? s.accuracyStd() : null;
    }

    static <T> double mean(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Sample standard deviation (n − 1, as pandas and numpy's {@code ddof=1}); NaN for fewer than 2 items. */
    static <T> double sd(List<T> items, ToDoubleFunction<T> f) {
        if (items.size() < 2) {
            return Double.NaN;
        }
        double m = mean(items, f);
        double ss = items.stream().mapToDouble(f).map(v -> (v - m) * (v - m)).sum();
        return Math.sqrt(ss / (items.size() - 1));
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        notes.add(study.seedPowerBug
                ? "power: --seed-power-bug: every 'powered' model trained on normalize(x), as the seed's overwrite did"
                : "power: trained on normalize(x ** p); the seed overwrote x ** p with normalize(x) "
                + "(--seed-power-bug reproduces it)");
        notes.add("each fresh model of seed s starts from the weights and batch order of seed s's baseline");
        notes.add(study.seedSharedFeatures
                ? "selection: one feature table, from the last seed's full-data network, selects for every seed "
                + "(the seed's)"
                : "selection: each seed's own full-data network computes the features that select its samples "
                + "(the seed reused one table, from one network; --seed-shared-features)");
        notes.add("selection: quantile over all classes' distances together (pandas linear), kept when mse < quantile");
        boolean raw = study.selectionInput == MnistStudy.SelectionInput.raw;
        notes.add("selection inputs: " + study.selectionInput + (raw ? " 0..255 pixels, as the seed's x_train after "
                + "In[20] reloaded it (--selection-input raw)" : " (L2 per column, as the baseline; the seed reloaded "
                + "raw pixels, on which the networks stall: --selection-input raw)"));
        if (raw && study.studies.contains(MnistStudy.Study.selection)) {
            notes.add(MnistStudySelection.RAW_INPUT_STALLS);
        }
        notes.add("features: output of layer '" + MnistStudySelection.FEATURE_LAYER + "' (the 128-unit layer), "
                + "as the seed's get_layer('dense_1')");
        if (selection != null) {
            notes.addAll(selection.warnings());
        }
        return notes;
    }

    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("seed", study.common.seed);
        s.put("quick", study.common.quick);
        s.put("studies", study.studies.stream().map(Enum::name).toList());
        s.put("thresholds", study.thresholds);
        s.put("factors", study.factors);
        s.put("exponents", study.exponents);
        s.put("seed_power_bug", study.seedPowerBug);
        s.put("repeats", study.repeats);
        s.put("preprocessing_seeds", study.preprocessingSeeds());
        s.put("epochs", study.epochs);
        s.put("baseline_architecture", "Flatten → Dense(128, relu) → Dense(128, relu) → Dense(10, sigmoid)");
        s.put("baseline_preprocessing", "tf.keras.utils.normalize(x, axis=1)");
        s.put("selection_architecture", "Flatten → Dense(756, relu) → Dense(128, relu) → Dense(10, sigmoid)");
        s.put("selection_epochs", study.selectionEpochs);
        s.put("selection_seeds", study.selectionSeeds);
        s.put("selection_input", study.selectionInput.toString());
        s.put("seed_shared_features", study.seedSharedFeatures);
        s.put("quantiles", study.quantiles);
        s.put("batch_size", study.batchSize);
        s.put("optimizer", "Adam(learning_rate=" + study.learningRate + ", beta_1=0.9, beta_2=0.999, epsilon=1e-7)");
        s.put("loss", "sparse_categorical_crossentropy (probability input)");
        s.put("train_samples", trainSize);
        s.put("test_samples", testSize);
        return s;
    }
}
