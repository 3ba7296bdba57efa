package glassbox.experiments;

import glassbox.data.Dataset;
import glassbox.data.Transforms;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The data-selection study of seed 000 (its cells In[70], In[10], In[47], In[48], In[69]):
 *
 * <pre>
 *   for each seed: train 784 → Dense 756 relu → Dense 128 relu → Dense 10 sigmoid on all of x_train
 *   features[i]  = output of layer 'dense_1' (the 128 units) for training sample i         (60000, 128)
 *   mean[c]      = mean of features[i] over the samples of class c                             (10, 128)
 *   mse[i]       = mean over the 128 units of (features[i] − mean[y_i])²                       (60000,)
 *   for q in (0.9, 0.95, 0.98, 0.99, 0.999):
 *       keep = { i : mse[i] < quantile(mse, q) }          one quantile over all classes together
 *       train a fresh network of the same seed on x_train[keep]; evaluate on all of x_test
 * </pre>
 *
 * A small {@code mse} means a sample lies near its class's centre in the hidden representation (a
 * "typical" image); the largest are the odd ones, which the selection drops first. The quantile follows
 * pandas' {@code Series.quantile} (linear interpolation between the two nearest order statistics).
 *
 * <p><b>Input: normalised pixels by default; raw pixels do not train.</b> The seed's notebook reloads raw
 * 0..255 pixels (In[20]) before this study. On them the 756-128 network's logits reach the tens to
 * hundreds, every sigmoid output saturates to exactly 0 or 1, the clipped cross-entropy has no gradient
 * there, and the network stays at chance (train accuracy ≈ 0.10; the same with TF 2's clip-before-rescale
 * form of the loss). The seed's printed figures for its feature network (train accuracy 0.9878, distances
 * of mean 0.30) fit a network trained on normalised pixels, not raw ones (raw features lie 10⁴–10⁶ from
 * their class mean), so normalised pixels are the default. {@code --selection-input raw} reproduces the
 * stall: the run first prints {@link #RAW_INPUT_STALLS}, the explanation above, and then warns for every
 * network left at chance.
 */
final class MnistStudySelection {
    /** The seed's {@code get_layer('dense_1')}: in a fresh session, the second Dense layer, of 128 units. */
    static final String FEATURE_LAYER = "dense_1";
    static final String FULL = "full-data network";
    static final String SELECTED = "fresh model trained on the kept samples";
    /** Printed (and kept in results.json's notes) when {@code --selection-input raw} is chosen. */
    static final String RAW_INPUT_STALLS = "selection: --selection-input raw: the networks see raw 0..255 pixels, "
            + "as the seed's x_train after In[20] reloaded it, and will stay at chance. Why: the 756-128 network's "
            + "logits reach the tens to hundreds, so every sigmoid output saturates to exactly 0 or 1 in float; "
            + "the cross-entropy clips those probabilities to [1e-7, 1 - 1e-7], and a clipped probability passes "
            + "no gradient back, so no weight moves toward the right class. The seed's printed feature figures "
            + "(train accuracy 0.9878, mean distance 0.30) came from a network trained on normalised pixels: "
            + "the default, --selection-input normalized.";

    /** One seed: the network whose features chose its samples, its training-set figures, what each q kept. */
    record SeedRun(long seed, long featureSeed, double trainLoss, double trainAccuracy, double[] mseThresholds,
                   int[] kept) {
    }

    /** pandas' {@code describe()} of one feature table's {@code mse}, plus the seed's {@code mse < 0.1} count. */
    record MseStatistics(long seed, int count, double mean, double std, double min, double q25, double median,
                         double q75, double max, int below01) {
    }

    /**
     * Everything the report needs: every trial, each seed's run, each feature table's statistics, and the
     * distances of one table ({@code figureSeed}'s) with the training images and labels, for the figures.
     */
    record Result(List<MnistStudy.Trial> trials, List<SeedRun> seeds, List<MseStatistics> statistics,
                  long figureSeed, double[] figureMse, int[][] keptPerClass, Tensor images, int[] labels,
                  int trainSize, History profiled, List<String> warnings) {
    }

    private final MnistStudy study;
    private final PrintStream out;

    MnistStudySelection(MnistStudy study) {
        this.study = study;
        this.out = study.out;
    }

    /** The seed's data-selection network. */
    static Sequential network(long seed, float learningRate) {
        return new Sequential(seed, new Flatten(), new Dense(756, "relu"), new Dense(128, "relu"),
                new Dense(10, "sigmoid")).compile(new SparseCategoricalCrossentropy(), new Adam(learningRate));
    }

    Result run(Dataset train, Dataset test) {
        boolean raw = study.selectionInput == MnistStudy.SelectionInput.raw;
        Tensor xTrain = raw ? train.x() : Transforms.normalizeL2(train.x(), 1);
        Tensor xTest = raw ? test.x() : Transforms.normalizeL2(test.x(), 1);
        Tensor yTrain = train.yAsTensor();
        Tensor yTest = test.yAsTensor();
        long[] seeds = study.selectionSeeds;
        int last = seeds.length - 1;
        if (raw) {
            out.println();
            out.println(RAW_INPUT_STALLS);
        }
        out.printf("%nselection: 784 → 756 → 128 → 10 on %s pixels, %d epoch(s), seeds %s; features from %s%n",
                raw ? "raw 0..255" : "normalised", study.selectionEpochs, Arrays.toString(seeds),
                study.seedSharedFeatures ? "the last seed's network only, for every seed (--seed-shared-features, "
                        + "as the seed)" : "each seed's own full-data network");

        List<MnistStudy.Trial> trials = new ArrayList<>();
        List<MseStatistics> statistics = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        double[][] mse = new double[seeds.length][];
        double[][] trainFigures = new double[seeds.length][];
        History profiled = null;
        for (int i = 0; i < seeds.length; i++) {
            long seed = seeds[i];
            MnistStudy.Fit fit = study.fit("selection: full data, seed " + seed, network(seed, study.learningRate),
                    xTrain, yTrain, study.selectionEpochs, i == 0);
            trials.add(study.evaluate(fit, fit, "selection", "full data", 1.0, seed, FULL, xTest, yTest));
            profiled = i == 0 ? fit.history() : profiled;
            if (!fit.ok()) {
                continue;
            }
            Sequential.Evaluation onTrain = fit.model().evaluate(xTrain, yTrain);
            trainFigures[i] = new double[]{onTrain.loss(), onTrain.accuracy()};
            out.printf("  on its own training set: loss %.4f, accuracy %.4f (the seed's network: 0.0392, 0.9878)%n",
                    onTrain.loss(), onTrain.accuracy());
            if (onTrain.accuracy() < 2.0 / train.numClasses()) {
                String why = raw ? ": raw 0..255 pixels saturate every sigmoid output and the clipped loss has no "
                        + "gradient there (see above); --selection-input normalized trains" : "";
                String warning = String.format("selection: the full-data network of seed %d did not learn "
                        + "(train accuracy %.4f, about chance)%s", seed, onTrain.accuracy(), why);
                out.println("  WARNING: " + warning);
                warnings.add(warning);
            }
            if (!study.seedSharedFeatures || i == last) {
                Tensor features = fit.model().layerOutput(FEATURE_LAYER, xTrain, 256);
                mse[i] = distanceToClassMean(features, train.y(), train.numClasses());
                MseStatistics s = describe(seed, mse[i]);
                statistics.add(s);
                out.printf("  mse to class mean: mean %.4f, std %.4f, median %.4f, max %.4f, %d below 0.1 "
                        + "(the seed's: 0.3038, 0.2227, 0.2422, 3.3141, 6231)%n", s.mean(), s.std(), s.median(),
                        s.max(), s.below01());
            }
        }

        List<SeedRun> runs = new ArrayList<>();
        int figure = study.seedSharedFeatures ? last : firstNonNull(mse);
        int[][] keptPerClass = new int[study.quantiles.length][train.numClasses()];
        for (int i = 0; i < seeds.length; i++) {
            long seed = seeds[i];
            int source = study.seedSharedFeatures ? last : i;
            double[] distances = mse[source];
            double[] thresholds = new double[study.quantiles.length];
            int[] kept = new int[study.quantiles.length];
            for (int k = 0; k < study.quantiles.length; k++) {
                double q = study.quantiles[k];
                String setting = "q=" + MnistStudy.fmt(q);
                if (distances == null) {
                    thresholds[k] = Double.NaN;
                    trials.add(new MnistStudy.Trial("selection", setting, q, seed, SELECTED, 0, Double.NaN, Double.NaN,
                            Double.NaN, "skipped: the full-data network of seed " + seeds[source] + " diverged"));
                    continue;
                }
                thresholds[k] = quantile(distances, q);
                int[] keep = below(distances, thresholds[k]);
                kept[k] = keep.length;
                if (i == figure) {
                    for (int index : keep) {
                        keptPerClass[k][train.y()[index]]++;
                    }
                }
                String label = String.format("selection %s (mse < %.4g), seed %d", setting, thresholds[k], seed);
                MnistStudy.Fit fit = study.fit(label, network(seed, study.learningRate), xTrain.gather(keep),
                        yTrain.gather(keep), study.selectionEpochs, false);
                trials.add(study.evaluate(fit, fit, "selection", setting, q, seed, SELECTED, xTest, yTest));
            }
            double[] tf = trainFigures[i] == null ? new double[]{Double.NaN, Double.NaN} : trainFigures[i];
            runs.add(new SeedRun(seed, seeds[source], tf[0], tf[1], thresholds, kept));
        }
        return new Result(trials, runs, statistics, figure < 0 ? -1 : seeds[figure], figure < 0 ? null : mse[figure],
                keptPerClass, train.x(), train.y(), train.size(), profiled, warnings);
    }

    private static int firstNonNull(double[][] arrays) {
        for (int i = 0; i < arrays.length; i++) {
            if (arrays[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code mse[i] = mean_j (f[i, j] − mean[y_i, j])²} for features {@code f} of shape {@code (n, k)}, where
     * {@code mean[c]} is the average feature vector of class {@code c}. Sums in double.
     */
    static double[] distanceToClassMean(Tensor features, int[] labels, int numClasses) {
        int n = features.dim(0);
        int k = features.rowLength();
        float[] f = features.data();
        double[] mean = new double[numClasses * k];
        int[] count = new int[numClasses];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            for (int j = 0; j < k; j++) {
                mean[labels[i] * k + j] += f[i * k + j];
            }
        }
        for (int c = 0; c < numClasses; c++) {
            for (int j = 0; j < k; j++) {
                mean[c * k + j] /= Math.max(1, count[c]);
            }
        }
        double[] mse = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double d = f[i * k + j] - mean[labels[i] * k + j];
                sum += d * d;
            }
            mse[i] = sum / k;
        }
        return mse;
    }

    /**
     * pandas' {@code Series.quantile(q)} (numpy's default "linear" method): with the values sorted,
     * {@code h = (n − 1)·q} and the result interpolates between {@code s[floor h]} and {@code s[floor h + 1]}.
     */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double h = (s.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    /** The indices {@code i} with {@code values[i] < threshold} (strictly, as the seed), ascending. */
    static int[] below(double[] values, double threshold) {
        return java.util.stream.IntStream.range(0, values.length).filter(i -> values[i] < threshold).toArray();
    }

    /** pandas' {@code describe()}: count, mean, sample std (n − 1), min, quartiles, max. */
    static MseStatistics describe(long seed, double[] v) {
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum();
        int below = (int) Arrays.stream(v).filter(x -> x < 0.1).count();
        return new MseStatistics(seed, v.length, mean, Math.sqrt(ss / (v.length - 1)), quantile(v, 0),
                quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75), quantile(v, 1), below);
    }
}
