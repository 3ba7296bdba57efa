package glassbox.nn;

import glassbox.tensor.Tensor;
import glassbox.util.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Saves and loads a model's weights (Keras's {@code save_weights} / {@code load_weights}).
 *
 * <p>Format (big-endian, as {@link DataOutputStream} writes): the magic {@code "GBXW"}, a format version
 * (1), then the <em>parameter section</em>: the number of parameters, then for each parameter in
 * {@link Sequential#params()} order: layer name and parameter name (UTF), rank, each dimension, and the
 * values as floats. Loading checks every name and shape against the model and names the first one that
 * differs. Writing is atomic: an interrupted save leaves the previous file intact.
 *
 * <p>Whole-model files ({@code glassbox.nn.io.ModelFiles}) end with the same parameter section, written and
 * read by {@link #writeParams} and {@link #readParams}.
 */
public final class WeightIO {
    private static final int MAGIC = 0x47425857; // "GBXW"
    private static final int VERSION = 1;
    /** No parameter of any layer has more axes than this; a larger rank means a damaged file. */
    private static final int MAX_RANK = 8;

    private WeightIO() {
    }

    public static void save(Sequential model, Path file) throws IOException {
        model.params(); // fails here, before the file is touched, when the model is not built
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            writeParams(model, out);
            out.flush();
        });
    }

    /**
     * Loads weights saved by {@link #save} into a model of the same architecture (built first). The model
     * is changed only when the whole file has been read and checked: a failed load leaves it as it was.
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws IOException whose message starts with the file's path for anything wrong with the file: a
     *                     foreign magic number or version, a count, name or shape that differs from the
     *                     model's, a name that is not valid modified UTF-8, a file that ends early or runs on
     *                     after the last parameter. No other exception comes out of a damaged file, and no
     *                     size read from it is allocated before it is checked against the model (fuzzed in
     *                     {@code WeightIOFuzzTest}).
     */
    public static void load(Sequential model, Path file) throws IOException {
        List<Param> params = model.params();
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            readHeader(in, file, MAGIC, VERSION, "weights");
            List<Tensor> values = readParams(in, model, file.toString());
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected bytes after the last parameter");
            }
            model.setWeights(values);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends before all " + params.size() + " parameters were read", e);
        } catch (UTFDataFormatException e) {
            throw new IOException(file + ": corrupt: a parameter's name is not valid modified UTF-8 (" + e.getMessage()
                    + ")", e);
        }
    }

    /**
     * Writes the parameter section of a built model: the parameter count, then per parameter (layer by
     * layer, in {@link Layer#params()} order) its layer name, its name, rank, dimensions and float values.
     */
    /**
     * Reads a binary file's header, its magic number and format version, and checks both: a file of another
     * kind or another version is an {@code IOException} naming {@code file} and what was expected. {@code kind}
     * names the format in the message ("weights", "backup").
     */
    public static void readHeader(DataInputStream in, Path file, int magic, int version, String kind)
            throws IOException {
        int read = in.readInt();
        if (read != magic) {
            throw new IOException(file + ": not a glassbox " + kind + " file (magic 0x" + Integer.toHexString(read)
                    + ", expected 0x" + Integer.toHexString(magic) + ")");
        }
        int format = in.readInt();
        if (format != version) {
            throw new IOException(file + ": " + kind + " format version " + format + ", this build reads " + version);
        }
    }

    public static void writeParams(Sequential model, DataOutputStream out) throws IOException {
        out.writeInt(model.params().size());
        for (Layer layer : model.layers()) {
            for (Param p : layer.params()) {
                out.writeUTF(layer.name());
                out.writeUTF(p.name());
                int[] shape = p.value().shape();
                out.writeInt(shape.length);
                for (int d : shape) {
                    out.writeInt(d);
                }
                for (float v : p.value().data()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    /**
     * Reads a parameter section written by {@link #writeParams}, checking the count and every name and shape
     * against {@code model}, and returns the values in {@link Sequential#params()} order (ready for
     * {@link Sequential#setWeights}) without touching the model. A mismatch throws an {@link IOException}
     * whose message starts with {@code source} (the file, and what is being read); a stream that ends early
     * throws {@link EOFException}, and a name that is not valid modified UTF-8 a
     * {@link UTFDataFormatException}, for the caller to report with its own context. Every array it makes
     * has the model's size, never one read from the stream.
     */
    public static List<Tensor> readParams(DataInputStream in, Sequential model, String source) throws IOException {
        List<Param> params = model.params();
        int count = in.readInt();
        if (count != params.size()) {
            throw new IOException(source + ": it holds " + count + " parameters but the model has " + params.size());
        }
        List<Tensor> values = new ArrayList<>(count);
        int k = 0;
        for (Layer layer : model.layers()) {
            for (Param p : layer.params()) {
                String layerName = in.readUTF();
                String paramName = in.readUTF();
                int rank = in.readInt();
                if (rank < 0 || rank > MAX_RANK) {
                    throw new IOException(source + ": parameter " + k + " has an impossible rank " + rank);
                }
                int[] shape = new int[rank];
                for (int i = 0; i < rank; i++) {
                    shape[i] = in.readInt();
                }
                int[] expected = p.value().shape();
                if (!layerName.equals(layer.name()) || !paramName.equals(p.name()) || !Arrays.equals(shape, expected)) {
                    throw new IOException(source + ": parameter " + k + " is " + layerName + "." + paramName
                            + Tensor.shapeString(shape) + " but the model expects " + layer.name() + "." + p.name()
                            + Tensor.shapeString(expected));
                }
                float[] v = new float[p.value().size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                values.add(new Tensor(v, expected));
                k++;
            }
        }
        return values;
    }
}
