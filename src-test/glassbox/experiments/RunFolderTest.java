package glassbox.experiments;

import glassbox.tensor.Tensor;
import glassbox.util.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run folder's life (running → finished or failed) and its embedding file. */
class RunFolderTest {
    @TempDir
    Path runs;

    @Test
    void aRunIsRunningThenFinishedOrFailed() throws IOException {
        RunFolder run = RunFolder.create(runs, "mnist-mlp");
        RunReader reader = new RunReader(runs);
        String id = "mnist-mlp/" + run.dir().getFileName();
        assertEquals("running", reader.find(id).orElseThrow().state(), "this JVM writes it");
        run.finish(null);
        assertEquals("finished", reader.find(id).orElseThrow().state());
        RunFolder failed = RunFolder.create(runs, "mnist-mlp");
        failed.finish("mnist: data/mnist lacks train-images-idx3-ubyte");
        RunReader.Run read = reader.find("mnist-mlp/" + failed.dir().getFileName()).orElseThrow();
        assertEquals("failed", read.state());
        assertEquals("mnist: data/mnist lacks train-images-idx3-ubyte", read.status().get("error").getAsString());
    }

    @Test
    void writesAnEmbeddingRowPerPointAndRefusesPointsOfTheWrongShape() throws IOException {
        RunFolder run = RunFolder.create(runs, "kmeans-labels");
        Map<String, Tensor> methods = new LinkedHashMap<>();
        methods.put("pca", new Tensor(new float[]{1, 2, 3, 4, 5, 6}, 3, 2));
        run.writeEmbedding("train", new int[]{7, 8, 9}, methods, Map.of("label", new int[]{0, 1, 2}));
        Csv.Table table = Csv.read(run.file(RunFolder.EMBEDDING));
        assertEquals(List.of("split", "index", "pca_1", "pca_2", "label"), table.header());
        assertEquals(List.of("train", "8", "3.0", "4.0", "1"), table.rows().get(1));

        Files.delete(run.file(RunFolder.EMBEDDING));
        methods.put("tsne", new Tensor(new float[]{1, 2, 3, 4}, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run.writeEmbedding("train", new int[]{7, 8, 9}, methods, Map.of("label", new int[]{0, 1, 2})));
        assertTrue(e.getMessage().contains("embedding tsne: points must be 3 × 2, not (2, 2)"), e.getMessage());
        assertFalse(Files.exists(run.file(RunFolder.EMBEDDING)), "nothing written");
    }
}
