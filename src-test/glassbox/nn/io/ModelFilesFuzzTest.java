package glassbox.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import glassbox.data.FileEdits;
import glassbox.data.FileFuzz;
import glassbox.data.FileEdits.Edit;
import glassbox.data.FileFuzz.Target;
import glassbox.nn.Sequential;
import glassbox.nn.WeightIO;
import glassbox.nn.layers.Activation;
import glassbox.nn.layers.ActivationLayer;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.layers.UpSampling2D;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ModelFiles#load} — whole-model files, and the checkpoints {@code ModelCheckpoint} writes by
 * default — on damaged files (see {@link FileFuzz}). A load either returns a model whose weights section,
 * written again, is byte for byte the file's, or throws a plain {@link IOException} whose message names
 * the file. The JSON header is damaged as text too (its length fixed up so the damage reaches the
 * parser): a layer claiming a billion units, an input shape of 2³⁰, a nesting ten thousand deep must not
 * be allocated or overflow the stack.
 */
class ModelFilesFuzzTest {
    private static final int TRIES = 300;
    /** Numbers a damaged config might hold: sizes past what the file could hold, zero, negative, non-integer. */
    private static final String[] NUMBERS = {"2147483647", "2000000000", "1e9", "1000000", "65536", "46341", "4096",
        "-1", "0", "3.5", "1e400", "-1e400", "99999999999999999999", "1"};
    /** Pieces of JSON syntax, and a few things that are not. */
    private static final String[] PIECES = {"{", "}", "[", "]", ",", ":", "\"", "null", "true", "-", "1e999", "\\u0000",
        "\\", "\u00ff", "Dense", "\"class_name\": \"Conv2D\"", "[".repeat(10_000), "{\"a\":".repeat(5_000)};
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");

    @TempDir
    Path dir;

    private byte[] valid;
    private int headerBytes;
    /** Offsets of the int fields of the weights section: the count, each rank and dimension. */
    private final List<Integer> intFields = new ArrayList<>();

    @BeforeEach
    void saveAModelOfEveryLayerKind() throws IOException {
        Sequential model = new Sequential(7, new Conv2D(4, 3, "same", "relu"), new MaxPooling2D(),
                new BatchNormalization(), new UpSampling2D(2), new Flatten(), new Dropout(0.25),
                new Dense(5, "relu"), new Dense(3), new ActivationLayer(Activation.SOFTMAX));
        model.build(6, 6, 1);
        Path file = dir.resolve("valid.gbx");
        ModelFiles.save(model, file);
        valid = Files.readAllBytes(file);
        headerBytes = ByteBuffer.wrap(valid).getInt(8);
        locateWeightFields(12 + headerBytes);
    }

    /** The documented layout of the weights section: count, then per parameter two names, rank, dims, floats. */
    private void locateWeightFields(int at) {
        ByteBuffer b = ByteBuffer.wrap(valid);
        int count = b.getInt(at);
        intFields.add(at);
        at += 4;
        for (int p = 0; p < count; p++) {
            at += 2 + b.getShort(at);
            at += 2 + b.getShort(at);
            int rank = b.getInt(at);
            int size = 1;
            for (int d = 0; d <= rank; d++) {
                intFields.add(at);
                size *= d == 0 ? 1 : b.getInt(at);
                at += 4;
            }
            at += 4 * size;
        }
        assertEquals(valid.length, at, "the walk must end at the end of the file");
    }

    private Target<Sequential> load() {
        Path file = dir.resolve("damaged.gbx");
        return Target.of(file, () -> ModelFiles.load(file), ModelFilesFuzzTest::weightsRoundTrip, IOException.class);
    }

    /** The loaded model's weights, written as a parameter section, are the file's bytes after the header. */
    private static void weightsRoundTrip(Sequential model, byte[] bytes) throws IOException {
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        WeightIO.writeParams(model, new DataOutputStream(section));
        int n = ByteBuffer.wrap(bytes).getInt(8);
        assertArrayEquals(Arrays.copyOfRange(bytes, 12 + n, bytes.length), section.toByteArray());
    }

