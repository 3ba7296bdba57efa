package glassbox.experiments;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.ImageFolderReader;
import glassbox.data.TrainTest;
import glassbox.util.Rng;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The three splits {@link DatasetHygiene} checks, as loaded and carved: images {@code (n, 28, 28)} of raw grey
 * levels 0..255, each split remembering which row of its source every image came from, so that a duplicate
 * can be named by the row of the file (MNIST) or the folder's reading order (notMNIST) it was read from.
 *
 * <pre>
 *   MNIST family   train and test = the official files; validation = --validation images drawn (seeded) from train
 *   notMNIST       --notmnist DIR and --notmnist-test DIR2: train from DIR, test from DIR2 (the Udacity layout:
 *                  notMNIST_large and notMNIST_small); --notmnist DIR alone: a seeded split of the one folder,
 *                  --test-fraction of it held out as test (scikit-learn's train_test_split, test_size=0.25);
 *                  validation drawn from train as above
 * </pre>
 *
 * @param source          what was read, for the output ("mnist", "notMNIST_small (18,724 images)")
 * @param train           the training split (after the validation images are taken out), in source order
 * @param trainRows       for each training image, its row in {@code trainSource}
 * @param validation      the validation split; may be empty ({@code --validation 0})
 * @param validationRows  for each validation image, its row in {@code trainSource}
 * @param test            the test split, in source order
 * @param testRows        for each test image, its row in {@code testSource}
 * @param trainSource     the name of what train and validation rows index ({@code mnist-train}, {@code notMNIST_small})
 * @param testSource      the name of what test rows index
 * @param classNames      the class names, by label
 * @param skipped         the files a folder reader could not decode (relative paths), empty for IDX data
 */
record DatasetHygieneData(String source, Dataset train, int[] trainRows, Dataset validation, int[] validationRows,
                          Dataset test, int[] testRows, String trainSource, String testSource, List<String> classNames,
                          List<String> skipped) {
    static final int SIDE = 28;
    /** The Udacity notebook's {@code valid_size}. */
    static final int DEFAULT_VALIDATION = 10_000;
    /** Sizes of the --quick slices of train and test. */
    static final int QUICK_TRAIN = 3000;
    static final int QUICK_TEST = 500;

    /**
     * Loads the splits the experiment's flags name, prints what was read, and carves validation (and test) with
     * generators split from {@code rng}.
     */
    static DatasetHygieneData load(DatasetHygiene e, Rng rng, PrintStream out) throws IOException {
        Rng testSplit = rng.split();
        Rng validationSplit = rng.split();
        Dataset trainSource;
        Dataset testSource;
        List<String> classNames;
        List<String> skipped = new ArrayList<>();
        String source;
        int[] trainPool;
        int[] testRows;
        if (e.notmnist != null) {
            ImageFolderReader.Result folder = ImageFolderReader.read(e.notmnist, SIDE, SIDE);
            out.println(folder.dataset().name() + ": " + summary(folder));
            skipped.addAll(folder.skipped());
            trainSource = folder.dataset();
            classNames = folder.classNames();
            if (e.notmnistTest != null) {
                ImageFolderReader.Result other = ImageFolderReader.read(e.notmnistTest, SIDE, SIDE);
                out.println(other.dataset().name() + " (test): " + summary(other));
                if (!other.classNames().equals(classNames)) {
                    throw new IllegalArgumentException("--notmnist-test " + e.notmnistTest + " has classes "
                            + other.classNames() + " but --notmnist " + e.notmnist + " has " + classNames
                            + "; expected the same class folders");
                }
                other.skipped().forEach(f -> skipped.add(other.dataset().name() + "/" + f));
                testSource = other.dataset();
                trainPool = all(trainSource.size());
                testRows = all(testSource.size());
                source = trainSource.name() + " + " + testSource.name();
            } else {
                testSource = trainSource;
                int n = trainSource.size();
                int nTest = (int) Math.ceil(e.testFraction * n);
                if (nTest < 1 || nTest >= n) {
                    throw new IllegalArgumentException("--test-fraction " + e.testFraction + " of " + n + " images "
                            + "leaves " + (nTest < 1 ? "no test image" : "no training image") + "; the folder needs "
                            + "more images or another fraction");
                }
                // train_test_split: one permutation; its first n_test rows are the test set, the rest train.
                int[] permutation = testSplit.permutation(n);
                testRows = sorted(Arrays.copyOfRange(permutation, 0, nTest));
                trainPool = sorted(Arrays.copyOfRange(permutation, nTest, n));
                source = trainSource.name() + " (" + n + " images: " + trainPool.length + " train, " + nTest
                        + " test, seeded split)";
            }
        } else {
            TrainTest data = Datasets.load(e.dataset, e.common.home());
            trainSource = data.train();
            testSource = data.test();
            classNames = Datasets.classNames(e.dataset);
            trainPool = all(trainSource.size());
            testRows = all(testSource.size());
            source = e.dataset;
        }
        if (e.common.quick) {
            trainPool = Arrays.copyOf(trainPool, Math.min(QUICK_TRAIN, trainPool.length));
            testRows = Arrays.copyOf(testRows, Math.min(QUICK_TEST, testRows.length));
        }

        int nValidation = e.validation != null ? e.validation : Math.min(DEFAULT_VALIDATION, trainPool.length / 5);
        if (nValidation < 0 || nValidation >= trainPool.length) {
            throw new IllegalArgumentException("--validation " + nValidation + " must lie in [0, "
                    + trainPool.length + "): it is carved from the " + trainPool.length + " training images");
        }
        int[] order = validationSplit.permutation(trainPool.length);
        int[] validationRows = new int[nValidation];
        int[] trainRows = new int[trainPool.length - nValidation];
        for (int i = 0; i < order.length; i++) {
            if (i < nValidation) {
                validationRows[i] = trainPool[order[i]];
            } else {
                trainRows[i - nValidation] = trainPool[order[i]];
            }
        }
        validationRows = sorted(validationRows);
        trainRows = sorted(trainRows);
        String trainName = trainSource.name();
        String testName = testSource.name();
        return new DatasetHygieneData(source, rows(trainSource, trainRows, "train"), trainRows,
                rows(trainSource, validationRows, "validation"), validationRows, rows(testSource, testRows, "test"),
                testRows, trainName, testName, List.copyOf(classNames), List.copyOf(skipped));
    }

    /** Image {@code i} of the split named {@code split} ("train", "validation", "test"), 784 grey levels. */
    float[] image(String split, int i) {
        Dataset d = switch (split) {
            case "train" -> train;
            case "validation" -> validation;
            case "test" -> test;
            default -> throw new IllegalArgumentException("split is '" + split + "'; expected train, validation or test");
        };
        return Arrays.copyOfRange(d.x().data(), i * SIDE * SIDE, (i + 1) * SIDE * SIDE);
    }

    /** Where image {@code i} of {@code split} came from: {@code "test #17"} names row 17 of the test source. */
    int sourceRow(String split, int i) {
        return switch (split) {
            case "train" -> trainRows[i];
            case "validation" -> validationRows[i];
            default -> testRows[i];
        };
    }

    private static String summary(ImageFolderReader.Result r) {
        int shown = Math.min(3, r.skipped().size());
        return r.dataset().size() + " images in " + r.classNames().size() + " classes " + r.classNames()
                + "; skipped " + r.skipped().size() + " unreadable file" + (r.skipped().size() == 1 ? "" : "s")
                + (shown == 0 ? "" : " (" + String.join(", ", r.skipped().subList(0, shown))
                + (r.skipped().size() > shown ? ", …" : "") + ")");
    }

    private static Dataset rows(Dataset source, int[] rows, String split) {
        if (rows.length == 0) {
            return new Dataset(glassbox.tensor.Tensor.zeros(0, SIDE, SIDE), new int[0], source.numClasses(),
                    source.name() + "-" + split);
        }
        Dataset d = source.subset(rows);
        return new Dataset(d.x(), d.y(), d.numClasses(), source.name() + "-" + split);
    }

    private static int[] all(int n) {
        int[] rows = new int[n];
        Arrays.setAll(rows, i -> i);
        return rows;
    }

    private static int[] sorted(int[] rows) {
        int[] s = rows.clone();
        Arrays.sort(s);
        return s;
    }
}
