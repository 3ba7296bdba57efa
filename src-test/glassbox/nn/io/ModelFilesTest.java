package glassbox.nn.io;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Activation;
import glassbox.nn.layers.ActivationLayer;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import glassbox.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {
    @TempDir
    Path dir;

    /** Flatten → Dense 8 relu (named) → Dense 3 → softmax, trained for one epoch so no weight is initial. */
    private static Sequential trainedModel() {
        Sequential model = new Sequential(3, new Flatten(),
                new Dense(8, Activation.RELU, true, glassbox.nn.init.Initializer.glorotUniform(),
                        glassbox.nn.init.Initializer.zeros(), "hidden"),
                new Dense(3), new ActivationLayer(Activation.SOFTMAX));
        model.compile(new SparseCategoricalCrossentropy(), new Adam(0.05f));
        Tensor x = GradientCheck.uniform(1, -1, 1, 12, 2, 3);
        Tensor y = Tensor.zeros(12);
        for (int i = 0; i < 12; i++) {
            y.data()[i] = i % 3;
        }
        model.fit(x, y, glassbox.nn.FitOptions.defaults().withVerbose(false).withBatchSize(4));
        return model;
    }

    private Path saved(Sequential model) throws IOException {
        Path file = dir.resolve("model.gbx");
        ModelFiles.save(model, file);
        return file;
    }

    private static String message(Path file) {
        return assertThrows(IOException.class, () -> ModelFiles.load(file)).getMessage();
    }

    private static void assertStartsWithPathAndSays(Path file, String what, String message) {
        assertTrue(message.startsWith(file.toString()) && message.contains(what), message);
    }

    /** The file as the documented layout: preamble, header length, header, the parameter section. */
    private static void rewriteHeader(Path file, UnaryOperator<String> edit) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = ByteBuffer.wrap(bytes, 8, 4).getInt();
        String header = new String(bytes, 12, n, StandardCharsets.UTF_8);
        byte[] edited = edit.apply(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(bytes.length - n + edited.length);
        out.put(bytes, 0, 8).putInt(edited.length).put(edited).put(bytes, 12 + n, bytes.length - 12 - n);
        Files.write(file, out.array());
    }

    private static int headerLength(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file), 8, 4).getInt();
    }

    @Test
    void aLoadedModelPredictsBitIdentically() throws IOException {
        Sequential model = trainedModel();
        Path file = saved(model);
        Sequential loaded = ModelFiles.load(file, 99);
        Tensor x = GradientCheck.uniform(7, -2, 2, 20, 2, 3);
        assertArrayEquals(model.predict(x).data(), loaded.predict(x).data());
        assertArrayEquals(new int[]{2, 3}, loaded.inputShape());
        List<Layer> a = model.layers();
        List<Layer> b = loaded.layers();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getClass(), b.get(i).getClass());
            assertEquals(a.get(i).config(), b.get(i).config());
        }
        assertEquals("hidden", b.get(1).name());
        assertNull(loaded.loss(), "the compile state is not saved (Keras's compile=False)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theHeaderIsKerasStyleJsonAfterMagicAndVersion() throws IOException {
        Path file = saved(trainedModel());
        byte[] bytes = Files.readAllBytes(file);
        assertEquals("GBXM", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, ByteBuffer.wrap(bytes, 4, 4).getInt());
        String text = new String(bytes, 12, headerLength(file), StandardCharsets.UTF_8);
        Map<String, Object> header = Json.fromJson(text, Map.class);
        assertEquals("Sequential", header.get("class_name"));
        assertEquals(List.of(2.0, 3.0), header.get("input_shape"));
        assertEquals(ModelFiles.GLASSBOX_VERSION, header.get("glassbox_version"));
        List<Map<String, Object>> layers = (List<Map<String, Object>>) ((Map<String, Object>) header.get("config")).get("layers");
        assertEquals(List.of("Flatten", "Dense", "Dense", "ActivationLayer"),
                layers.stream().map(l -> l.get("class_name")).toList());
        assertEquals(Map.of("name", "hidden", "units", 8.0, "activation", "relu", "use_bias", true),
                layers.get(1).get("config"));
    }

    @Test
    void aMissingFileIsNamed() {
        Path file = dir.resolve("nowhere.gbx");
        IOException e = assertThrows(NoSuchFileException.class, () -> ModelFiles.load(file));
        assertStartsWithPathAndSays(file, "no such file", e.getMessage());
    }

    @Test
    void aForeignFileIsNotAModelFile() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, this is not a model");
        assertStartsWithPathAndSays(text, "not a glassbox model file", message(text));
        Path tiny = dir.resolve("tiny.gbx");
        Files.write(tiny, new byte[]{'G', 'B'});
        assertStartsWithPathAndSays(tiny, "not a glassbox model file", message(tiny));

        Path weights = dir.resolve("weights.bin");
        trainedModel().saveWeights(weights);
        String m = message(weights);
        assertStartsWithPathAndSays(weights, "not a glassbox model file", m);
        assertTrue(m.contains("weights file") && m.contains("loadWeights"), m);
    }

    @Test
    void anUnsupportedVersionIsNamed() throws IOException {
        Path file = saved(trainedModel());
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).putInt(4, 2);
        Files.write(file, bytes);
        assertStartsWithPathAndSays(file, "format version 2, this build reads version 1", message(file));
    }

    @Test
    void aTruncatedFileIsReportedAtEveryCutPoint() throws IOException {
        byte[] bytes = Files.readAllBytes(saved(trainedModel()));
        int n = headerLength(dir.resolve("model.gbx"));
        int weightsStart = 12 + n;
        int[] cuts = {6, 10, 12, 12 + n / 2, weightsStart, weightsStart + 2, weightsStart + 30,
                (weightsStart + bytes.length) / 2, bytes.length - 1};
        Path file = dir.resolve("cut.gbx");
        for (int cut : cuts) {
            Files.write(file, Arrays.copyOf(bytes, cut));
            String m = message(file);
            assertStartsWithPathAndSays(file, "truncated", m);
            String where = cut < 12 ? "preamble" : cut < weightsStart ? "header" : "weights section";
            assertTrue(m.contains(where), "cut at " + cut + ": " + m);
        }
    }

    @Test
    void extraBytesAfterTheWeightsAreReported() throws IOException {
        Path file = saved(trainedModel());
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length + 3));
        assertStartsWithPathAndSays(file, "unexpected bytes after the weights section", message(file));
    }

    @Test
    void aCorruptJsonHeaderIsReported() throws IOException {
        Path file = saved(trainedModel());
        rewriteHeader(file, h -> h.substring(0, h.length() / 2));
        assertStartsWithPathAndSays(file, "corrupt JSON header", message(file));

        file = saved(trainedModel());
        rewriteHeader(file, h -> h.replace("\"layers\"", "\"layer_list\""));
        assertStartsWithPathAndSays(file, "config.layers is missing", message(file));

        file = saved(trainedModel());
        rewriteHeader(file, h -> h.replace("\"units\": 8", "\"units\": \"eight\""));
        assertStartsWithPathAndSays(file, "layer 1 of the header: Dense config key 'units': expected an integer, "
                + "got 'eight'", message(file));
    }

    @Test
    void anUnknownLayerClassIsNamed() throws IOException {
        Path file = saved(trainedModel());
        rewriteHeader(file, h -> h.replace("\"class_name\": \"Flatten\"", "\"class_name\": \"Flatten3D\""));
        assertStartsWithPathAndSays(file, "layer 0 of the header: unknown layer class 'Flatten3D'", message(file));
    }

    @Test
    void weightsThatDoNotMatchTheHeaderAreReported() throws IOException {
        Path file = saved(trainedModel());
        rewriteHeader(file, h -> h.replace("\"units\": 8", "\"units\": 9"));
        assertEquals(file + ": the weights section does not match the layers in its header: parameter 0 is "
                + "hidden.kernel(6, 8) but the model expects hidden.kernel(6, 9)", message(file));

        file = saved(trainedModel());
        rewriteHeader(file, h -> h.replace("\"use_bias\": true", "\"use_bias\": false"));
        assertStartsWithPathAndSays(file, "it holds 4 parameters but the model has 2", message(file));
    }

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousFileByteIdentical() throws IOException {
        Path file = saved(trainedModel());
        byte[] before = Files.readAllBytes(file);

        FailingLayer failing = new FailingLayer();
        Sequential big = new Sequential(0, new Dense(300), failing); // 400·300 floats: far past the write buffer
        big.build(400);
        failing.arm();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelFiles.save(big, file));
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
        }
        Tensor x = GradientCheck.uniform(8, -1, 1, 4, 2, 3);
        assertArrayEquals(trainedModel().predict(x).data(), ModelFiles.load(file).predict(x).data());
    }

    @Test
    void anUnbuiltModelIsRefusedBeforeAnyFileIsWritten() {
        Path file = dir.resolve("unbuilt.gbx");
        assertThrows(IllegalStateException.class, () -> ModelFiles.save(new Sequential(0, new Dense(2)), file));
        assertFalse(Files.exists(file));
    }
}
