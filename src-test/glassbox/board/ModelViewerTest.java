package glassbox.board;

import glassbox.metrics.ConfusionMatrix;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the model viewer computes is the engine's own: each layer's output equals
 * {@link Sequential#layerOutput}, the top class equals the arg max of {@link Sequential#predict} (through
 * BatchNormalization and Dropout in inference mode), the filters are the kernel's values, the confusion matrix
 * is {@link ConfusionMatrix#of} with each cell's list exactly its images; and a corrupt file is one line.
 */
class ModelViewerTest {
    private static Sequential classifier;
    private static Sequential autoencoder;
    private static Tensor[] test;

    @BeforeAll
    static void train() {
        classifier = BoardModels.classifier(5);
        autoencoder = BoardModels.autoencoder();
        test = BoardModels.data(60, 5, 9);
    }

    private static Tensor image(int i) {
        return test[0].slice(i, i + 1);
    }

    @Test
    void eachLayerOutputIsTheEnginesLayerOutput() {
        ModelViewer viewer = new ModelViewer(classifier, "m.gbx");
        for (int i : new int[]{0, 7, 13}) {
            List<Tensor> outputs = viewer.layerOutputs(image(i));
            List<Layer> layers = classifier.layers();
            assertEquals(layers.size(), outputs.size());
            for (int l = 0; l < layers.size(); l++) {
                Tensor expected = classifier.layerOutput(layers.get(l).name(), image(i), 1);
                assertArrayEquals(expected.shape(), outputs.get(l).shape(), layers.get(l).name());
                assertArrayEquals(expected.data(), outputs.get(l).data(), layers.get(l).name() + ", image " + i);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void topClassIsTheArgmaxOfPredictForEveryImage() {
        ModelViewer viewer = new ModelViewer(classifier, "m.gbx");
        Tensor predicted = classifier.predict(test[0]);
        List<String> names = List.of("a", "b", "c", "d", "e");
        for (int i = 0; i < test[0].dim(0); i++) {
            Map<String, Object> result = viewer.infer(image(i), new float[784], i % 5, names);
            Map<String, Object> prediction = (Map<String, Object>) result.get("prediction");
            int expected = ModelViewer.argmax(predicted.data(), i * 5, 5);
            assertEquals(expected, prediction.get("class"), "image " + i);
            assertEquals(names.get(expected), prediction.get("class_name"));
            double[] values = (double[]) prediction.get("values");
            for (int k = 0; k < 5; k++) {
                // predict batches 32 images: a product of another shape, so the last bit may differ
                assertEquals(predicted.data()[i * 5 + k], values[k], 1e-6, "probability " + k + " of image " + i);
            }
        }
        assertArrayEquals(viewer.predictClasses(test[0]), argmaxRows(predicted));
    }

    @Test
    @SuppressWarnings("unchecked")
    void featureMapsAreOnePerChannelScaledToTheirOwnRange() {
        ModelViewer viewer = new ModelViewer(classifier, "m.gbx");
        Map<String, Object> result = viewer.infer(image(3), new float[784], 3, List.of());
        List<Map<String, Object>> layers = (List<Map<String, Object>>) result.get("layers");
        Map<String, Object> conv = layers.get(0);
        assertEquals("Conv2D", conv.get("type"));
        assertEquals("maps", conv.get("kind"));
        List<Map<String, Object>> maps = (List<Map<String, Object>>) conv.get("maps");
        assertEquals(4, maps.size(), "one map per filter");
        Tensor out = classifier.layerOutput(classifier.layers().get(0).name(), image(3), 1); // (1, 26, 26, 4)
        for (int ch = 0; ch < 4; ch++) {
            int[] pixels = (int[]) maps.get(ch).get("pixels");
            assertEquals(26 * 26, pixels.length);
            float lo = Float.MAX_VALUE;
            float hi = -Float.MAX_VALUE;
            int argLo = 0;
            int argHi = 0;
            for (int p = 0; p < 26 * 26; p++) {
                float v = out.data()[p * 4 + ch];
                if (v < lo) {
                    lo = v;
                    argLo = p;
                }
                if (v > hi) {
                    hi = v;
                    argHi = p;
                }
            }
            assertEquals(Maps.round(lo), maps.get(ch).get("min"));
            assertEquals(Maps.round(hi), maps.get(ch).get("max"));
            if (hi > lo) {
                assertEquals(0, pixels[argLo]);
                assertEquals(255, pixels[argHi]);
            }
        }
        assertEquals(3, ((List<?>) layers.get(3).get("maps")).size(), "the second Conv2D's 3 filters");
        assertEquals("values", layers.get(6).get("kind"), "Dense 16");
        assertEquals(16, ((double[]) layers.get(6).get("values")).length);
        assertEquals(3, result.get("label"));
        assertNull(result.get("autoencoder"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void filtersAreTheKernelsValuesOnASharedSymmetricScale() {
        ModelViewer viewer = new ModelViewer(classifier, "m.gbx");
        Tensor k0 = classifier.layers().get(0).getWeights().get(0); // (3, 3, 1, 4)
        Map<String, Object> f0 = viewer.filters(0, -1);
        List<Map<String, Object>> filters = (List<Map<String, Object>>) f0.get("filters");
        assertEquals(4, filters.size());
        double scale = 0;
        for (int f = 0; f < 4; f++) {
            double[] values = (double[]) filters.get(f).get("values");
            for (int i = 0; i < 9; i++) {
                assertEquals(k0.data()[i * 4 + f], (float) values[i], "filter " + f + " value " + i);
                scale = Math.max(scale, Math.abs(k0.data()[i * 4 + f]));
            }
        }
        assertEquals(Maps.round(scale), f0.get("scale"));

        Tensor k3 = classifier.layers().get(3).getWeights().get(0); // (3, 3, 4, 3)
        List<Map<String, Object>> slice = (List<Map<String, Object>>) viewer.filters(3, 2).get("filters");
        List<Map<String, Object>> mean = (List<Map<String, Object>>) viewer.filters(3, -1).get("filters");
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < 9; i++) {
                assertEquals(k3.data()[(i * 4 + 2) * 3 + f], (float) ((double[]) slice.get(f).get("values"))[i]);
                double sum = 0;
                for (int c = 0; c < 4; c++) {
                    sum += k3.data()[(i * 4 + c) * 3 + f];
                }
                assertEquals(sum / 4, ((double[]) mean.get(f).get("values"))[i], 1e-6);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> viewer.filters(1, -1), "BatchNormalization");
        assertThrows(IllegalArgumentException.class, () -> viewer.filters(3, 4), "channel out of range");
    }

    @Test
    void confusionCountsAreConfusionMatrixOfAndEachCellListsExactlyItsImages() {
        ModelViewer viewer = new ModelViewer(classifier, "m.gbx");
        int[] labels = new int[test[1].size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (int) test[1].data()[i];
        }
        int[] predicted = argmaxRows(classifier.predict(test[0]));
        ModelViewer.Confusion confusion = ModelViewer.Confusion.of(labels, viewer.predictClasses(test[0]), 5);
        ConfusionMatrix expected = ConfusionMatrix.of(labels, predicted, 5);
        assertTrue(Arrays.deepEquals(expected.counts(), confusion.matrix().counts()));
        boolean[] seen = new boolean[labels.length];
        for (int t = 0; t < 5; t++) {
            for (int p = 0; p < 5; p++) {
                int[] cell = confusion.cell(t, p);
                assertEquals(expected.count(t, p), cell.length);
                for (int i = 0; i < cell.length; i++) {
                    assertEquals(t, labels[cell[i]]);
                    assertEquals(p, predicted[cell[i]]);
                    assertTrue(i == 0 || cell[i] > cell[i - 1], "ascending");
                    assertFalse(seen[cell[i]]);
                    seen[cell[i]] = true;
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAutoencoderShowsItsReconstructionAndItsBottleneckCode() {
        ModelViewer viewer = new ModelViewer(autoencoder, "autoencoder.gbx");
        assertEquals(ModelViewer.Kind.AUTOENCODER, viewer.kind());
        Map<String, Object> described = viewer.describe();
        assertEquals(3, described.get("code_layer"), "the first 7×7×2 output: the second MaxPooling2D's");
        Map<String, Object> result = viewer.infer(image(2), new float[784], -1, List.of());
        assertNull(result.get("prediction"));
        assertNull(result.get("label"));
        Map<String, Object> ae = (Map<String, Object>) result.get("autoencoder");
        Map<String, Object> reconstruction = (Map<String, Object>) ae.get("reconstruction");
        Tensor out = autoencoder.predict(image(2));
        int[] pixels = (int[]) reconstruction.get("pixels");
        for (int p = 0; p < 784; p++) {
            assertEquals(Math.round(out.data()[p] * 255), pixels[p], 1, "pixel " + p);
        }
        Map<String, Object> code = (Map<String, Object>) ae.get("code");
        assertEquals(2, ((List<?>) code.get("maps")).size());
        assertEquals(7, code.get("height"));
    }

    @Test
    void aCorruptModelFileIsOneLineNamingTheFileNotItsPath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("custom-model.gbx");
        ModelFiles.save(classifier, file);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        SavedModels models = new SavedModels();
        SavedModels.Unreadable e = assertThrows(SavedModels.Unreadable.class, () -> models.get(file));
        assertTrue(e.getMessage().startsWith("custom-model.gbx is truncated"),
                e.getMessage());
        assertFalse(e.getMessage().contains(dir.toString()), "no path: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Files.writeString(file, "hello");
        e = assertThrows(SavedModels.Unreadable.class, () -> models.get(file));
        assertTrue(e.getMessage().startsWith("custom-model.gbx: not a glassbox model file"), e.getMessage());
        e = assertThrows(SavedModels.Unreadable.class, () -> models.get(dir.resolve("gone.gbx")));
        assertEquals("gone.gbx: no such file (was the run deleted?)", e.getMessage());
    }

    @Test
    void aModelIsKeptWhileItsFileIsTheSameVersion(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.gbx");
        ModelFiles.save(classifier, file);
        SavedModels models = new SavedModels();
        SavedModels.Entry first = models.get(file);
        assertSame(first, models.get(file));
        assertEquals("x", first.computed("k", () -> "x"));
        assertEquals("x", first.computed("k", () -> "y"), "computed once per version");
        ModelFiles.save(autoencoder, file); // a new save: another size and time
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(file).toMillis() + 2000));
        SavedModels.Entry second = models.get(file);
        assertNotSame(first, second);
        assertEquals(ModelViewer.Kind.AUTOENCODER, second.viewer().kind());
        assertEquals("y", second.computed("k", () -> "y"));
    }

    private static int[] argmaxRows(Tensor out) {
        int n = out.dim(0);
        int k = out.dim(1);
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = ModelViewer.argmax(out.data(), i * k, k);
        }
        return top;
    }
}
