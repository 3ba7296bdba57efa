package glassbox.experiments;

import glassbox.data.Duplicates;
import glassbox.data.Transforms;
import glassbox.tensor.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Problem 5 of the notebook, done right: exact duplicates by content hash ({@link Duplicates#firstCopy},
 * {@link Duplicates#matchIn}) within each split and across them, near duplicates by the nearest-neighbour
 * distance of the /255 images ({@link Duplicates#nearest}, {@link Duplicates#nearestDistinct}: blocked-GEMM
 * exact k-NN), and the sanitised validation and test sets.
 *
 * <p><b>The near-duplicate threshold</b> is read off the distances themselves: the 5th percentile {@code P5}
 * of the test images' distances to their nearest <em>non-identical</em> training image says how close two
 * different drawings of a character usually come — 95 % of test images have nothing in the training set
 * closer than that. A copy that was re-saved, re-scanned or lightly retouched lies well inside: half of
 * {@code P5} is the threshold. On MNIST (50,000 train, 10,000 test) that is 0.84: P5 = 1.69 against a
 * median of 4.38. A rule on the spread (a lower Tukey fence on the log distances, say) would not do: the
 * distribution has a second, low hump near 1.5 — thin "1"s, which all look alike — and would put hundreds of
 * ordinary "1"s below the fence. On Fashion-MNIST the rule gives 1.00 (P5 = 1.99) and flags 16 test images with
 * a near copy in train or validation — test image 4998 is training image 13360 at 0.08 — against no exact copy.
 * The rule assumes near duplicates are rare (under ~5 %); when more than 2.5 % of the test images fall within
 * it, the run says so. {@code --near-threshold} sets it by hand.
 */
final class DatasetHygieneOverlaps {
    /** The percentile of the test → train nearest distances the threshold is taken from, and the fraction of it. */
    static final double PERCENTILE = 5;
    static final double FRACTION = 0.5;

    /**
     * One line of the overlap table. Within a split, {@code exact} counts the images that repeat an earlier one
     * of the same split and {@code near} the distinct images whose nearest different image lies within the
     * threshold; across splits, the images of the first split with an identical / a near (0 &lt; d ≤ t) image in
     * the second. {@code seedCheck} is what the seed's broken check reports (every image), or null.
     */
    record Check(String name, int samples, int exact, int near, Integer seedCheck) {
    }

    /** A duplicate pair to draw: image {@code first} of split {@code firstSplit} and its copy. */
    record Shown(String firstSplit, int first, String secondSplit, int second, float distance) {
    }

    /**
     * @param threshold       the near-duplicate distance (on /255 images)
     * @param thresholdReason why, in a sentence
     * @param checks          the overlap table's lines
     * @param validationKept  rows of validation kept in its sanitised version
     * @param testKept        rows of test kept in the sanitised test set (no exact copy in train or validation)
     * @param testNearKept    rows of test with no image of train or validation within the threshold either
     * @param distances       nearest-neighbour distances (identical copies left out) per comparison, for the figure
     * @param exactPairs      exact duplicate pairs, across splits first
     * @param nearPairs       near duplicate pairs, closest first
     */
    record Result(double threshold, String thresholdReason, List<Check> checks, int[] validationKept, int[] testKept,
                  int[] testNearKept, Map<String, double[]> distances, List<Shown> exactPairs, List<Shown> nearPairs,
                  double exactSeconds, double nearSeconds) {
    }

    private DatasetHygieneOverlaps() {
    }

    static Result find(DatasetHygieneData s, Double fixedThreshold, boolean seedBug, PrintStream out) {
        boolean hasValidation = s.validation().size() > 0;
        long t0 = System.nanoTime();
        // Exact: each split hashed once (SHA-256 of its bytes); every digest match confirmed pixel by pixel.
        byte[][] trainDigests = Duplicates.sha256(s.train().x());
        byte[][] testDigests = Duplicates.sha256(s.test().x());
        byte[][] validationDigests = hasValidation ? Duplicates.sha256(s.validation().x()) : null;
        int[] trainFirst = Duplicates.firstCopy(s.train().x(), trainDigests);
        int[] testFirst = Duplicates.firstCopy(s.test().x(), testDigests);
        int[] validationFirst = hasValidation ? Duplicates.firstCopy(s.validation().x(), validationDigests)
                : new int[0];
        int[] validationInTrain = hasValidation ? Duplicates.matchIn(s.train().x(), trainDigests, s.validation().x(),
                validationDigests) : new int[0];
        int[] testInTrain = Duplicates.matchIn(s.train().x(), trainDigests, s.test().x(), testDigests);
        int[] testInValidation = hasValidation ? Duplicates.matchIn(s.validation().x(), validationDigests,
                s.test().x(), testDigests) : filled(s.test().size(), -1);
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        out.printf("exact duplicates: %.1f s (SHA-256 of every image's bytes, each digest match confirmed pixel by "
                        + "pixel)%n",
                exactSeconds);

        // Near: nearest neighbours of the /255 images, blocked GEMMs.
        long t1 = System.nanoTime();
        Tensor train = scaled(s.train().x());
        Tensor test = scaled(s.test().x());
        Tensor validation = hasValidation ? scaled(s.validation().x()) : null;
        Duplicates.Nearest testToTrain = Duplicates.nearest(train, test);
        Duplicates.Nearest testToValidation = hasValidation ? Duplicates.nearest(validation, test) : null;
        Duplicates.Nearest validationToTrain = hasValidation ? Duplicates.nearest(train, validation) : null;
        // Dividing by 255 keeps distinct grey levels distinct, so the first copies found above still hold.
        Duplicates.Nearest withinTrain = Duplicates.nearestDistinct(train, trainFirst);
        Duplicates.Nearest withinTest = Duplicates.nearestDistinct(test, testFirst);
        Duplicates.Nearest withinValidation = hasValidation ? Duplicates.nearestDistinct(validation, validationFirst)
                : null;
        double nearSeconds = (System.nanoTime() - t1) / 1e9;
        out.printf("near duplicates: %.1f s (exact nearest neighbours by blocked GEMM, %,d × %,d within train)%n",
                nearSeconds, withinTrain.query().length, withinTrain.query().length);

        double[] positive = positive(testToTrain.distance());
        double threshold;
        String reason;
        if (fixedThreshold != null) {
            threshold = fixedThreshold;
            reason = String.format("--near-threshold %.4g, set by hand (the rule would give %.4g)", threshold,
                    positive.length == 0 ? Double.NaN : FRACTION * percentile(positive, PERCENTILE));
        } else if (positive.length == 0) {
            threshold = 0;
            reason = "every test image has an identical copy in the training set: no distance to read a threshold "
                    + "from, so no near duplicates are counted";
        } else {
            double p5 = percentile(positive, PERCENTILE);
            threshold = FRACTION * p5;
            reason = String.format("95 %% of test images have no training image closer than %.3f (the 5th percentile "
                            + "of their nearest non-identical distances; median %.3f): that is how close two different "
                            + "drawings come. A re-saved or retouched copy lies well inside, so pairs closer than half "
                            + "of it, %.3f, count as near duplicates", p5, percentile(positive, 50), threshold);
        }
        int nearTest = testToTrain.pairs(threshold).size();
        if (fixedThreshold == null && nearTest > 0.025 * s.test().size()) {
            reason += String.format(". Caution: %.1f %% of the test images fall within it, so near duplicates are "
                    + "not rare here and the 5th percentile is partly made of them; look at nn_distance.png and set "
                    + "--near-threshold", 100.0 * nearTest / s.test().size());
        }

        List<Check> checks = new ArrayList<>();
        checks.add(new Check("within train", s.train().size(), repeats(trainFirst), near(withinTrain, threshold), null));
        if (hasValidation) {
            checks.add(new Check("within validation", s.validation().size(), repeats(validationFirst),
                    near(withinValidation, threshold), null));
        }
        checks.add(new Check("within test", s.test().size(), repeats(testFirst), near(withinTest, threshold), null));
        if (hasValidation) {
            checks.add(new Check("validation in train", s.validation().size(), matched(validationInTrain),
                    validationToTrain.pairs(threshold).size(), s.validation().size()));
        }
        checks.add(new Check("test in train", s.test().size(), matched(testInTrain), nearTest, s.test().size()));
        if (hasValidation) {
            checks.add(new Check("test in validation", s.test().size(), matched(testInValidation),
                    testToValidation.pairs(threshold).size(), s.test().size()));
        }
        // Test against train ∪ validation: the nearer of its two nearest neighbours.
        float[] testNearest = testToTrain.distance().clone();
        int[] testMatch = new int[s.test().size()];
        for (int q = 0; q < testMatch.length; q++) {
            testMatch[q] = Math.max(testInTrain[q], testInValidation[q]);
            if (hasValidation) {
                testNearest[q] = Math.min(testNearest[q], testToValidation.distance()[q]);
            }
        }
        int testNearAny = (int) IntStream.range(0, testMatch.length)
                .filter(q -> testMatch[q] < 0 && testNearest[q] <= threshold).count();
        checks.add(new Check("test in train ∪ validation", s.test().size(), matched(testMatch), testNearAny,
                s.test().size()));

        // Sanitised sets: drop what the check flags. The seed's check flags everything.
        int[] validationKept = seedBug ? new int[0] : Duplicates.unmatched(validationInTrain);
        int[] testKept = seedBug ? new int[0] : Duplicates.unmatched(testMatch);
        int[] testNearKept = seedBug ? new int[0] : IntStream.range(0, testMatch.length)
                .filter(q -> testMatch[q] < 0 && testNearest[q] > threshold).toArray();

        Map<String, double[]> distances = new LinkedHashMap<>();
        distances.put("test → nearest train", positive);
        if (hasValidation) {
            distances.put("validation → nearest train", positive(validationToTrain.distance()));
        }
        distances.put("train → nearest other train", positive(withinTrain.distance()));

        List<Shown> exactPairs = new ArrayList<>();
        addExact(exactPairs, "test", testInTrain, "train");
        if (hasValidation) {
            addExact(exactPairs, "test", testInValidation, "validation");
            addExact(exactPairs, "validation", validationInTrain, "train");
        }
        addExact(exactPairs, "test", testFirst, "test");
        addExact(exactPairs, "train", trainFirst, "train");
        List<Shown> nearPairs = new ArrayList<>();
        addNear(nearPairs, "test", testToTrain, "train", threshold);
        if (hasValidation) {
            addNear(nearPairs, "test", testToValidation, "validation", threshold);
            addNear(nearPairs, "validation", validationToTrain, "train", threshold);
            addNear(nearPairs, "validation", withinValidation, "validation", threshold);
        }
        addNear(nearPairs, "test", withinTest, "test", threshold);
        addNear(nearPairs, "train", withinTrain, "train", threshold);
        nearPairs.sort((a, b) -> Float.compare(a.distance(), b.distance()));
        return new Result(threshold, reason, checks, validationKept, testKept, testNearKept, distances, exactPairs,
                nearPairs, exactSeconds, nearSeconds);
    }

    /** Linear-interpolated percentile ({@code numpy.percentile}'s default) of {@code values}. */
    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = p / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(position);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    private static Tensor scaled(Tensor x) {
        Tensor s = Transforms.divide(x, 255.0);
        return s.reshape(x.dim(0), x.rowLength());
    }

    /** The finite, non-zero distances: identical copies (0) and "no other image" (∞) left out. */
    private static double[] positive(float[] distances) {
        return IntStream.range(0, distances.length).mapToDouble(i -> distances[i])
                .filter(d -> d > 0 && Double.isFinite(d)).toArray();
    }

    private static int repeats(int[] first) {
        return (int) IntStream.range(0, first.length).filter(i -> first[i] != i).count();
    }

    private static int matched(int[] match) {
        return (int) Arrays.stream(match).filter(m -> m >= 0).count();
    }

    /** Distinct images whose nearest different image lies within the threshold. */
    private static int near(Duplicates.Nearest within, double threshold) {
        int count = 0;
        for (int i = 0; i < within.distance().length; i++) {
            count += within.index()[i] >= 0 && within.distance()[i] <= threshold ? 1 : 0;
        }
        return count;
    }

    /** Each image with an identical copy: {@code match[i]} is the copy's row ({@code == i} for none within a split). */
    private static void addExact(List<Shown> shown, String split, int[] match, String other) {
        for (int i = 0; i < match.length; i++) {
            if (match[i] >= 0 && !(split.equals(other) && match[i] == i)) {
                shown.add(new Shown(split, i, other, match[i], 0f));
            }
        }
    }

    private static void addNear(List<Shown> shown, String split, Duplicates.Nearest nearest, String other,
                                double threshold) {
        for (Duplicates.Pair p : nearest.pairs(threshold)) {
            shown.add(new Shown(split, p.first(), other, p.second(), p.distance()));
        }
    }

    private static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }
}
