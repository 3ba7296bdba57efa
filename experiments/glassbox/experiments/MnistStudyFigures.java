package glassbox.experiments;

import glassbox.experiments.MnistStudyReport.Stats;
import glassbox.plot.Histogram;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The PNG figures of {@link MnistStudy}: accuracy against threshold, factor and exponent (the baseline and
 * the retrained model); accuracy against the kept fraction of the training set, with ± one standard
 * deviation over seeds; the per-class histograms of the distance to the class mean; and the 10 most and 10
 * least typical training images of every class.
 */
final class MnistStudyFigures {
    private static final Map<String, String> X_LABELS = Map.of(
            "threshold", "threshold t (pixel → 1 if normalised x > t, else 0)",
            "amplify", "factor f (normalised x · f)",
            "power", "exponent p (normalize(raw x ^ p))");

    private static final Map<String, String> PARTICIPLES = Map.of(
            "threshold", "thresholded", "amplify", "amplified", "power", "powered");

    private final RunFolder run;
    private final boolean errorBars;

    MnistStudyFigures(RunFolder run, boolean errorBars) {
        this.run = run;
        this.errorBars = errorBars;
    }

    /** {@code <study>.png}: test accuracy per setting; {@code stats[0]} the baseline, {@code stats[1]} retrained. */
    void sweep(String study, double[] x, Stats[][] stats) throws IOException {
        LineChart chart = new LineChart(study + ": test accuracy", X_LABELS.getOrDefault(study, study),
                "test accuracy");
        boolean any = addSeries(chart, MnistStudy.BASELINE, x, stats[0], errorBars);
        any |= addSeries(chart, MnistStudy.RETRAINED.replace("transformed", PARTICIPLES.getOrDefault(study, study)),
                x, stats[1], errorBars);
        if (any) {
            chart.write(run.file(study + ".png"));
        }
    }

    /**
     * {@code selection.png}: mean ± std test accuracy over seeds against the kept fraction, next to the
     * full-data networks' mean and ± std band (the question: does selection stay within the noise?);
     * {@code mse_histogram.png}; {@code typical_images.png}. {@code stats} is the full data, then each quantile.
     */
    void selection(List<Stats> stats, int trainSize, MnistStudySelection.Result result) throws IOException {
        int n = stats.size();
        double[] fraction = new double[n - 1];
        for (int k = 1; k < n; k++) {
            fraction[k - 1] = stats.get(k).trainSamplesMean() / trainSize;
        }
        LineChart chart = new LineChart("selection: test accuracy against the fraction of training samples kept",
                "fraction of the training set kept (those closest to their class mean)", "test accuracy");
        boolean any = addSeries(chart, "trained on the kept samples", fraction,
                stats.subList(1, n).toArray(Stats[]::new), true);
        Stats full = stats.get(0);
        double lo = java.util.Arrays.stream(fraction).filter(Double::isFinite).min().orElse(0.9);
        double sd = Double.isNaN(full.accuracyStd()) ? 0 : full.accuracyStd();
        String[] names = {"all samples: mean", "all samples: mean + std", "all samples: mean − std"};
        double[] offsets = {0, sd, -sd};
        for (int i = 0; i < names.length && !Double.isNaN(full.accuracyMean()); i++) {
            double y = full.accuracyMean() + offsets[i];
            Stats level = new Stats(1, 0, y, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            any |= addSeries(chart, names[i], new double[]{lo, 1.0}, new Stats[]{level, level}, false);
        }
        if (any) {
            chart.write(run.file("selection.png"));
        }
        double[] mse = result.figureMse();
        if (mse == null) {
            return;
        }
        int[] labels = result.labels();
        int classes = result.keptPerClass()[0].length;
        // The longest tail is a few extreme samples: cut the axis at the 99.5% quantile so the bulk shows.
        double cut = MnistStudySelection.quantile(mse, 0.995);
        long beyond = java.util.Arrays.stream(mse).filter(v -> v > cut).count();
        Map<String, double[]> groups = new LinkedHashMap<>();
        for (int c = 0; c < classes; c++) {
            int cls = c;
            groups.put("class " + c, IntStream.range(0, mse.length).filter(i -> labels[i] == cls && mse[i] <= cut)
                    .mapToDouble(i -> mse[i]).toArray());
        }
        String title = "distance to the class mean, per class (seed " + result.figureSeed() + "'s features; "
                + beyond + " beyond " + String.format("%.3g", cut) + " not drawn)";
        Histogram.ofGroups(title, groups, 60)
                .xLabel("mean squared distance to the class mean in layer 'dense_1'")
                .write(run.file("mse_histogram.png"));
        typicalImages(result, mse, labels, classes);
    }

    /**
     * One row per class: its 10 most typical training images (smallest distance) on the left, its 10 least
     * typical on the right, distance increasing left to right, each captioned with its distance.
     */
    private void typicalImages(MnistStudySelection.Result result, double[] mse, int[] labels, int classes)
            throws IOException {
        int per = 10;
        int h = result.images().dim(1);
        int w = result.images().dim(2);
        float[] pixels = result.images().data();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            int cls = c;
            int[] order = IntStream.range(0, mse.length).filter(i -> labels[i] == cls).boxed()
                    .sorted(Comparator.comparingDouble(i -> mse[i])).mapToInt(Integer::intValue).toArray();
            for (int slot = 0; slot < 2 * per; slot++) {
                // most typical: order[0..per); least typical: the last `per`, still in increasing distance
                int k = slot < per ? slot : order.length - 2 * per + slot;
                boolean present = k >= 0 && k < order.length; // a class of < 20 images repeats some
                if (present) {
                    float[] image = new float[h * w];
                    System.arraycopy(pixels, order[k] * h * w, image, 0, h * w);
                    images.add(image);
                    captions.add(String.format("%.3g", mse[order[k]]));
                } else {
                    images.add(new float[h * w]);
                    captions.add(null);
                }
            }
        }
        ImageGrid.write(run.file("typical_images.png"), images.toArray(float[][]::new), h, w, 2 * per,
                captions.toArray(String[]::new), 2);
    }

    /** Adds the points whose mean is defined, with ± std error bars if {@code bars} and there are several seeds. */
    private boolean addSeries(LineChart chart, String name, double[] x, Stats[] stats, boolean bars) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!Double.isNaN(stats[i].accuracyMean()) && !Double.isNaN(x[i])) {
                double err = Double.isNaN(stats[i].accuracyStd()) ? 0 : stats[i].accuracyStd();
                points.add(new double[]{x[i], stats[i].accuracyMean(), err});
            }
        }
        if (points.isEmpty()) {
            return false;
        }
        double[] px = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] py = points.stream().mapToDouble(p -> p[1]).toArray();
        double[] pe = points.stream().mapToDouble(p -> p[2]).toArray();
        chart.add(name, px, py, bars && points.stream().anyMatch(p -> p[2] > 0) ? pe : null);
        return true;
    }
}
