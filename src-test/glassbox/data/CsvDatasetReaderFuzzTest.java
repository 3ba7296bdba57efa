package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import glassbox.data.FileEdits.Edit;
import glassbox.data.FileEdits.Splice;
import glassbox.data.FileFuzz.Target;
import glassbox.util.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CsvDatasetReader} on a folder one of whose four files is damaged (see {@link FileFuzz}): it reads
 * exactly what a plain split-on-commas parser reads, or throws a {@link MalformedDataException} naming the
 * damaged file — also for a header of a million columns, which must not make it reserve a block of a
 * thousand million-cell rows before the first row is seen.
 */
class CsvDatasetReaderFuzzTest {
    private static final int TRIES = 200;
    private static final String X_TRAIN = "0,1,2,3,4,5,6,7,8\n"
            + "0,1,2,3,4,5,6,7,8\n255,254,253,0.5,12.0,-1.25,1e2,7,0\n9,9,9,9,9,9,9,9,9\n3,1,4,1,5,9,2,6,5\n";
    private static final String Y_TRAIN = "0\n0\n1\n2\n1\n";
    private static final String X_TEST = "p1,p2,p3,p4,p5,p6,p7,p8,p9\r\n1,2,3,4,5,6,7,8,9\r\n\r\n0,0,0,0,0,0,0,0,0\r\n";
    private static final String Y_TEST = "label\n2\n0\n";

    @TempDir
    Path dir;

    @BeforeEach
    void writeValidFolder() throws IOException {
        Files.writeString(dir.resolve("x_train.csv"), X_TRAIN);
        Files.writeString(dir.resolve("y_train.csv"), Y_TRAIN);
        Files.writeString(dir.resolve("x_test.csv"), X_TEST);
        Files.writeString(dir.resolve("y_test.csv"), Y_TEST);
    }

    /** Reads the folder after {@code damaged} was overwritten; a read must agree with {@link #naive}. */
    private Target<TrainTest> folder(String damaged) {
        Target<TrainTest> t = Target.of(dir.resolve(damaged), () -> CsvDatasetReader.readDirectory(dir, 3),
                (data, bytes) -> {
                    assertSame(naive("x_train.csv", "y_train.csv"), data.train());
                    assertSame(naive("x_test.csv", "y_test.csv"), data.test());
                }, MalformedDataException.class);
        return t;
    }

    private static void assertSame(Dataset expected, Dataset actual) {
        assertArrayEquals(expected.x().shape(), actual.x().shape());
        assertArrayEquals(expected.x().data(), actual.x().data());
        assertArrayEquals(expected.y(), actual.y());
    }

    /**
     * The reference: lines split at {@code \n} (a {@code \r} before it dropped, blank lines skipped), the first
     * one the header, the rest split at commas and parsed by {@link Double#parseDouble}.
     */
    private Dataset naive(String images, String labels) throws IOException {
        List<double[]> x = rows(images);
        List<double[]> y = rows(labels);
        int side = (int) Math.round(Math.sqrt(x.get(0).length));
        float[] data = new float[x.size() * side * side];
        for (int i = 0; i < x.size(); i++) {
            for (int j = 0; j < side * side; j++) {
                data[i * side * side + j] = (float) x.get(i)[j];
            }
        }
        int[] classes = y.stream().mapToInt(r -> (int) r[0]).toArray();
        return new Dataset(new glassbox.tensor.Tensor(data, x.size(), side, side), classes, 3, "naive");
    }