    /** Replaces {@code removed} header bytes at {@code offset} (within the header) and fixes the header length. */
    private record HeaderSplice(int offset, int removed, byte[] inserted) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            int n = ByteBuffer.wrap(b).getInt(8);
            int from = Math.min(offset, n);
            int cut = Math.min(removed, n - from);
            byte[] out = new FileEdits.Splice(12 + from, cut, inserted).apply(b);
            ByteBuffer.wrap(out).putInt(8, n - cut + inserted.length);
            return out;
        }

        @Override
        public String toString() {
            String text = new String(inserted, StandardCharsets.UTF_8);
            return "HeaderSplice[offset=" + offset + ", removed=" + removed + ", inserted="
                    + (text.length() > 40 ? text.substring(0, 40) + "… (" + text.length() + " chars)" : text) + "]";
        }
    }

    /** One number of the JSON header (a units, filters, kernel size, input dimension…) replaced by another. */
    private FileEdits.Generator numberEdits() {
        String header = new String(valid, 12, headerBytes, StandardCharsets.UTF_8);
        List<int[]> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(header);
        while (m.find()) {
            // byte offsets: the header is ASCII, so characters and bytes line up
            numbers.add(new int[] {m.start(), m.end() - m.start()});
        }
        return (rng, bytes) -> {
            int[] number = numbers.get(rng.nextInt(numbers.size()));
            String replacement = NUMBERS[rng.nextInt(NUMBERS.length)];
            return List.of(new HeaderSplice(number[0], number[1], replacement.getBytes(StandardCharsets.UTF_8)));
        };
    }

    /** 1 to 3 pieces of JSON syntax inserted or written over the header, or a few of its bytes deleted. */
    private FileEdits.Generator jsonEdits() {
        return (rng, bytes) -> {
            List<Edit> edits = new ArrayList<>();
            int count = 1 + rng.nextInt(3);
            for (int i = 0; i < count; i++) {
                int at = rng.nextInt(headerBytes);
                byte[] piece = PIECES[rng.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8);
                edits.add(switch (rng.nextInt(3)) {
                    case 0 -> new HeaderSplice(at, 0, piece);
                    case 1 -> new HeaderSplice(at, 1, piece);
                    default -> new HeaderSplice(at, 1 + rng.nextInt(6), new byte[0]);
                });
            }
            return edits;
        };
    }

    @Test
    void theParameterCountsCheckedBeforeBuildingAreExact() {
        Sequential model = new Sequential(1, new Conv2D(3, 2, 3, 1, 1, glassbox.tensor.Padding.of("valid"),
                Activation.RELU, false, null), new Conv2D(2, 3), new BatchNormalization(), new Flatten(),
                new Dense(4, Activation.RELU, false, glassbox.nn.init.Initializer.glorotUniform(),
                        glassbox.nn.init.Initializer.zeros(), null), new Dense(3));
        model.build(7, 6, 2);
        for (glassbox.nn.Layer layer : model.layers()) {
            long actual = layer.params().stream().mapToLong(p -> p.value().size()).sum();
            assertEquals(actual, ParameterBudget.parameters(layer, layer.inputShape()), layer.name());
        }
    }

    @Test
    void aHeaderClaimingABillionUnitsIsRefusedBeforeItIsAllocated() throws IOException {
        Path file = dir.resolve("billion.gbx");
        String header = new String(valid, 12, headerBytes, StandardCharsets.UTF_8);
        int at = header.indexOf("\"units\": 5");
        Files.write(file, new HeaderSplice(at, "\"units\": 5".length(),
                "\"units\": 1000000000".getBytes(StandardCharsets.UTF_8)).apply(valid));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> ModelFiles.load(file));
        assertEquals(file + " is truncated inside the weights section, or its header is corrupt: the layers in the "
                + "header need at least 145000000056 parameters by layer 6 (Dense on input (144,)), but the bytes "
                + "after the header hold at most " + (valid.length - 12 - headerBytes) / 4, e.getMessage());
    }

    @Test
    void truncatedFiles() throws IOException {
        FileFuzz.check("model truncated", 931, TRIES, valid, FileEdits.truncations(), load());
    }

    @Test
    void bitFlippedFiles() throws IOException {
        FileFuzz.check("model bit-flipped", 941, TRIES, valid, FileEdits.bitFlips(3, 12 + headerBytes), load());
    }

    @Test
    void sizeFieldsClaimingHugeSizes() throws IOException {
        int[] fields = new int[intFields.size() + 1];
        fields[0] = 8; // the header length
        for (int i = 0; i < intFields.size(); i++) {
            fields[i + 1] = intFields.get(i);
        }
        FileFuzz.check("model huge size fields", 951, TRIES, valid, FileEdits.hugeIntFields(fields), load());
    }

    @Test
    void headerNumbersClaimingHugeSizes() throws IOException {
        FileFuzz.check("model header numbers", 961, TRIES, valid, numberEdits(), load());
    }

    @Test
    void headerJsonSyntaxDamaged() throws IOException {
        FileFuzz.check("model header json edits", 971, TRIES, valid, jsonEdits(), load());
    }
}
