package glassbox.experiments;

import glassbox.util.Csv;
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
 * {@code glassbox run kmeans-labels} and {@code glassbox run fashion-embedding} end to end with {@code --quick}
 * on synthetic MNIST and Fashion-MNIST written by the test: exit code, printed notes, every figure and result
 * file; and their usage errors.
 */
class UnsupervisedExperimentsTest {
    @TempDir
    static Path home;

    @BeforeAll
    static void writeSyntheticData() throws IOException {
        SyntheticMnist.write(home, "mnist", 600, 200, 5);
        SyntheticMnist.write(home, "fashion-mnist", 600, 200, 7);
    }

    private static CommandLine run(String... args) {
        return CommandLine.run(args);
    }

    private static Path newestRun(Path runs, String experiment) throws IOException {
        try (Stream<Path> dirs = Files.list(runs.resolve(experiment))) {
            return dirs.max(Path::compareTo).orElseThrow();
        }
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.exists(file), "missing " + file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a PNG");
        assertTrue(image.getWidth() > 100 && image.getHeight() > 100, file + " is " + image.getWidth() + "×"
                + image.getHeight());
    }

    @Test
    void kmeansLabelsQuickRunsTheWholeStudyAndWritesItsFigures(@TempDir Path runs) throws IOException {
        CommandLine r = run("run", "kmeans-labels", "--quick", "--home", home.toString(), "--runs-dir", runs.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("from_logits=True") && r.out().contains("--seed-logits-bug"), r.out());
        assertTrue(r.out().contains("--seed-test-selection"), r.out());
        assertTrue(r.out().contains("seed notebook"), r.out());
        Path dir = newestRun(runs, "kmeans-labels");
        for (String png : List.of("centres.png", "closest.png", "dirty_loss.png", "dirty_accuracy.png", "few_loss.png",
                "few_accuracy.png")) {
            assertPng(dir.resolve(png));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> results = Json.read(dir.resolve("results.json"), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> seeds = (List<Map<String, Object>>) results.get("seeds");
        assertEquals(1, seeds.size());
        double closest = ((Number) seeds.get(0).get("test_accuracy_closest")).doubleValue();
        // ten well-separated synthetic classes: 120 clusters labelled by their closest image are nearly all right
        assertTrue(closest > 0.9, "closest-image labelling accuracy " + closest);
        assertTrue(Files.exists(dir.resolve("results.csv")) && Files.exists(dir.resolve("config.json")));

        // the board's embedding: training images on their PCA plane, each with its label and cluster
        Csv.Table embedding = Csv.read(dir.resolve(RunFolder.EMBEDDING));
        assertEquals(List.of("split", "index", "pca_1", "pca_2", "label", "kmeans", "cluster_label"), embedding.header());
        assertTrue(!embedding.rows().isEmpty() && embedding.rows().size() <= 600, embedding.rows().size() + " points");
        for (List<String> row : embedding.rows()) {
            assertEquals("train", row.get(0));
            // SyntheticMnist's training image i is of class i % 10
            assertEquals(Integer.parseInt(row.get(1)) % 10, Integer.parseInt(row.get(4)), "the true label of " + row);
        }
    }

    @Test
    void kmeansLabelsRejectsBadFlags(@TempDir Path runs) {
        CommandLine r = run("run", "kmeans-labels", "--clusters", "5", "--home", home.toString(), "--runs-dir",
                runs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--clusters must be >= 10"), r.err());
        r = run("run", "kmeans-labels", "--validation-split", "1.5", "--home", home.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--validation-split"), r.err());
    }

    @Test
    void fashionEmbeddingTrainsWhenNoModelIsFoundThenReusesAGivenOne(@TempDir Path runs) throws IOException {
        CommandLine first = run("run", "fashion-embedding", "--quick", "--home", home.toString(), "--runs-dir",
                runs.toString());
        assertEquals(0, first.code(), first.err() + first.out());
        assertTrue(first.out().contains("no custom-model.gbx found"), first.out());
        assertTrue(first.out().contains("Flatten"), first.out());
        Path dir = newestRun(runs, "fashion-embedding");
        for (String png : List.of("pca_labels.png", "pca_dbscan.png", "pca_kmeans.png", "knn_distance.png",
                "tsne_labels.png", "tsne_dbscan.png", "tsne_kmeans.png", "kmeans_samples.png")) {
            assertPng(dir.resolve(png));
        }
        Path model = dir.resolve("custom-model.gbx");
        assertTrue(Files.exists(model));
        @SuppressWarnings("unchecked")
        Map<String, Object> results = Json.read(dir.resolve("results.json"), Map.class);
        assertEquals(2304.0, ((Number) results.get("features")).doubleValue());
        assertTrue(results.containsKey("dbscan") && results.containsKey("kmeans") && results.containsKey("tsne"));
        Csv.Table embedding = Csv.read(dir.resolve(RunFolder.EMBEDDING));
        assertEquals(List.of("split", "index", "pca_1", "pca_2", "tsne_1", "tsne_2", "label", "dbscan", "kmeans"),
                embedding.header());
        assertEquals(((Number) results.get("points")).intValue(), embedding.rows().size());
        long noise = embedding.rows().stream().filter(row -> row.get(7).equals("-1")).count();
        assertEquals(((Number) ((Map<?, ?>) results.get("dbscan")).get("noise")).longValue(), noise,
                "DBSCAN's noise points as results.json counts them");

        CommandLine second = run("run", "fashion-embedding", "--quick", "--model", model.toString(), "--home",
                home.toString(), "--runs-dir", runs.toString());
        assertEquals(0, second.code(), second.err() + second.out());
        assertFalse(second.out().contains("no custom-model.gbx found"), second.out());
        assertTrue(second.out().contains("custom network: " + model), second.out());
    }

    @Test
    void fashionEmbeddingRejectsBadFlags(@TempDir Path runs) {
        CommandLine r = run("run", "fashion-embedding", "--eps", "0", "--home", home.toString(), "--runs-dir",
                runs.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--eps must be > 0, got 0.0"), r.err());
        r = run("run", "fashion-embedding", "--model", runs.resolve("missing.gbx").toString(), "--home",
                home.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--model: no file"), r.err());
    }
}