    private List<double[]> rows(String name) throws IOException {
        String text = new String(Files.readAllBytes(dir.resolve(name)), StandardCharsets.UTF_8).replace("\uFEFF", "");
        List<double[]> rows = new ArrayList<>();
        boolean header = true;
        for (String line : text.split("\n", -1)) {
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (line.isEmpty()) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] cells = line.split(",", -1);
            double[] row = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                row[j] = Double.parseDouble(cells[j]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** What a damaged CSV may contain: the bytes that carry its structure, digits and a few foreign ones. */
    private static final byte[][] PIECES = {bytes(","), bytes("\n"), bytes("\r\n"), bytes("\""), bytes("."),
        bytes("e"), bytes("-"), bytes("+"), bytes(" "), bytes("\t"), bytes("7"), bytes("0"), bytes("\uFEFF"),
        {0}, {(byte) 0xFF}, {(byte) 0xC3}, bytes("NaN"), bytes("1e999"), bytes("0x1p3"), bytes("12345678901234567890"),
        bytes("9".repeat(400))};

    /** 1 to 4 text edits: a piece inserted, a piece written over a byte, or a short run of bytes deleted. */
    private static FileEdits.Generator textEdits() {
        return (rng, valid) -> {
            List<Edit> edits = new ArrayList<>();
            int n = 1 + rng.nextInt(4);
            for (int i = 0; i < n; i++) {
                int at = rng.nextInt(valid.length + 1);
                byte[] piece = PIECES[rng.nextInt(PIECES.length)];
                edits.add(switch (rng.nextInt(3)) {
                    case 0 -> new Splice(at, 0, piece);
                    case 1 -> new Splice(at, 1, piece);
                    default -> new Splice(at, 1 + rng.nextInt(4), new byte[0]);
                });
            }
            return edits;
        };
    }

    /**
     * The header replaced by one of {@code k²} columns for a large {@code k} (the pandas column numbers, or
     * one-letter names), or a row made very long, or a cell made of hundreds of digits.
     */
    private static FileEdits.Generator oversized() {
        int[] sides = {100, 300, 1000};
        return (rng, valid) -> {
            int headerEnd = new String(valid, StandardCharsets.UTF_8).indexOf('\n');
            int k = sides[rng.nextInt(sides.length)];
            return switch (rng.nextInt(3)) {
                case 0 -> List.of(new Splice(0, headerEnd, header(k * k, rng.nextInt(2) == 0)));
                case 1 -> List.of(new Splice(headerEnd + 1 + rng.nextInt(valid.length - headerEnd - 1), 0,
                        bytes(",1".repeat(k * k / 2))));
                default -> List.of(new Splice(headerEnd + 1, 1, bytes("1".repeat(k))));
            };
        };
    }

    private static byte[] header(int columns, boolean numbers) {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < columns; j++) {
            sb.append(j == 0 ? "" : ",").append(numbers ? String.valueOf(j) : "a");
        }
        return bytes(sb.toString());
    }

    @Test
    void truncatedFiles() throws IOException {
        FileFuzz.check("csv x_train truncated", 831, TRIES, bytes(X_TRAIN), FileEdits.truncations(),
                folder("x_train.csv"));
        FileFuzz.check("csv y_train truncated", 832, TRIES, bytes(Y_TRAIN), FileEdits.truncations(),
                folder("y_train.csv"));
    }

    @Test
    void bitFlippedFiles() throws IOException {
        FileFuzz.check("csv x_train bit-flipped", 841, TRIES, bytes(X_TRAIN), FileEdits.bitFlips(3, 18),
                folder("x_train.csv"));
        FileFuzz.check("csv x_test bit-flipped", 842, TRIES, bytes(X_TEST), FileEdits.bitFlips(3, 27),
                folder("x_test.csv"));
        FileFuzz.check("csv y_test bit-flipped", 843, TRIES, bytes(Y_TEST), FileEdits.bitFlips(2, 6),
                folder("y_test.csv"));
    }

    @Test
    void structuralTextEdits() throws IOException {
        FileFuzz.check("csv x_train text edits", 851, TRIES, bytes(X_TRAIN), textEdits(), folder("x_train.csv"));
        FileFuzz.check("csv y_train text edits", 852, TRIES, bytes(Y_TRAIN), textEdits(), folder("y_train.csv"));
    }

    @Test
    void oversizedHeadersRowsAndCells() throws IOException {
        FileFuzz.check("csv x_train oversized", 861, 20, bytes(X_TRAIN), oversized(), folder("x_train.csv"));
    }

    @Test
    void theNaiveReferenceReadsTheValidFolderAsTheReaderDoes() throws IOException {
        TrainTest data = CsvDatasetReader.readDirectory(dir, 3);
        assertSame(naive("x_train.csv", "y_train.csv"), data.train());
        assertEquals(2, naive("x_test.csv", "y_test.csv").size());
        assertEquals(1e2f, data.train().x().data()[15]);
    }
}
