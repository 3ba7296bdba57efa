package glassbox.experiments;

import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.util.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code glassbox run autoencoder --quick} end to end on synthetic MNIST written by the test: exit code, the
 * printed notes and table, every figure and result file, the saved encoder + classifier; and usage errors.
 */
class AutoencoderFeaturesTest {
    @TempDir
    static Path home;

    @BeforeAll
    static void writeSyntheticData() throws IOException {
        SyntheticMnist.write(home, "mnist", 256, 100, 3); // two training batches of 128
    }

    private static Path newestRun(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs.resolve("autoencoder"))) {
            return dirs.max(Path::compareTo).orElseThrow();
        }
    }

    private static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.exists(file), "missing " + file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a PNG");
        return image;
    }

    @Test
    @SuppressWarnings("unchecked")
    void quickRunTrainsTheAutoencoderAndTheThreeClassifiersAndWritesEverything(@TempDir Path runs) throws IOException {
        CommandLine r = CommandLine.run("run", "autoencoder", "--quick", "--home", home.toString(), "--runs-dir",
                runs.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("printed no figure"), r.out());
        assertTrue(r.out().contains("model == Sequential()") && r.out().contains("--seed-test-selection"), r.out());
        assertTrue(r.out().contains("Total params: 4,969"), "the autoencoder's summary");
        assertFalse(r.out().contains("expected duration"), "--quick skips the estimate");

        Path dir = newestRun(runs);
        BufferedImage recon = png(dir.resolve("reconstructions.png"));
        // 10 columns of 28·3 pixels and two rows (originals, reconstructions), laid out as ImageGrid documents
        assertEquals(4 + 10 * (84 + 4), recon.getWidth());
        assertEquals(4 + 2 * (84 + 14 + 4), recon.getHeight());
        BufferedImage codes = png(dir.resolve("codes.png"));
        assertEquals(4 + (9 * 28 + 8 * 4) * 2 + 4, codes.getWidth());
        assertEquals(4 + 10 * (56 + 14 + 4), codes.getHeight(), "one row per digit");
        for (String name : List.of("reconstruction_loss.png", "code_pca.png", "classifier_accuracy.png")) {
            assertTrue(png(dir.resolve(name)).getWidth() > 100, name);
        }

        Map<String, Object> results = Json.read(dir.resolve("results.json"), Map.class);
        assertEquals("none printed", results.get("seed_notebook_figures"));
        List<Map<String, Object>> seeds = (List<Map<String, Object>>) results.get("seeds");
        assertEquals(1, seeds.size());
        Map<String, Object> seed = seeds.get(0);
        double codesAccuracy = number(((Map<String, Object>) seed.get("codes")).get("test_accuracy"));
        for (String name : AutoencoderFeatures.CLASSIFIERS) {
            double acc = number(((Map<String, Object>) seed.get(name)).get("test_accuracy"));
            assertTrue(acc >= 0 && acc <= 1, name + " accuracy " + acc);
        }
        assertEquals(codesAccuracy, number(seed.get("stacked_test_accuracy")), 1e-12,
                "the stacked encoder + classifier must score exactly what the classifier scored on the codes");
        double loss = number(seed.get("autoencoder_test_loss"));
        assertTrue(loss > 0 && loss < Math.log(2) + 0.1, "reconstruction BCE " + loss);
        assertEquals(2, Files.readAllLines(dir.resolve("results.csv")).size());
        assertTrue(Files.exists(dir.resolve("config.json")));

        Sequential stacked = ModelFiles.load(dir.resolve("encoder_classifier.gbx"));
        assertEquals(10, stacked.layers().size(), "6 encoder layers + Flatten, Dense, Dropout, Dense");
        assertEquals(SeedModels.AUTOENCODER_CODE_LAYER, stacked.layers().get(5).name());
        Sequential autoencoder = ModelFiles.load(dir.resolve(AutoencoderFeatures.AUTOENCODER_FILE));
        assertEquals(SeedModels.convAutoencoder(0).summary(), autoencoder.summary(), "the seed's autoencoder, whole");
    }

    @Test
    void badFlagsAreUsageErrors(@TempDir Path runs) {
        CommandLine r = CommandLine.run("run", "autoencoder", "--epochs", "0", "--home", home.toString(), "--runs-dir",
                runs.toString());
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("--epochs and --classifier-epochs must be >= 1, got 0"), r.err());
        CommandLine split = CommandLine.run("run", "autoencoder", "--validation-split", "1", "--home", home.toString(),
                "--runs-dir", runs.toString());
        assertEquals(2, split.code());
        assertTrue(split.err().contains("--validation-split must lie in (0, 1), got 1.0"), split.err());
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }
}
