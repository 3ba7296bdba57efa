package glassbox.nn.io;

import com.google.gson.JsonParseException;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.WeightIO;
import glassbox.nn.layers.Layers;
import glassbox.tensor.Tensor;
import glassbox.util.AtomicFiles;
import glassbox.util.Json;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a whole model — architecture and weights in one file — as Keras's {@code model.save(path)}
 * and {@code keras.models.load_model(path, compile=False)}.
 *
 * <p>Format (big-endian, as {@link DataOutputStream} writes):
 * <pre>
 *   int    magic 0x4742584D ("GBXM")
 *   int    format version (1)
 *   int    n, the header's length in bytes, then n bytes of UTF-8 JSON:
 *            {"class_name": "Sequential",
 *             "config": {"name": "sequential",
 *                        "layers": [{"class_name": "Dense", "config": {"name": "dense", "units": 16, …}}, …]},
 *             "input_shape": [2],
 *             "glassbox_version": "0.1"}
 *   the parameter section of a weights file ({@link WeightIO#writeParams}): the parameter count, then per
 *   parameter its layer name, name, rank, dimensions and float values
 * </pre>
 * The header is Keras's model config: each layer's {@code class_name} (the Java simple class name) and its
 * {@link Layer#config()}; {@code input_shape} is one sample's shape, without the batch axis. So
 * {@code head -c 2000 model.gbx} shows what a file holds.
 *
 * <p>{@link #load} rebuilds each layer with {@link Layers#fromConfig}, builds the model for the saved input
 * shape and copies the weights in: the loaded model predicts bit-identically to the saved one. The compile
 * state (loss, optimiser and its moments) is not saved, as with Keras's {@code load_model(compile=False)}:
 * call {@code compile} on the loaded model to train it further.
 *
 * <p><b>Errors.</b> A missing file is a {@link NoSuchFileException}; every problem with a file's contents
 * is a plain {@link IOException} whose message starts with the file's path and says what is wrong: a
 * foreign magic number or version, a cut-off file, a header length past the end, a header that is not
 * UTF-8 or not JSON or not a model config, an unknown layer class or a config a layer refuses, layers that
 * do not build for the saved input shape, weights that do not match the layers, a name that is not
 * modified UTF-8, bytes after the weights. Nothing else comes out of a damaged file, and no size it claims
 * is allocated unchecked: the header's length is checked against the file's, and the parameters its
 * layers would allocate against the bytes left for the weights ({@link ParameterBudget}) before the model
 * is built (fuzzed in {@code ModelFilesFuzzTest}).
 *
 * <p>Writing goes through {@link AtomicFiles}: an interrupted save (a crash, an exception half-way through
 * the weights) leaves the previous file byte for byte as it was.
 */
public final class ModelFiles {
    private static final int MAGIC = 0x4742584D; // "GBXM"
    private static final int WEIGHTS_MAGIC = 0x47425857; // "GBXW", what WeightIO writes
    private static final int VERSION = 1;
    /** magic + version + header length */
    private static final int PREAMBLE_BYTES = 12;
    /** Written into every header, so a file says which glassbox made it. */
    public static final String GLASSBOX_VERSION = "0.1";

    private ModelFiles() {
    }

    /** Writes {@code model} (built: its input shape is part of the file) to {@code file}, atomically. */
    public static void save(Sequential model, Path file) throws IOException {
        int[] inputShape = model.inputShape(); // fails before the file is touched when the model is not built
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            byte[] header = Json.toJson(header(model, inputShape)).getBytes(StandardCharsets.UTF_8);
            out.writeInt(header.length);
            out.write(header);
            WeightIO.writeParams(model, out);
            out.flush();
        });
    }

    /** {@link #load(Path, long)} with seed 0. */
    public static Sequential load(Path file) throws IOException {
        return load(file, 0);
    }

    /**
     * Reads a model written by {@link #save}. {@code seed} is the new model's {@link Sequential} seed: its
     * weights come from the file, so after loading the seed only decides what is random in further training
     * (the shuffled batch order, Dropout's masks).
     */
    public static Sequential load(Path file, long seed) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file: nothing to load a model from");
        }
        String where = "in the preamble";
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            if (size < 4) {
                throw new IOException(file + ": not a glassbox model file (only " + size + " bytes long)");
            }
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException(file + ": not a glassbox model file (its first four bytes are 0x"
                        + Integer.toHexString(magic) + "; a model file starts with 0x4742584d, \"GBXM\")"
                        + (magic == WEIGHTS_MAGIC ? "; it is a weights file: load it with Sequential.loadWeights into "
                        + "a model of the same architecture" : ""));
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": model file format version " + version + ", this build reads version "
                        + VERSION);
            }
            int headerBytes = in.readInt();
            if (headerBytes < 0) {
                throw new IOException(file + ": corrupt: the header length is " + headerBytes);
            }
            if (headerBytes > size - PREAMBLE_BYTES) {
                throw new IOException(file + " is truncated: it ends inside the header (the header is " + headerBytes
                        + " bytes, the file holds " + (size - PREAMBLE_BYTES) + " of them)");
            }
            where = "inside the header";
            byte[] header = new byte[headerBytes];
            in.readFully(header);
            Header parsed = parseHeader(file, decode(file, header));
            Sequential model = build(file, parsed, seed, size - PREAMBLE_BYTES - headerBytes);

            where = "inside the weights section";
            List<Tensor> weights = WeightIO.readParams(in, model,
                    file + ": the weights section does not match the layers in its header");
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected bytes after the weights section");
            }
            model.setWeights(weights);
            return model;
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends " + where + " (" + size + " bytes)", e);
        } catch (UTFDataFormatException e) {
            throw new IOException(file + ": corrupt weights section: a parameter's name is not valid modified UTF-8 ("
                    + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> header(Sequential model, int[] inputShape) {
        List<Object> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", layer.getClass().getSimpleName());
            entry.put("config", layer.config());
            layers.add(entry);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", "sequential");
        config.put("layers", layers);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("class_name", "Sequential");
        header.put("config", config);
        header.put("input_shape", inputShape);
        header.put("glassbox_version", GLASSBOX_VERSION);
        return header;
    }

    /** What the header says: each layer's class and config, and one sample's shape. */
    private record Header(List<String> classNames, List<Map<String, Object>> configs, int[] inputShape) {
    }

    private static String decode(Path file, byte[] header) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(header)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": corrupt header: it is not valid UTF-8", e);
        }
    }

    private static Header parseHeader(Path file, String text) throws IOException {
        Object json;
        try {
            json = Json.fromJson(text, Object.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": corrupt JSON header: " + e.getMessage(), e);
        }
        Map<String, Object> top = map(file, "the header", json);
        Object className = top.get("class_name");
        if (!"Sequential".equals(className)) {
            throw new IOException(file + ": the header's class_name is " + quote(className)
                    + ", expected \"Sequential\"");
        }
        Map<String, Object> config = map(file, "the header's \"config\"", top.get("config"));
        Object layerList = config.get("layers");
        if (!(layerList instanceof List<?> entries) || entries.isEmpty()) {
            throw new IOException(file + ": the header's config.layers is " + quote(layerList)
                    + ", expected a non-empty list of {\"class_name\": …, \"config\": {…}}");
        }
        List<String> classNames = new ArrayList<>();
        List<Map<String, Object>> configs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String what = "layer " + i + " of the header";
            Map<String, Object> entry = map(file, what, entries.get(i));
            if (!(entry.get("class_name") instanceof String name)) {
                throw new IOException(file + ": " + what + " has class_name " + quote(entry.get("class_name"))
                        + ", expected a layer class name such as \"Dense\"");
            }
            classNames.add(name);
            configs.add(map(file, what + " (" + name + ") config", entry.get("config")));
        }
        Object shape = top.get("input_shape");
        String badShape = file + ": the header's input_shape is " + quote(shape)
                + ", expected a non-empty list of positive integers";
        if (!(shape instanceof List<?> dims) || dims.isEmpty()) {
            throw new IOException(badShape);
        }
        int[] inputShape = new int[dims.size()];
        for (int i = 0; i < inputShape.length; i++) {
            if (!(dims.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || n.doubleValue() < 1 || n.doubleValue() > Integer.MAX_VALUE) {
                throw new IOException(badShape);
            }
            inputShape[i] = n.intValue();
        }
        return new Header(classNames, configs, inputShape);
    }

    /**
     * The layers the header describes, in a new model built for its input shape — once
     * {@link ParameterBudget} has checked that their parameters fit in the {@code bytesAfterHeader} the file
     * has left (4 bytes a float), so that no corrupt size is allocated.
     */
    private static Sequential build(Path file, Header header, long seed, long bytesAfterHeader) throws IOException {
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < header.classNames().size(); i++) {
            layers.add(layer(file, header, i));
        }
        ParameterBudget.check(file, layers, i -> layer(file, header, i), header.inputShape(),
                Math.max(0, bytesAfterHeader / 4));
        Sequential model = new Sequential(seed);
        layers.forEach(model::add);
        try {
            model.build(header.inputShape());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the layers in the header do not build for input shape "
                    + Tensor.shapeString(header.inputShape()) + ": " + e.getMessage(), e);
        }
        return model;
    }

    /** Layer {@code i} of the header, made (not built) from its class name and config. */
    private static Layer layer(Path file, Header header, int i) throws IOException {
        try {
            return Layers.fromConfig(header.classNames().get(i), header.configs().get(i));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": layer " + i + " of the header: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Path file, String what, Object value) throws IOException {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException(file + ": " + what + " is " + quote(value) + ", expected a JSON object");
    }

    private static String quote(Object value) {
        if (value == null) {
            return "missing";
        }
        String s = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
