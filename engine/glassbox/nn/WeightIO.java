package glassbox.nn;

import glassbox.tensor.Tensor;
import glassbox.util.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Saves and loads a model's weights (Keras's {@code save_weights} / {@code load_weights}).
 *
 * <p>Format (big-endian, as {@link DataOutputStream} writes): the magic {@code "GBXW"}, a format version
 * (1), the number of parameters, then for each parameter in {@link Sequential#params()} order: layer name
 * and parameter name (UTF), rank, each dimension, and the values as floats. Loading checks every name and
 * shape against the model and names the first one that differs. Writing is atomic: an interrupted save
 * leaves the previous file intact.
 */
public final class WeightIO {
    private static final int MAGIC = 0x47425857; // "GBXW"
    private static final int VERSION = 1;

    private WeightIO() {
    }

    public static void save(Sequential model, Path file) throws IOException {
        List<Param> params = model.params();
        AtomicFiles.write(file, stream -> {
            DataOutputStream out = new DataOutputStream(stream);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(params.size());
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
            out.flush();
        });
    }

    /** Loads weights saved by {@link #save} into a model of the same architecture (built first). */
    public static void load(Sequential model, Path file) throws IOException {
        List<Param> params = model.params();
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(raw))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException(file + ": not a glassbox weights file (magic 0x" + Integer.toHexString(magic)
                        + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": weights format version " + version + ", this build reads " + VERSION);
            }
            int count = in.readInt();
            if (count != params.size()) {
                throw new IOException(file + " holds " + count + " parameters but the model has " + params.size());
            }
            // Read everything before touching the model, so a bad file leaves the weights unchanged.
            float[][] values = new float[count][];
            int k = 0;
            for (Layer layer : model.layers()) {
                for (Param p : layer.params()) {
                    String layerName = in.readUTF();
                    String paramName = in.readUTF();
                    int rank = in.readInt();
                    if (rank < 0 || rank > 8) {
                        throw new IOException(file + ": parameter " + k + " has an impossible rank " + rank);
                    }
                    int[] shape = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        shape[i] = in.readInt();
                    }
                    if (!layerName.equals(layer.name()) || !paramName.equals(p.name())
                            || !Arrays.equals(shape, p.value().shape())) {
                        throw new IOException(file + ": parameter " + k + " is " + layerName + "." + paramName
                                + Tensor.shapeString(shape) + " but the model expects " + layer.name() + "." + p.name()
                                + Tensor.shapeString(p.value().shape()));
                    }
                    float[] v = new float[p.value().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                    values[k++] = v;
                }
            }
            if (in.read() != -1) {
                throw new IOException(file + ": unexpected bytes after the last parameter");
            }
            for (int i = 0; i < count; i++) {
                System.arraycopy(values[i], 0, params.get(i).value().data(), 0, values[i].length);
            }
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: it ends before all " + params.size() + " parameters were read", e);
        }
    }
}
