package glassbox.board;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import glassbox.board.BoardServer.BadRequest;
import glassbox.board.BoardServer.NotFound;
import glassbox.board.BoardServer.Request;
import glassbox.experiments.RunReader;
import glassbox.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The trained-model and classifier-errors JSON: a saved model of a run ({@code run=<experiment>/<stamp>},
 * {@code file=<name>.gbx}), its Conv2D filters, one test image (or a drawn one) through every layer, the
 * confusion matrix on the test set and the images of one of its cells, and test images as PNGs.
 *
 * <pre>
 *   GET  /api/model?run=…&amp;file=…                          summary, kind, layers, the test set it is shown on
 *   GET  /api/model/filters?run=…&amp;file=…&amp;layer=i[&amp;channel=c]  a Conv2D's filters
 *   GET  /api/infer?run=…&amp;file=…&amp;index=i                  test image i through every layer
 *   POST /api/infer?run=…&amp;file=…  {"pixels": [784 numbers in 0..1]}   a drawn image through every layer
 *   GET  /api/confusion?run=…&amp;file=…                      counts[true][predicted] on the test set
 *   GET  /api/confusion/cell?run=…&amp;file=…&amp;true=t&amp;predicted=p  the test indices of one cell
 *   GET  /api/image?run=…&amp;index=i[&amp;split=train]           test (or training) image i, 28×28 grey PNG
 * </pre>
 *
 * Model files are found only through {@link RunReader#file} (plain names inside the runs folder). Nothing
 * here writes: the POST carries an image too long for a query and runs inference on it, nothing else. Every
 * parameter is checked, and a bad one is a 400 or 404 naming the parameter and what was expected; a model
 * file that cannot be loaded is one line naming it and what is wrong.
 */
final class ModelRoutes {
    private final RunReader reader;
    private final TestImages testImages;
    private final SavedModels models = new SavedModels();

    /** @param home the project root whose {@code data/} holds the test images */
    ModelRoutes(RunReader reader, Path home) {
        this.reader = reader;
        this.testImages = new TestImages(home);
    }

    void register(BoardServer server) {
        server.get("/api/model", this::model);
        server.get("/api/model/filters", this::filters);
        server.get("/api/infer", this::inferIndex);
        server.post("/api/infer", this::inferPixels);
        server.get("/api/confusion", this::confusion);
        server.get("/api/confusion/cell", this::cell);
        server.get("/api/image", this::image);
    }

    /** A run's model file, loaded, and the test set its experiment's models eat. */
    private record Target(String run, String file, ModelViewer viewer, SavedModels.Entry entry,
                          TestImages.Source source) {
    }

    private Target target(Request r) {
        String run = r.param("run");
        RunReader.Run found = reader.find(run).orElseThrow(() -> new NotFound("parameter 'run': no run '" + run
                + "' under the runs folder; expected <experiment>/<stamp> as /api/runs lists them"));
        String file = r.param("file");
        if (!file.endsWith(".gbx")) {
            throw new BadRequest("parameter 'file': '" + file + "' is not a saved model; expected a .gbx file of run "
                    + run);
        }
        Path path = reader.file(run, file).orElseThrow(() -> new NotFound("parameter 'file': run '" + run
                + "' has no model file '" + file + "'; its models are " + models(run)));
        SavedModels.Entry entry;
        try {
            entry = models.get(path);
        } catch (SavedModels.Unreadable e) {
            throw new UnreadableModel(e.getMessage());
        }
        return new Target(run, file, entry.viewer(), entry, TestImages.sourceFor(found.experiment()));
    }

    /** A model file that does not load: the server answers with its one line (a 500: the request was fine). */
    static final class UnreadableModel extends RuntimeException {
        UnreadableModel(String message) {
            super(message);
        }
    }

    private List<String> models(String run) {
        try {
            return reader.files(run).stream().filter(f -> f.endsWith(".gbx")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The test split for {@code source}; a missing dataset is a 404 saying where it was looked for. */
    private TestImages.Split split(TestImages.Source source) {
        try {
            return testImages.split(source);
        } catch (IOException e) {
            throw new NotFound(e.getMessage());
        }
    }

    private static void requireImages(Target t) {
        if (!t.viewer().takesImages()) {
            throw new BadRequest("model " + t.file() + " takes input " + Tensor.shapeString(t.viewer().inputShape())
                    + ", not a 28×28 image: it cannot be shown on test images");
        }
    }

    Map<String, Object> model(Request r) {
        Target t = target(r);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.putAll(t.viewer().describe());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("description", t.source().describe());
        data.put("classes", t.source().classNames());
        try {
            data.put("test_size", t.viewer().takesImages() ? testImages.split(t.source()).size() : 0);
            data.put("error", t.viewer().takesImages() ? null : "the model does not take 28×28 images");
        } catch (IOException e) {
            data.put("test_size", 0);
            data.put("error", e.getMessage());
        }
        m.put("data", data);
        return m;
    }

    Map<String, Object> filters(Request r) {
        Target t = target(r);
        int layer = r.intParam("layer", 0, t.viewer().layerCount() - 1);
        List<Integer> convs = t.viewer().conv2dLayers();
        if (!convs.contains(layer)) {
            throw new BadRequest("parameter 'layer': layer " + layer + " is not a Conv2D; the model's Conv2D layers are "
                    + convs);
        }
        int channels = t.viewer().inputChannels(layer);
        int channel = r.optional("channel").isEmpty() ? -1 : r.intParam("channel", 0, channels - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.put("file", t.file());
        m.putAll(t.viewer().filters(layer, channel));
        return m;
    }

    Map<String, Object> inferIndex(Request r) {
        Target t = target(r);
        requireImages(t);
        TestImages.Split split = split(t.source());
        int index = r.intParam("index", 0, split.size() - 1);
        Tensor x = split.input().slice(index, index + 1).reshape(batchOfOne(t.viewer().inputShape()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.put("index", index);
        m.putAll(t.viewer().infer(x, split.rawPixels(index), split.labels()[index], t.source().classNames()));
        return m;
    }

    Map<String, Object> inferPixels(Request r) {
        Target t = target(r);
        requireImages(t);
        float[] raw = pixels(r.body());
        Tensor x = t.source().preprocessing().apply(new Tensor(raw.clone(), 1, 28, 28))
                .reshape(batchOfOne(t.viewer().inputShape()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.put("index", null);
        m.putAll(t.viewer().infer(x, raw, -1, t.source().classNames()));
        return m;
    }

    /**
     * The body {@code {"pixels": [784 numbers in 0..1]}} (row-major 28×28, 1 = white ink as MNIST's) as
     * 0..255 values, the raw scale the test images have before the experiment's preprocessing.
     */
    static float[] pixels(byte[] body) {
        String expected = "; expected {\"pixels\": [784 numbers in 0..1]} (a 28×28 image, row by row)";
        JsonArray array;
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            JsonElement p = json.isJsonObject() ? ((JsonObject) json).get("pixels") : null;
            if (p == null || !p.isJsonArray()) {
                throw new BadRequest("the request body has no \"pixels\" array" + expected);
            }
            array = p.getAsJsonArray();
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadRequest("the request body is not JSON" + expected);
        }
        if (array.size() != 28 * 28) {
            throw new BadRequest("\"pixels\" holds " + array.size() + " values" + expected);
        }
        float[] raw = new float[28 * 28];
        for (int i = 0; i < raw.length; i++) {
            JsonElement e = array.get(i);
            double v;
            try {
                v = e.getAsDouble();
            } catch (RuntimeException notANumber) {
                throw new BadRequest("\"pixels\"[" + i + "] is " + e + ", not a number" + expected);
            }
            if (!(v >= 0 && v <= 1)) {
                throw new BadRequest("\"pixels\"[" + i + "] is " + e + ", outside 0..1" + expected);
            }
            raw[i] = (float) (v * 255);
        }
        return raw;
    }

    /**
     * The confusion matrix on the whole test set, computed once per model file version (10,000 images take a
     * few seconds) and kept with the loaded model.
     */
    Map<String, Object> confusion(Request r) {
        Target t = target(r);
        ModelViewer.Confusion c = confusionOf(t);
        List<String> classes = t.source().classNames();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.put("file", t.file());
        m.put("data", t.source().describe());
        m.put("classes", classes);
        m.put("counts", c.matrix().counts());
        m.put("total", c.matrix().total());
        m.put("accuracy", c.matrix().accuracy());
        return m;
    }

    Map<String, Object> cell(Request r) {
        Target t = target(r);
        ModelViewer.Confusion c = confusionOf(t);
        int n = c.matrix().numClasses();
        int trueClass = r.intParam("true", 0, n - 1);
        int predicted = r.intParam("predicted", 0, n - 1);
        List<String> classes = t.source().classNames();
        int[] indices = c.cell(trueClass, predicted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", t.run());
        m.put("file", t.file());
        m.put("true", trueClass);
        m.put("true_name", classes.get(trueClass));
        m.put("predicted", predicted);
        m.put("predicted_name", classes.get(predicted));
        m.put("count", indices.length);
        m.put("indices", indices);
        return m;
    }

    private ModelViewer.Confusion confusionOf(Target t) {
        requireImages(t);
        ModelViewer viewer = t.viewer();
        List<String> classes = t.source().classNames();
        if (viewer.kind() != ModelViewer.Kind.CLASSIFIER || viewer.numClasses() != classes.size()) {
            throw new BadRequest("model " + t.file() + " is not a classifier of the " + classes.size() + " classes of "
                    + t.source().describe() + ": its output is " + Tensor.shapeString(
                    viewer.outputShape()) + "; there is no confusion matrix to show");
        }
        TestImages.Split split = split(t.source());
        return t.entry().computed(t.source(), () -> {
            int[] shape = batchOfOne(viewer.inputShape());
            shape[0] = split.size();
            int[] predicted = viewer.predictClasses(split.input().reshape(shape));
            return ModelViewer.Confusion.of(split.labels(), predicted, classes.size());
        });
    }

    /**
     * Image {@code index} of the run's experiment's test set ({@code split=test}, the default) or training set
     * ({@code split=train}: the points of kmeans-labels' embedding) as a 28×28 greyscale PNG.
     */
    BoardServer.Bytes image(Request r) throws IOException {
        String run = r.param("run");
        RunReader.Run found = reader.find(run).orElseThrow(() -> new NotFound("parameter 'run': no run '" + run
                + "' under the runs folder; expected <experiment>/<stamp> as /api/runs lists them"));
        TestImages.Source source = TestImages.sourceFor(found.experiment());
        String which = r.optional("split").orElse("test");
        if (which.equals("train")) {
            Tensor images;
            try {
                images = testImages.trainImages(source);
            } catch (IOException e) {
                throw new NotFound(e.getMessage());
            }
            int index = r.intParam("index", 0, images.dim(0) - 1);
            float[] pixels = new float[28 * 28];
            System.arraycopy(images.data(), index * pixels.length, pixels, 0, pixels.length);
            return new BoardServer.Bytes("image/png", png(pixels));
        }
        if (!which.equals("test")) {
            throw new BoardServer.BadRequest("parameter 'split' must be test or train, not '" + which + "'");
        }
        TestImages.Split split = split(source);
        int index = r.intParam("index", 0, split.size() - 1);
        return new BoardServer.Bytes("image/png", png(split.rawPixels(index)));
    }

    /** 784 values 0..255 as a 28×28 greyscale PNG (about 300 bytes). */
    static byte[] png(float[] pixels) throws IOException {
        BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] grey = new byte[28 * 28];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = (byte) Math.round(Math.max(0, Math.min(255, pixels[i])));
        }
        image.getRaster().setDataElements(0, 0, 28, 28, grey);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** {@code (1, …sample)}. */
    private static int[] batchOfOne(int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = 1;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }
}
