package glassbox.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import glassbox.data.FileEdits;
import glassbox.data.FileFuzz;
import glassbox.data.FileEdits.Edit;
import glassbox.data.FileFuzz.Target;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Dense;
import glassbox.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WeightIO#load} — {@code Sequential.loadWeights}, and the weights-only checkpoints
 * {@code ModelCheckpoint} writes — on damaged files (see {@link FileFuzz}). A load either succeeds, and
 * then the model holds exactly the floats stored in the file, or throws a plain {@link IOException} whose
 * message names the file and leaves the model's weights as they were. A name length, count, rank or
 * dimension claiming a huge size must not be allocated.
 */
class WeightIOFuzzTest {
    private static final int TRIES = 300;

    @TempDir
    Path dir;

    private Sequential model;
    private List<Tensor> original;
    private byte[] valid;
    /** Where each int field of the parameter section sits, and where each parameter's floats start. */
    private final List<Integer> intFields = new ArrayList<>();
    private final List<Integer> nameLengths = new ArrayList<>();
    private final List<Integer> valueOffsets = new ArrayList<>();

    @BeforeEach
    void saveASmallModel() throws IOException {
        model = new Sequential(5, new Dense(3), new BatchNormalization(), new Dense(2));
        model.build(4);
        original = model.getWeights();
        Path file = dir.resolve("valid.weights");
        WeightIO.save(model, file);
        valid = Files.readAllBytes(file);
        locateFields();
    }

    /**
     * Walks the documented layout (not WeightIO's code): magic, version, count, then per parameter two
     * modified-UTF-8 names (2-byte length first), the rank, the dimensions and the floats.
     */
    private void locateFields() {
        ByteBuffer b = ByteBuffer.wrap(valid);
        intFields.add(8); // the parameter count
        int at = 12;
        for (int p = 0; p < model.params().size(); p++) {
            for (int name = 0; name < 2; name++) {
                nameLengths.add(at);
                at += 2 + b.getShort(at);
            }
            int rank = b.getInt(at);
            intFields.add(at);
            at += 4;
            int size = 1;
            for (int d = 0; d < rank; d++) {
                intFields.add(at);
                size *= b.getInt(at);
                at += 4;
            }
            valueOffsets.add(at);
            at += 4 * size;
        }
        assertEquals(valid.length, at, "the walk must end at the end of the file");
    }

    /**
     * Resets the model, loads the damaged file into it, and returns its weights; a failed load must have
     * left the weights untouched (checked here, before the exception goes on to the harness).
     */
    private Target<List<Tensor>> load() {
        Path file = dir.resolve("damaged.weights");
        return Target.of(file, () -> {
            model.setWeights(original);
            try {
                WeightIO.load(model, file);
            } catch (IOException e) {
                List<Tensor> after = model.getWeights();
                for (int i = 0; i < after.size(); i++) {
                    assertArrayEquals(original.get(i).data(), after.get(i).data(), "a failed load changed weight " + i);
                }
                throw e;
            }
            return model.getWeights();
        }, this::storedFloats, IOException.class);
    }

    /** A successful load reproduces the file's float bits exactly, at the offsets of the valid layout. */
    private void storedFloats(List<Tensor> weights, byte[] bytes) {
        assertEquals(valid.length, bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        for (int p = 0; p < weights.size(); p++) {
            float[] w = weights.get(p).data();
            for (int i = 0; i < w.length; i++) {
                assertEquals(b.getInt(valueOffsets.get(p) + 4 * i), Float.floatToRawIntBits(w[i]),
                        "parameter " + p + " value " + i);
            }
        }
    }

    private FileEdits.Generator hugeFields() {
        return (rng, bytes) -> {
            if (rng.nextInt(3) == 0) {
                int at = nameLengths.get(rng.nextInt(nameLengths.size()));
                short[] lengths = {(short) 0xFFFF, Short.MAX_VALUE, (short) 0x8000, 0};
                return List.<Edit>of(new FileEdits.PutShort(at, lengths[rng.nextInt(lengths.length)]));
            }
            int at = intFields.get(rng.nextInt(intFields.size()));
            return List.<Edit>of(new FileEdits.PutInt(at, FileEdits.hugeSize(rng, ByteBuffer.wrap(bytes).getInt(at))));
        };
    }

    @Test
    void truncatedFiles() throws IOException {
        FileFuzz.check("weights truncated", 901, TRIES, valid, FileEdits.truncations(), load());
    }

    @Test
    void bitFlippedFiles() throws IOException {
        // The first value is at valueOffsets[0]: half the flips land in the magic, version, names and shapes.
        FileFuzz.check("weights bit-flipped", 911, TRIES, valid, FileEdits.bitFlips(3, valueOffsets.get(0)), load());
    }

    @Test
    void fieldsClaimingHugeSizes() throws IOException {
        FileFuzz.check("weights huge sizes", 921, TRIES, valid, hugeFields(), load());
    }
}
