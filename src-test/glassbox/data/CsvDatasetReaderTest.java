package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.util.Rng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A valid 2 × 2-pixel dataset: three train images of classes 0..2, one test image. */
    private void writeSmallFolder() throws IOException {
        write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3\n255,254,253,252\n0.5,1e2,-1.25,7\n");
        write("y_train.csv", "label\n0\n1\n2\n");
        write("x_test.csv", "p1,p2,p3,p4\n9,8,7,6\n");
        write("y_test.csv", "label\n2\n");
    }

    /** Asserts that {@code e}'s message starts with {@code file} and the position, and contains every snippet. */
    private static void assertMessage(Exception e, Path file, String position, String... snippets) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": " + position), "expected '" + file + ": " + position + "…', got: " + m);
        for (String s : snippets) {
            assertTrue(m.contains(s), "expected the message to contain '" + s + "', got: " + m);
        }
    }

    private MalformedDataException assertMalformed() {
        return assertThrows(MalformedDataException.class, () -> CsvDatasetReader.readDirectory(dir, 3));
    }

    @Test
    void smallValidFolderLoadsWithTheRightValuesAndShape() throws IOException {
        writeSmallFolder();

        TrainTest data = CsvDatasetReader.readDirectory(dir, "tiny", 3);

        Dataset train = data.train();
        assertArrayEquals(new int[] {3, 2, 2}, train.x().shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 255, 254, 253, 252, 0.5f, 100, -1.25f, 7}, train.x().data());
        assertArrayEquals(new int[] {0, 1, 2}, train.y());
        assertEquals(3, train.numClasses());
        assertEquals("tiny-train", train.name());
        assertArrayEquals(new int[] {1, 2, 2}, data.test().x().shape());
        assertArrayEquals(new float[] {9, 8, 7, 6}, data.test().x().data());
        assertArrayEquals(new int[] {2}, data.test().y());
        assertEquals("tiny-test", data.test().name());
    }

    @Test
    void pandasDefaultColumnNumbersCountAsAHeaderAndTheSideComesFromTheColumns() throws IOException {
        // What `pd.DataFrame(array).to_csv(index=False)` writes: the header 0,1,…,783, and "0" over the labels.
        StringJoiner header = new StringJoiner(",", "", "\n");
        StringJoiner row = new StringJoiner(",", "", "\n");
        for (int j = 0; j < 784; j++) {
            header.add(String.valueOf(j));
            row.add(String.valueOf(j % 256));
        }
        Path x = write("x.csv", header + row.toString() + row);
        Path y = write("y.csv", "0\n4\n0\n");

        Dataset d = CsvDatasetReader.readPair(x, y, 5, "pandas");

        assertArrayEquals(new int[] {2, 28, 28}, d.x().shape());
        assertEquals(255f, d.x().data()[255]);
        assertEquals(783 % 256, d.x().data()[784 + 27 * 28 + 27]); // image 1, row 27, column 27: cell 784
        assertArrayEquals(new int[] {4, 0}, d.y());
    }

    @Test
    void windowsLineEndsByteOrderMarkBlankLinesSpacesAndIntegralFloatLabelsAreAccepted() throws IOException {
        Path x = write("x.csv", "\uFEFF\"a,1\",b,c,d\r\n1, 2 ,3,4\r\n\r\n5,6,7,8\r\n");
        Path y = write("y.csv", "y\r\n1.0\r\n\r\n0\r\n");

        Dataset d = CsvDatasetReader.readPair(x, y, 2, "windows");

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, d.x().data());
        assertArrayEquals(new int[] {1, 0}, d.y());
    }

    @Test
    void raggedRowSaysHowManyCellsItHasAndHowManyTheHeaderHas() throws IOException {
        writeSmallFolder();
        Path x = write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3\n4,5,6\n8,9,10,11\n");
        assertMessage(assertMalformed(), x, "line 3, column 4: ", "has 3 cells but the header has 4");

        write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3,9,9\n4,5,6,7\n8,9,10,11\n");
        assertMessage(assertMalformed(), x, "line 2, column 5: ", "has 6 cells but the header has 4");

        Path y = write("y_train.csv", "label\n0\n1,1\n2\n");
        write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3\n4,5,6,7\n8,9,10,11\n");
        assertMessage(assertMalformed(), y, "line 3, column 2: ", "has 2 cells but the header has 1");
    }

    @Test
    void nonNumericCellIsQuoted() throws IOException {
        writeSmallFolder();
        Path x = write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3\n4,five,6,7\n8,9,10,11\n");
        assertMessage(assertMalformed(), x, "line 3, column 2: ", "cell 'five' is not a finite decimal number",
                "expected a number");

        write("x_train.csv", "p1,p2,p3,p4\n0,1,2,3\n4,5,,7\n8,9,10,11\n");
        assertMessage(assertMalformed(), x, "line 3, column 3: ", "the cell is empty");
    }

    @Test
    void labelOutOfRangeOrNotAnIntegerIsAnError() throws IOException {
        writeSmallFolder();
        Path y = write("y_train.csv", "label\n0\n3\n2\n");
        assertMessage(assertMalformed(), y, "line 3, column 1: ", "label 3 is outside [0, 3)");

        write("y_train.csv", "label\n-1\n1\n2\n");
        assertMessage(assertMalformed(), y, "line 2, column 1: ", "label -1 is outside [0, 3)");

        write("y_train.csv", "label\n0\n1\n2.5\n");
        assertMessage(assertMalformed(), y, "line 4, column 1: ", "label '2.5' is not an integer");

        write("y_train.csv", "label\n0\none\n2\n");
        assertMessage(assertMalformed(), y, "line 3, column 1: ", "cell 'one' is not a finite decimal number");
    }

    @Test
    void firstRowOfNumbersIsAMissingHeader() throws IOException {
        writeSmallFolder();
        Path x = write("x_train.csv", "0,0,0,0\n255,254,253,252\n4,5,6,7\n");
        assertMessage(assertMalformed(), x, "line 1, column 1: ", "'0,0,0,0' is numeric",
                "expected a header row such as pandas writes");

        write("x_train.csv", "12,0,0,7\n255,254,253,252\n4,5,6,7\n");
        assertMessage(assertMalformed(), x, "line 1, column 1: ", "'12,0,0,7' is numeric",
                "expected a header row such as pandas writes");
    }

    @Test
    void emptyFileAndHeaderOnlyFileAreErrors() throws IOException {
        writeSmallFolder();
        Path y = write("y_test.csv", "");
        assertMessage(assertMalformed(), y, "line 1, column 1: ", "the file is empty", "expected a header row");

        write("y_test.csv", "label\n2\n");
        Path x = write("x_test.csv", "p1,p2,p3,p4\n");
        assertMessage(assertMalformed(), x, "line 2: ", "ends after its header");
    }

    @Test
    void imageAndLabelRowCountsMustAgree() throws IOException {
        writeSmallFolder();
        Path y = write("y_train.csv", "label\n0\n1\n");
        assertMessage(assertMalformed(), y, "line 4, column 1: ", "ends after 2 labels",
                dir.resolve("x_train.csv") + " holds 3 images");

        write("y_train.csv", "label\n0\n1\n2\n\n1\n");
        assertMessage(assertMalformed(), y, "line 6, column 1: ", "label row 4 has no image",
                dir.resolve("x_train.csv") + " holds 3 images");
    }

    @Test
    void missingFilesAreAllNamed() throws IOException {
        writeSmallFolder();
        Files.delete(dir.resolve("x_test.csv"));
        Files.delete(dir.resolve("y_test.csv"));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> CsvDatasetReader.readDirectory(dir, 3));

        assertMessage(e, dir.resolve("x_test.csv"), "no such file", "lacks x_test.csv, y_test.csv");
    }

    @Test
    void columnCountThatIsNotASquareIsAnErrorAndAPandasIndexIsRecognised() throws IOException {
        writeSmallFolder();
        Path x = write("x_train.csv", "p1,p2,p3\n0,1,2\n3,4,5\n6,7,8\n");
        assertMessage(assertMalformed(), x, "line 1: ", "has 3 columns, which is not a perfect square");

        write("x_train.csv", ",0,1,2,3\n0,0,1,2,3\n1,4,5,6,7\n2,8,9,10,11\n");
        assertMessage(assertMalformed(), x, "line 1: ", "has 5 columns", "index=False");
    }

    @Test
    void trainAndTestImagesMustHaveOneSize() throws IOException {
        writeSmallFolder();
        Path x = write("x_test.csv", "a,b,c,d,e,f,g,h,i\n1,2,3,4,5,6,7,8,9\n");
        assertMessage(assertMalformed(), x, "line 1: ", "9 columns (3 × 3 images)", "has 4 (2 × 2)");
    }

    @Test
    void numClassesMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvDatasetReader.readDirectory(dir, 0));
        assertTrue(e.getMessage().contains("numClasses is 0"), e.getMessage());
    }

    @Test
    void parseNumberAcceptsDecimalNumbersOnly() {
        String[] good = {"0", "255", "-3", "+4", "0.5", ".5", "5.", "1e2", "1E-2", "-1.25e+3", " 7 ", "1234567890123"};
        double[] values = {0, 255, -3, 4, 0.5, 0.5, 5, 100, 0.01, -1250, 7, 1234567890123.0};
        for (int i = 0; i < good.length; i++) {
            assertEquals(values[i], parse(good[i]), good[i]);
        }
        for (String bad : new String[] {"", " ", "-", ".", "e5", "1e", "1e+", "0x10", "1f", "NaN", "Infinity", "1e999",
            "1.2.3", "\"7\"", "1 2"}) {
            assertTrue(Double.isNaN(parse(bad)), "'" + bad + "' should not parse, got " + parse(bad));
        }
    }

    @Test
    void shortDecimalsReadWithoutParseDoubleGiveParseDoublesValue() {
        // The fast path divides an integer significand by a power of ten; Double.parseDouble is the reference.
        Rng rng = new Rng(7);
        for (int k = 0; k < 20000; k++) {
            int digits = 1 + rng.nextInt(15);
            StringBuilder s = new StringBuilder(rng.nextInt(2) == 0 ? "" : "-");
            int point = rng.nextInt(digits + 1);
            for (int d = 0; d < digits; d++) {
                if (d == point) {
                    s.append('.');
                }
                s.append((char) ('0' + rng.nextInt(10)));
            }
            assertEquals(Double.parseDouble(s.toString()), parse(s.toString()), s.toString());
        }
    }

    private static double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return CsvDatasetReader.parseNumber(b, 0, b.length);
    }
}
