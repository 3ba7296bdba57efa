package glassbox.experiments;

import glassbox.experiments.MnistStudy.Trial;
import glassbox.experiments.MnistStudyReport.Stats;
import glassbox.experiments.MnistStudySelection.MseStatistics;
import glassbox.experiments.MnistStudySelection.SeedRun;
import glassbox.util.Table;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data-selection study's part of {@link MnistStudyReport}: accuracy per quantile (mean ± std over seeds,
 * samples kept), accuracy per seed (the run-to-run noise), the distance statistics of every feature table
 * next to the seed's {@code describe()}, and how many samples of each class each quantile kept.
 */
final class MnistStudySelectionReport {
    private final MnistStudy study;
    private final List<Trial> trials;
    private final MnistStudySelection.Result selection;
    private final int trainSize;
    private final PrintStream out;

    MnistStudySelectionReport(MnistStudy study, List<Trial> trials, MnistStudySelection.Result selection,
                              int trainSize) {
        this.study = study;
        this.trials = trials;
        this.selection = selection;
        this.trainSize = trainSize;
        this.out = study.out;
    }

    /** Prints the tables, draws the figures, and returns the {@code selection} part of results.json. */
    Map<String, Object> printAndPlot(MnistStudyFigures figures) throws IOException {
        Table summary = new Table("selection: test accuracy of networks trained on the samples below each quantile",
                "kept below", "kept", "fraction", "mse threshold", "test acc", "±", "test loss", "±", "runs");
        List<String> settings = new ArrayList<>(List.of("full data"));
        Arrays.stream(study.quantiles).forEach(q -> settings.add("q=" + MnistStudy.fmt(q)));
        List<Stats> stats = new ArrayList<>();
        for (int k = 0; k < settings.size(); k++) {
            String setting = settings.get(k);
            String model = k == 0 ? MnistStudySelection.FULL : MnistStudySelection.SELECTED;
            Stats s = MnistStudyReport.stats(trials, "selection", setting, model);
            stats.add(s);
            int kk = k - 1;
            Double threshold = k == 0 ? null : MnistStudyReport.mean(selection.seeds(), r -> r.mseThresholds()[kk]);
            double kept = s.trainSamplesMean();
            // the same count for every seed (n and q fix it) prints as an integer
            Object keptCell = kept == Math.rint(kept) ? (Object) (long) kept : (Object) kept;
            summary.addRow(setting, keptCell, kept / trainSize, threshold,
                    s.accuracyMean(), MnistStudyReport.std(s), s.lossMean(), s.runs() > 1 ? s.lossStd() : null,
                    s.runs() + "/" + (s.runs() + s.failed()));
        }
        summary.print(out);

        String[] perSeedColumns = new String[settings.size() + 1];
        perSeedColumns[0] = "seed";
        for (int k = 0; k < settings.size(); k++) {
            perSeedColumns[k + 1] = settings.get(k);
        }
        Table perSeed = new Table("selection: test accuracy per seed (the spread is the run-to-run noise)",
                perSeedColumns);
        for (SeedRun r : selection.seeds()) {
            Object[] cells = new Object[settings.size() + 1];
            cells[0] = r.seed();
            for (int k = 0; k < settings.size(); k++) {
                String setting = settings.get(k);
                cells[k + 1] = trials.stream().filter(t -> t.study().equals("selection") && t.setting().equals(setting)
                        && t.seed() == r.seed()).findFirst().map(Trial::testAccuracy).orElse(Double.NaN);
            }
            perSeed.addRow(cells);
        }
        perSeed.print(out);

        Table describe = new Table("selection: each feature table's distances to the class mean (pandas describe)",
                "features of", "mean", "std", "min", "25%", "50%", "75%", "max", "count mse < 0.1");
        double[] nb = MnistStudyReport.SEED_MSE_DESCRIBE;
        describe.addRow("seed notebook", nb[0], nb[1], nb[2], nb[3], nb[4], nb[5], nb[6], (long) nb[7]);
        for (MseStatistics s : selection.statistics()) {
            describe.addRow("seed " + s.seed(), s.mean(), s.std(), s.min(), s.q25(), s.median(), s.q75(), s.max(),
                    s.below01());
        }
        describe.print(out);

        int classes = selection.keptPerClass().length == 0 ? 0 : selection.keptPerClass()[0].length;
        String[] classColumns = new String[settings.size() + 1];
        classColumns[0] = "class";
        classColumns[1] = "samples";
        for (int k = 1; k < settings.size(); k++) {
            classColumns[k + 1] = "kept " + settings.get(k);
        }
        Table perClass = new Table("selection: samples kept per class (features of seed " + selection.figureSeed()
                + ")", classColumns);
        int[] counts = new int[classes];
        Arrays.stream(selection.labels()).forEach(y -> counts[y]++);
        for (int c = 0; c < classes && selection.figureMse() != null; c++) {
            Object[] cells = new Object[settings.size() + 1];
            cells[0] = String.valueOf(c);
            cells[1] = counts[c];
            for (int k = 0; k < study.quantiles.length; k++) {
                cells[k + 2] = selection.keptPerClass()[k][c];
            }
            perClass.addRow(cells);
        }
        perClass.print(out);
        out.println();
        figures.selection(stats, trainSize, selection);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("input", study.selectionInput.toString());
        json.put("features", study.seedSharedFeatures ? "one table, from the last seed's network (the seed's)"
                : "each seed's own full-data network");
        json.put("summary", settings.stream().map(s -> Map.of("setting", s, "stats", stats.get(settings.indexOf(s))))
                .toList());
        json.put("seeds", selection.seeds());
        json.put("mse_statistics", selection.statistics());
        json.put("kept_per_class_seed", selection.figureSeed());
        json.put("kept_per_class", selection.keptPerClass());
        return json;
    }
}
