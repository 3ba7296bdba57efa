package glassbox.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import glassbox.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code glassbox run mnist-study --quick} end to end on a synthetic MNIST written by the test (each class a
 * bright bar at its own place, plus noise), and the selection study's arithmetic on hand-worked inputs.
 */
class MnistStudyTest {
    private static final int TRAIN = 600;
    private static final int TEST = 200;
    private static final List<String> FIGURES = List.of("threshold.png", "amplify.png", "power.png", "selection.png",
            "mse_histogram.png", "typical_images.png");

    @TempDir
    static Path home;

    @BeforeAll
    static void writeSyntheticMnist() throws IOException {
        SyntheticMnist.write(home, TRAIN, TEST, 7);
    }

    @Test
    void quickRunWritesParsableResultsAndEveryFigure() throws IOException {
        Path runs = home.resolve("runs");
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", "mnist-study", "--quick", "--home", home.toString(),
                "--runs-dir", runs.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(0, code, "exit code; stderr: " + err);

        Path run;
        try (Stream<Path> dirs = Files.list(runs.resolve("mnist-study"))) {
            run = dirs.findFirst().orElseThrow();
        }
        Map<?, ?> results = Json.read(run.resolve("results.json"), Map.class);
        for (String key : List.of("notes", "threshold", "amplify", "power", "selection", "seed_notebook_comparison",
                "trials")) {
            assertTrue(results.containsKey(key), "results.json lacks '" + key + "': " + results.keySet());
        }
        int repeats = 5;
        int models = repeats * (1 + 2 * (6 + 4 + 4)) + 5 * (1 + 5);
        assertEquals(models, ((List<?>) results.get("trials")).size(), "one trial per model evaluated");

        List<String> lines = Files.readAllLines(run.resolve("results.csv"));
        assertEquals("study,setting,value,seed,model,train_samples,test_loss,test_accuracy,train_seconds,status",
                lines.get(0));
        assertEquals(models + 1, lines.size(), "header + one line per model");
        double baselineAccuracy = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            assertEquals(10, cells.length, "cells of: " + line);
            double accuracy = Double.parseDouble(cells[7]);
            assertTrue(Double.isNaN(accuracy) || (accuracy >= 0 && accuracy <= 1), "accuracy of: " + line);
            if (cells[0].equals("baseline")) {
                baselineAccuracy += accuracy / repeats;
            }
        }
        // 19 steps on ten well-separated bars already give ~0.45; guessing gives 0.1
        assertTrue(baselineAccuracy > 0.25, "baseline learnt nothing: mean test accuracy " + baselineAccuracy);

        Map<?, ?> config = Json.read(run.resolve("config.json"), Map.class);
        assertEquals(Boolean.TRUE, ((Map<?, ?>) config.get("settings")).get("quick"));
        assertEquals("normalized", ((Map<?, ?>) config.get("settings")).get("selection_input"),
                "the selection study runs on normalised pixels unless told otherwise");
        assertFalse(((List<?>) results.get("notes")).contains(MnistStudySelection.RAW_INPUT_STALLS));
        for (String figure : FIGURES) {
            BufferedImage image = ImageIO.read(run.resolve(figure).toFile());
            assertNotNull(image, figure + " is not a readable image");
            assertTrue(image.getWidth() > 100 && image.getHeight() > 100, figure + " is too small");
        }
    }

    @Test
    void rawSelectionInputIsStillAvailableAndExplainsWhyItStalls() throws IOException {
        Path runs = home.resolve("runs-raw");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream original = System.out;
        StringWriter err = new StringWriter();
        int code;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute(new String[]{"run", "mnist-study", "--quick", "--studies", "selection",
                "--selection-seeds", "0", "--quantiles", "0.9", "--selection-input", "raw", "--home", home.toString(),
                "--runs-dir", runs.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        } finally {
            System.setOut(original);
        }
        assertEquals(0, code, "exit code; stderr: " + err);

        String printed = stdout.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(MnistStudySelection.RAW_INPUT_STALLS), "the explanation is printed:\n" + printed);
        assertTrue(printed.indexOf(MnistStudySelection.RAW_INPUT_STALLS) < printed.indexOf("[selection: full data"),
                "before the first selection network trains");
        for (String why : List.of("saturates", "clips", "no gradient")) {
            assertTrue(MnistStudySelection.RAW_INPUT_STALLS.contains(why), why);
        }
        Path run;
        try (Stream<Path> dirs = Files.list(runs.resolve("mnist-study"))) {
            run = dirs.findFirst().orElseThrow();
        }
        Map<?, ?> results = Json.read(run.resolve("results.json"), Map.class);
        assertTrue(((List<?>) results.get("notes")).contains(MnistStudySelection.RAW_INPUT_STALLS), "kept in notes");
        Map<?, ?> config = Json.read(run.resolve("config.json"), Map.class);
        assertEquals("raw", ((Map<?, ?>) config.get("settings")).get("selection_input"));
    }

    @Test
    void unknownFlagExitsWithCode2AndUsage() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[]{"run", "mnist-study", "--no-such-flag", "--home", home.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--no-such-flag") && err.toString().contains("Usage"), err.toString());
    }

    @Test
    void unknownStudyOrQuantileIsAUsageError() {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new String[]{"run", "mnist-study", "--studies", "sharpen", "--home",
                home.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err)));
        assertTrue(err.toString().contains("sharpen"), err.toString());
        StringWriter err2 = new StringWriter();
        assertEquals(2, Main.execute(new String[]{"run", "mnist-study", "--quantiles", "1.5", "--home",
                home.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err2)));
        assertTrue(err2.toString().contains("--quantiles"), err2.toString());
    }

    @Test
    void quantileInterpolatesLinearlyAsPandas() {
        double[] v = {4, 1, 3, 2}; // sorted 1 2 3 4; h = 3q
        assertEquals(1.0, MnistStudySelection.quantile(v, 0), 1e-12);
        assertEquals(2.5, MnistStudySelection.quantile(v, 0.5), 1e-12);
        assertEquals(3.7, MnistStudySelection.quantile(v, 0.9), 1e-12); // h = 2.7: 3 + 0.7·(4 − 3)
        assertEquals(4.0, MnistStudySelection.quantile(v, 1), 1e-12);
    }

    @Test
    void selectionKeepsOnlyValuesStrictlyBelowTheThreshold() {
        assertArrayEquals(new int[]{1, 3}, MnistStudySelection.below(new double[]{0.5, 0.1, 0.3, 0.2}, 0.3));
    }

    @Test
    void distanceToClassMeanAveragesSquaredDeviationsOverFeatures() {
        // class 0: rows (0, 0) and (2, 4), mean (1, 2); class 1: the single row (5, 5), its own mean
        Tensor features = new Tensor(new float[]{0, 0, 5, 5, 2, 4}, 3, 2);
        double[] mse = MnistStudySelection.distanceToClassMean(features, new int[]{0, 1, 0}, 2);
        assertArrayEquals(new double[]{(1 + 4) / 2.0, 0, (1 + 4) / 2.0}, mse, 1e-12);
    }
}
