package glassbox.experiments;

import glassbox.data.IdxFiles;
import glassbox.util.Json;
import glassbox.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code glassbox run dataset-hygiene --quick} end to end on synthetic MNIST with planted exact and near
 * duplicates, and on a notMNIST-style PNG folder with a corrupt file: the counts found, sanitised sets that hold
 * no image of the earlier splits (checked pixel by pixel against the images the test wrote), the seed's bug
 * reproduced, the figures, and the usage errors.
 */
class DatasetHygieneTest {
    private static final int TRAIN = 400;
    private static final int TEST = 150;

    @TempDir
    static Path home;
    static int[][] train = new int[TRAIN][];
    static int[][] test = new int[TEST][];

    /**
     * Synthetic MNIST with, planted: in train, rows 100 and 101 copy row 3 and row 200 copies row 7 (3 repeats)
     * and row 300 is row 10 with three background pixels raised by 40 (a near pair, d = √3·40/255 ≈ 0.27); in
     * test, rows 5, 6, 7 copy train rows 20, 21, 3, row 8 is train row 30 with two pixels raised by 50 (near,
     * d ≈ 0.28), row 100 copies test row 9 and row 120 is test row 11 nudged (near).
     */
    @BeforeAll
    static void writePlantedData() throws IOException {
        Rng rng = new Rng(11);
        for (int i = 0; i < TRAIN; i++) {
            train[i] = SyntheticMnist.image(i % 10, rng);
        }
        for (int i = 0; i < TEST; i++) {
            test[i] = SyntheticMnist.image(i % 10, rng);
        }
        train[100] = train[3].clone();
        train[101] = train[3].clone();
        train[200] = train[7].clone();
        train[300] = nudged(train[10], 3, 40);
        test[5] = train[20].clone();
        test[6] = train[21].clone();
        test[7] = train[3].clone();
        test[8] = nudged(train[30], 2, 50);
        test[100] = test[9].clone();
        test[120] = nudged(test[11], 3, 40);
        Path dir = home.resolve("data").resolve("mnist");
        Files.createDirectories(dir);
        writeIdx(dir, "train", train);
        writeIdx(dir, "t10k", test);
    }

    /** A copy with its first {@code pixels} pixels (top-left background: 0 or faint noise < 60) raised by {@code by}. */
    private static int[] nudged(int[] image, int pixels, int by) {
        int[] copy = image.clone();
        for (int k = 0; k < pixels; k++) {
            copy[k] += by;
        }
        return copy;
    }

