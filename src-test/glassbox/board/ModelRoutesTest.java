package glassbox.board;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import glassbox.data.Transforms;
import glassbox.experiments.FashionTwist;
import glassbox.experiments.RunReader;
import glassbox.metrics.ConfusionMatrix;
import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model routes through a real board server on a free port: a fashion-twist run's classifier on a synthetic
 * Fashion-MNIST test set (relabelled to the twist's five classes, x / 255), an autoencoder run's model, a corrupt
 * file, a run whose data is missing; every answer's JSON checked against the engine, every bad parameter's
 * status and message.
 */
class ModelRoutesTest {
    private static final String TWIST = BoardModels.TWIST;
    private static final String AE = BoardModels.AE;
    private static final String NO_DATA = "kmeans-labels/20260101-000000";
    private static final int TEST_IMAGES = 50;

    @TempDir
    static Path home;
    private static BoardServer server;
    private static Sequential classifier;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        classifier = BoardModels.writeHome(home, TEST_IMAGES);
        Path runs = home.resolve("runs");
        BoardModels.save(runs, NO_DATA, "cnn.gbx", classifier);
        Files.writeString(runs.resolve(TWIST).resolve("notes.txt"), "not a model");
        server = BoardCommand.start(new RunReader(runs), home, "127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Answer(int status, String body, byte[] bytes) {
        JsonObject json() {
            return JsonParser.parseString(body).getAsJsonObject();
        }

        String error() {
            return json().get("error").getAsString();
        }
    }

    private static Answer get(String path, String... params) throws Exception {
        return send(HttpRequest.newBuilder(uri(path, params)).GET().build());
    }

    private static Answer post(String path, String body, String... params) throws Exception {
        return send(HttpRequest.newBuilder(uri(path, params)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Answer send(HttpRequest request) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8), r.body());
    }

    private static URI uri(String path, String... params) {
        String query = IntStream.range(0, params.length / 2).mapToObj(i -> params[2 * i] + "="
                + URLEncoder.encode(params[2 * i + 1], StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return server.address().resolve(path + (query.isEmpty() ? "" : "?" + query));
    }

    /** The test set as the fashion-twist experiment feeds it: x / 255, (n, 28, 28, 1), twist labels. */
    private static Tensor testInput() throws IOException {
        TestImages.Split split = new TestImages(home).split(TestImages.sourceFor("fashion-twist"));
        return Transforms.divide(split.raw(), 255).reshape(TEST_IMAGES, 28, 28, 1);
    }

    private static int[] twistLabels() {
        return IntStream.range(0, TEST_IMAGES).map(i -> FashionTwist.twistOf(i % 10)).toArray();
    }

    @Test
    void theModelsSummaryLayersAndData() throws Exception {
        Answer a = get("/api/model", "run", TWIST, "file", "custom-model.gbx");
        assertEquals(200, a.status(), a.body());
        JsonObject m = a.json();
        assertEquals("classifier", m.get("kind").getAsString());
        assertEquals(classifier.summary(), m.get("summary").getAsString());
        JsonArray layers = m.getAsJsonArray("layers");
        assertEquals(8, layers.size());
        assertEquals("Conv2D", layers.get(0).getAsJsonObject().get("type").getAsString());
        assertEquals("[26,26,4]", layers.get(0).getAsJsonObject().get("output_shape").toString());
        assertEquals(40, layers.get(0).getAsJsonObject().get("params").getAsLong());
        JsonObject data = m.getAsJsonObject("data");
        assertEquals(TEST_IMAGES, data.get("test_size").getAsInt());
        assertEquals(FashionTwist.CLASS_NAMES.get(4), data.getAsJsonArray("classes").get(4).getAsString());
        assertTrue(data.get("description").getAsString().contains("twist"), data.toString());
    }

    @Test
    void aTestImageThroughEveryLayerPredictsWhatPredictDoes() throws Exception {
        Tensor x = testInput();
        Tensor predicted = classifier.predict(x);
        int[] labels = twistLabels();
        for (int index : new int[]{0, 7, 49}) {
            Answer a = get("/api/infer", "run", TWIST, "file", "custom-model.gbx", "index", String.valueOf(index));
            assertEquals(200, a.status(), a.body());
            JsonObject r = a.json();
            assertEquals(ModelViewer.argmax(predicted.data(), index * 5, 5),
                    r.getAsJsonObject("prediction").get("class").getAsInt(), "image " + index);
            assertEquals(labels[index], r.get("label").getAsInt());
            JsonObject conv = r.getAsJsonArray("layers").get(0).getAsJsonObject();
            assertEquals(4, conv.getAsJsonArray("maps").size(), "one map per filter of the first Conv2D");
            assertEquals(3, r.getAsJsonArray("layers").get(3).getAsJsonObject().getAsJsonArray("maps").size());
            assertEquals(784, r.getAsJsonObject("input").getAsJsonArray("pixels").size());
        }
    }

    @Test
    void aDrawnImageIsPreprocessedAsTheTestImagesAre() throws Exception {
        Tensor x = testInput();
        float[] image = Arrays.copyOfRange(x.data(), 3 * 784, 4 * 784);
        String pixels = IntStream.range(0, 784).mapToObj(i -> Float.toString(image[i]))
                .collect(Collectors.joining(",", "{\"pixels\": [", "]}"));
        Answer drawn = post("/api/infer", pixels, "run", TWIST, "file", "custom-model.gbx");
        Answer test = get("/api/infer", "run", TWIST, "file", "custom-model.gbx", "index", "3");
        assertEquals(200, drawn.status(), drawn.body());
        assertFalse(drawn.json().has("label"), "no true label (null, which the server leaves out)");
        JsonObject fromTest = test.json().getAsJsonObject("prediction");
        JsonObject fromDrawn = drawn.json().getAsJsonObject("prediction");
        assertEquals(fromTest.get("class"), fromDrawn.get("class"));
        for (int k = 0; k < 5; k++) { // x / 255 sent as decimals and scaled back: equal to float rounding
            assertEquals(fromTest.getAsJsonArray("values").get(k).getAsDouble(),
                    fromDrawn.getAsJsonArray("values").get(k).getAsDouble(), 1e-6);
        }

        for (String body : new String[]{"", "[1, 2]", "{\"pixels\": [0.5]}", "{\"pixels\": \"x\"}"}) {
            Answer bad = post("/api/infer", body, "run", TWIST, "file", "custom-model.gbx");
            assertEquals(400, bad.status(), body);
            assertTrue(bad.error().contains("expected {\"pixels\": [784 numbers in 0..1]}"), bad.error());
        }
        Answer outside = post("/api/infer", pixels.replaceFirst("\\[[^,]*,", "[1.5,"), "run", TWIST, "file",
                "custom-model.gbx");
        assertEquals(400, outside.status());
        assertTrue(outside.error().startsWith("\"pixels\"[0] is 1.5, outside 0..1"), outside.error());
    }

    @Test
    void filtersAreTheKernel() throws Exception {
        Answer a = get("/api/model/filters", "run", TWIST, "file", "custom-model.gbx", "layer", "0");
        assertEquals(200, a.status(), a.body());
        Tensor kernel = classifier.layers().get(0).getWeights().get(0); // (3, 3, 1, 4)
        JsonArray filters = a.json().getAsJsonArray("filters");
        assertEquals(4, filters.size());
        for (int f = 0; f < 4; f++) {
            JsonArray values = filters.get(f).getAsJsonObject().getAsJsonArray("values");
            for (int i = 0; i < 9; i++) {
                assertEquals(kernel.data()[i * 4 + f], values.get(i).getAsFloat());
            }
        }
        Answer channel = get("/api/model/filters", "run", TWIST, "file", "custom-model.gbx", "layer", "3", "channel", "2");
        assertEquals(200, channel.status(), channel.body());
        assertEquals("input channel 2 of 4", channel.json().get("shown").getAsString());
    }

    @Test
    void theConfusionMatrixIsConfusionMatrixOfAndACellListsExactlyItsImages() throws Exception {
        Tensor out = ModelFiles.load(home.resolve("runs").resolve(TWIST).resolve("custom-model.gbx")).predict(testInput());
        int[] predicted = IntStream.range(0, TEST_IMAGES).map(i -> ModelViewer.argmax(out.data(), i * 5, 5)).toArray();
        int[] labels = twistLabels();
        ConfusionMatrix expected = ConfusionMatrix.of(labels, predicted, 5);

        Answer a = get("/api/confusion", "run", TWIST, "file", "custom-model.gbx");
        assertEquals(200, a.status(), a.body());
        JsonArray counts = a.json().getAsJsonArray("counts");
        for (int t = 0; t < 5; t++) {
            for (int p = 0; p < 5; p++) {
                assertEquals(expected.count(t, p), counts.get(t).getAsJsonArray().get(p).getAsLong());
                Answer cell = get("/api/confusion/cell", "run", TWIST, "file", "custom-model.gbx", "true",
                        String.valueOf(t), "predicted", String.valueOf(p));
                assertEquals(200, cell.status(), cell.body());
                final int tt = t;
                final int pp = p;
                int[] indices = IntStream.range(0, TEST_IMAGES).filter(i -> labels[i] == tt && predicted[i] == pp).toArray();
                int[] listed = new int[cell.json().getAsJsonArray("indices").size()];
                for (int i = 0; i < listed.length; i++) {
                    listed[i] = cell.json().getAsJsonArray("indices").get(i).getAsInt();
                }
                assertArrayEquals(indices, listed, "cell " + t + ", " + p);
            }
        }
        assertEquals(expected.accuracy(), a.json().get("accuracy").getAsDouble(), 1e-12);
    }

    @Test
    void aTestImageIsA28By28GreyPng() throws Exception {
        Answer a = get("/api/image", "run", TWIST, "index", "5");
        assertEquals(200, a.status());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(a.bytes()));
        assertEquals(28, image.getWidth());
        assertEquals(28, image.getHeight());
        float[] raw = new TestImages(home).split(TestImages.sourceFor("fashion-twist")).rawPixels(5);
        for (int p = 0; p < 784; p++) {
            assertEquals((int) raw[p], image.getRaster().getSample(p % 28, p / 28, 0), "pixel " + p);
        }
    }

    @Test
    void anAutoencoderShowsItsReconstructionAndHasNoConfusionMatrix() throws Exception {
        Answer a = get("/api/infer", "run", AE, "file", "autoencoder.gbx", "index", "1");
        assertEquals(200, a.status(), a.body());
        JsonObject ae = a.json().getAsJsonObject("autoencoder");
        assertEquals(784, ae.getAsJsonObject("reconstruction").getAsJsonArray("pixels").size());
        assertEquals(2, ae.getAsJsonObject("code").getAsJsonArray("maps").size());
        Answer c = get("/api/confusion", "run", AE, "file", "autoencoder.gbx");
        assertEquals(400, c.status());
        assertTrue(c.error().startsWith("model autoencoder.gbx is not a classifier of the 10 classes"), c.error());
    }

    @Test
    void aCorruptModelIsOneLineNamingTheFile() throws Exception {
        Answer a = get("/api/model", "run", TWIST, "file", "broken.gbx");
        assertEquals(500, a.status());
        assertTrue(a.error().startsWith("broken.gbx is truncated"), a.error());
        assertFalse(a.error().contains(home.toString()) || a.error().contains("\n") || a.body().contains("at glassbox."),
                a.body());
    }

    @Test
    void missingDataStillShowsTheModelAndTakesDrawnImages(@TempDir Path emptyHome) throws Exception {
        try (BoardServer bare = BoardCommand.start(new RunReader(home.resolve("runs")), emptyHome, "127.0.0.1", 0)) {
            URI base = bare.address();
            Answer m = send(HttpRequest.newBuilder(base.resolve("/api/model?run=" + NO_DATA + "&file=cnn.gbx")).build());
            assertEquals(200, m.status(), m.body());
            assertTrue(m.json().getAsJsonObject("data").get("error").getAsString().contains("data/fetch.sh mnist"),
                    m.body());
            Answer i = send(HttpRequest.newBuilder(base.resolve("/api/infer?run=" + NO_DATA + "&file=cnn.gbx&index=0"))
                    .build());
            assertEquals(404, i.status());
            assertTrue(i.error().startsWith("no test images: " + emptyHome.resolve("data").resolve("mnist")), i.error());
            String zeros = IntStream.range(0, 784).mapToObj(k -> "0").collect(Collectors.joining(",", "{\"pixels\":[", "]}"));
            Answer drawn = send(HttpRequest.newBuilder(base.resolve("/api/infer?run=" + NO_DATA + "&file=cnn.gbx"))
                    .POST(HttpRequest.BodyPublishers.ofString(zeros)).build());
            assertEquals(200, drawn.status(), drawn.body());
        }
    }

    @Test
    void everyBadParameterIsA400Or404NamingIt() throws Exception {
        String[][] cases = {
            {"404", "parameter 'run': no run 'nope/1'", "/api/model", "run", "nope/1", "file", "custom-model.gbx"},
            {"404", "parameter 'run': no run '../x'", "/api/model", "run", "../x", "file", "custom-model.gbx"},
            {"404", "parameter 'file': run '" + TWIST + "' has no model file 'gone.gbx'; its models are [broken.gbx, "
                    + "custom-model.gbx]", "/api/model", "run", TWIST, "file", "gone.gbx"},
            {"404", "parameter 'file'", "/api/model", "run", TWIST, "file", "../../autoencoder/20260101-000000/autoencoder.gbx"},
            {"400", "parameter 'file': 'notes.txt' is not a saved model", "/api/model", "run", TWIST, "file", "notes.txt"},
            {"400", "missing parameter 'file'", "/api/model", "run", TWIST},
            {"400", "missing parameter 'run'", "/api/confusion", "file", "custom-model.gbx"},
            {"400", "parameter 'layer' must be in [0, 7], not 8", "/api/model/filters", "run", TWIST, "file",
                "custom-model.gbx", "layer", "8"},
            {"400", "parameter 'layer' must be an integer, not 'x'", "/api/model/filters", "run", TWIST, "file",
                "custom-model.gbx", "layer", "x"},
            {"400", "parameter 'layer': layer 1 is not a Conv2D; the model's Conv2D layers are [0, 3]",
                "/api/model/filters", "run", TWIST, "file", "custom-model.gbx", "layer", "1"},
            {"400", "parameter 'channel' must be in [0, 3], not 4", "/api/model/filters", "run", TWIST, "file",
                "custom-model.gbx", "layer", "3", "channel", "4"},
            {"400", "parameter 'index' must be in [0, 49], not 50", "/api/infer", "run", TWIST, "file",
                "custom-model.gbx", "index", "50"},
            {"400", "parameter 'index' must be in [0, 49], not -1", "/api/image", "run", TWIST, "index", "-1"},
            {"400", "parameter 'true' must be in [0, 4], not 5", "/api/confusion/cell", "run", TWIST, "file",
                "custom-model.gbx", "true", "5", "predicted", "0"},
        };
        for (String[] c : cases) {
            Answer a = get(c[2], Arrays.copyOfRange(c, 3, c.length));
            assertEquals(Integer.parseInt(c[0]), a.status(), c[2] + " " + Arrays.toString(c) + ": " + a.body());
            assertTrue(a.error().startsWith(c[1]), "expected '" + c[1] + "…', got: " + a.error());
        }
    }

    @Test
    void nothingButInferenceIsPosted() throws Exception {
        for (String path : new String[]{"/api/model", "/api/confusion", "/api/image", "/api/model/filters"}) {
            Answer a = post(path, "{}", "run", TWIST, "file", "custom-model.gbx");
            assertEquals(405, a.status(), path);
        }
    }
}