    private static void writeIdx(Path dir, String prefix, int[][] images) throws IOException {
        byte[] pixels = new byte[images.length * 784];
        byte[] labels = new byte[images.length];
        for (int i = 0; i < images.length; i++) {
            labels[i] = (byte) (i % 10);
            for (int k = 0; k < 784; k++) {
                pixels[i * 784 + k] = (byte) images[i][k];
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), IdxFiles.idx(0x803, new int[]{images.length, 28, 28}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxFiles.idx(0x801, new int[]{images.length}, labels));
    }

    private static Path newestRun(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs.resolve("dataset-hygiene"))) {
            return dirs.max(Path::compareTo).orElseThrow();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> results(Path runs) throws IOException {
        return Json.read(newestRun(runs).resolve("results.json"), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> check(Map<String, Object> results, String name) {
        return ((List<Map<String, Object>>) results.get("checks")).stream().filter(c -> name.equals(c.get("check")))
                .findFirst().orElseThrow(() -> new AssertionError("no check " + name + " in " + results.get("checks")));
    }

    private static int number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    @SuppressWarnings("unchecked")
    private static int[] rows(Map<String, Object> results, String key) {
        return ((List<Number>) results.get(key)).stream().mapToInt(Number::intValue).toArray();
    }

    private static Set<String> contents(int[][] images, int[] rows) {
        Set<String> set = new HashSet<>();
        for (int r : rows) {
            set.add(Arrays.toString(images[r]));
        }
        return set;
    }

    private static CommandLine run(Path runs, String... flags) {
        String[] args = Stream.concat(Stream.of("run", "dataset-hygiene", "--quick", "--home", home.toString(),
                "--runs-dir", runs.toString()), Stream.of(flags)).toArray(String[]::new);
        return CommandLine.run(args);
    }

    @Test
    void findsThePlantedExactAndNearDuplicatesAndDrawsThem(@TempDir Path runs) throws IOException {
        CommandLine r = run(runs, "--validation", "0");

        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("np.where returns a tuple") && r.out().contains("--seed-overlap-bug"), r.out());
        Map<String, Object> results = results(runs);
        double threshold = ((Number) results.get("near_threshold")).doubleValue();
        assertTrue(threshold > 0.3 && threshold < 1.5, "threshold " + threshold + " should sit between the planted "
                + "near copies (≤ 0.28) and ordinary neighbours of the synthetic set");

        assertEquals(3, number(check(results, "within train"), "exact"));
        assertEquals(2, number(check(results, "within train"), "near"));     // rows 10 and 300, each other's nearest
        assertEquals(1, number(check(results, "within test"), "exact"));
        assertEquals(2, number(check(results, "within test"), "near"));
        assertEquals(3, number(check(results, "test in train"), "exact"));
        assertEquals(1, number(check(results, "test in train"), "near"));
        assertEquals(TEST, number(check(results, "test in train"), "seed_check"));

        int[] kept = rows(results, "sanitised_test_source_rows");
        int[] nearKept = rows(results, "near_sanitised_test_source_rows");
        assertEquals(TEST - 3, kept.length);
        assertEquals(TEST - 4, nearKept.length);
        Set<String> trainImages = contents(train, rows(results, "train_source_rows"));
        assertEquals(TRAIN - 3, trainImages.size());
        for (int t : kept) {
            assertFalse(trainImages.contains(Arrays.toString(test[t])), "sanitised test keeps test row " + t);
        }
        assertTrue(Arrays.stream(kept).anyMatch(t -> t == 8) && Arrays.stream(nearKept).noneMatch(t -> t == 8));

        Path dir = newestRun(runs);
        for (String png : List.of("nn_distance.png", "exact_pairs.png", "near_pairs.png", "accuracy_vs_size.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertNotNull(image, png);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sizes = (List<Map<String, Object>>) results.get("sizes");
        assertEquals(List.of(50, 100, TRAIN), sizes.stream().map(s -> number(s, "training_images")).toList());
        assertTrue(Files.exists(dir.resolve("results.csv")) && Files.exists(dir.resolve("config.json")));
    }

    @Test
    void sanitisedSetsHoldNoImageOfTheSplitsBefore(@TempDir Path runs) throws IOException {
        CommandLine r = run(runs, "--validation", "120", "--seed", "3");
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, Object> results = results(runs);
        int[] trainRows = rows(results, "train_source_rows");
        int[] validationRows = rows(results, "validation_source_rows");
        assertEquals(120, validationRows.length);
        assertEquals(TRAIN, trainRows.length + validationRows.length);
        Set<String> trainImages = contents(train, trainRows);
        Set<String> earlier = new HashSet<>(trainImages);
        earlier.addAll(contents(train, validationRows));

        int[] validationKept = rows(results, "sanitised_validation_source_rows");
        for (int v : validationKept) {
            assertFalse(trainImages.contains(Arrays.toString(train[v])), "sanitised validation keeps train row " + v);
        }
        int removed = (int) Arrays.stream(validationRows).filter(v -> trainImages.contains(Arrays.toString(train[v])))
                .count();
        assertEquals(validationRows.length - removed, validationKept.length);
        assertEquals(removed, number(check(results, "validation in train"), "exact"));

        int[] testKept = rows(results, "sanitised_test_source_rows");
        for (int t : testKept) {
            assertFalse(earlier.contains(Arrays.toString(test[t])), "sanitised test keeps test row " + t);
        }
        // Test rows 5, 6, 7 copy training-file images, wherever the split put them.
        assertEquals(3, number(check(results, "test in train ∪ validation"), "exact"));
        assertEquals(TEST - 3, testKept.length);
    }

    @Test
    void seedOverlapBugFlagsEveryImageAndSkipsTheSanitisedEvaluation(@TempDir Path runs) throws IOException {
        CommandLine r = run(runs, "--seed-overlap-bug", "--validation", "50");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("--seed-overlap-bug: the seed's check"), r.out());
        assertTrue(r.out().contains("sanitised evaluation is skipped"), r.out());
        Map<String, Object> results = results(runs);
        assertEquals(0, rows(results, "sanitised_test_source_rows").length);
        assertEquals(0, rows(results, "sanitised_validation_source_rows").length);
        assertEquals(50, number(check(results, "validation in train"), "seed_check"));
        assertEquals(3, number(check(results, "test in train ∪ validation"), "exact"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sizes = (List<Map<String, Object>>) results.get("sizes");
        for (Map<String, Object> s : sizes) {
            assertNull(s.get("sanitised_test_accuracy"));
            assertNotNull(s.get("test_accuracy"));
        }
    }

    /** A 28 × 28 greyscale PNG of {@code image}. */
    private static void png(Path file, int[] image) throws IOException {
        BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        png.getRaster().setPixels(0, 0, 28, 28, image);
        Files.createDirectories(file.getParent());
        ImageIO.write(png, "png", file.toFile());
    }

    @Test
    void readsANotMnistFolderSkippingTheCorruptFile(@TempDir Path root, @TempDir Path runs) throws IOException {
        // Ten class folders A … J of 10 images each; A/a9.png repeats A/a0.png; J/broken.png is not a PNG.
        Path folder = root.resolve("notMNIST_small");
        Rng rng = new Rng(4);
        for (int c = 0; c < 10; c++) {
            String letter = String.valueOf((char) ('A' + c));
            for (int i = 0; i < 10; i++) {
                png(folder.resolve(letter).resolve(letter.toLowerCase() + i + ".png"), SyntheticMnist.image(c, rng));
            }
        }
        Files.copy(folder.resolve("A/a0.png"), folder.resolve("A/a9.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(folder.resolve("J/broken.png"), "not a PNG", StandardCharsets.US_ASCII);

        CommandLine r = run(runs, "--notmnist", folder.toString(), "--validation", "0");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("skipped 1 unreadable file (J/broken.png)"), r.out());
        Map<String, Object> results = results(runs);
        assertEquals(List.of("J/broken.png"), results.get("skipped_files"));
        assertEquals(75, number(check(results, "within train"), "images"));  // 100 readable, 25 % test
        assertEquals(25, number(check(results, "test in train"), "images"));
        int copies = number(check(results, "within train"), "exact") + number(check(results, "within test"), "exact")
                + number(check(results, "test in train"), "exact");
        assertEquals(1, copies, "the one planted copy is found wherever the split put it");

        // The notebook's layout: a separate test folder, holding a copy of a training image.
        Path testFolder = root.resolve("notMNIST_test");
        for (int c = 0; c < 10; c++) {
            String letter = String.valueOf((char) ('A' + c));
            png(testFolder.resolve(letter).resolve("t.png"), SyntheticMnist.image(c, rng));
        }
        Files.copy(folder.resolve("C/c4.png"), testFolder.resolve("C/copy.png"));
        r = run(runs, "--notmnist", folder.toString(), "--notmnist-test", testFolder.toString(), "--validation", "0");
        assertEquals(0, r.code(), r.err() + r.out());
        results = results(runs);
        assertEquals(11, number(check(results, "test in train"), "images"));
        assertEquals(1, number(check(results, "test in train"), "exact"));
        assertEquals(1, number(check(results, "within train"), "exact"));
    }

    @Test
    void rejectsBadFlags(@TempDir Path runs) {
        CommandLine r = run(runs, "--dataset", "cifar10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--dataset must be mnist or fashion-mnist, got 'cifar10'"), r.err());
        r = run(runs, "--near-threshold", "-1", "--sizes", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--near-threshold must be a finite distance >= 0, got -1.0"), r.err());
        assertTrue(r.err().contains("--sizes must be positive"), r.err());
        r = run(runs, "--notmnist", runs.resolve("missing").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--notmnist: no folder"), r.err());
        r = run(runs, "--validation", "5000");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--validation 5000 must lie in [0, 400)"), r.err());
    }

    @Test
    void percentileInterpolatesAsNumPy() {
        // numpy.percentile([4, 1, 3, 2], 5) = 1.15; 50 → 2.5; 100 → 4
        double[] v = {4, 1, 3, 2};
        assertEquals(1.15, DatasetHygieneOverlaps.percentile(v, 5), 1e-12);
        assertEquals(2.5, DatasetHygieneOverlaps.percentile(v, 50), 1e-12);
        assertEquals(4, DatasetHygieneOverlaps.percentile(v, 100), 1e-12);
    }
}
