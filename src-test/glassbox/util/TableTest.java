package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
    @TempDir
    Path dir;

    @Test
    void printsAlignedColumnsNumbersRightTextLeft() {
        Table t = new Table("Test results", "model", "loss", "accuracy", "params");
        t.addRow("dense", 0.2551, 0.92591f, 101_770);
        t.addRow("cnn (small)", 0.03, 0.99, 34_826);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String expected = ""
                + "Test results\n"
                + "model          loss  accuracy  params\n"
                + "-----------  ------  --------  ------\n"
                + "dense        0.2551    0.9259  101770\n"
                + "cnn (small)  0.0300    0.9900   34826\n";
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tinyAndHugeDoublesUseScientificNotationOthersFourDecimals() {
        assertEquals("1.0000e-05", Table.format(1e-5));
        assertEquals("1.2346e+08", Table.format(123_456_789.0));
        assertEquals("-3.1416", Table.format(-Math.PI));
        assertEquals("0.0000", Table.format(0.0));
        assertEquals("NaN", Table.format(Double.NaN));
        assertEquals("", Table.format(null));
        assertEquals("42", Table.format(42L));
    }

    @Test
    void csvKeepsFullPrecision() throws IOException {
        Path f = dir.resolve("results.csv");
        new Table("", "name", "value").addRow("pi", Math.PI).saveCsv(f);
        assertEquals("name,value\npi," + Math.PI + "\n", Files.readString(f));
    }

    @Test
    void rowWithWrongNumberOfCellsIsRejected() {
        Table t = new Table("t", "a", "b");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.addRow(1));
        assertTrue(e.getMessage().contains("row has 1 cells, expected 2"), e.getMessage());
    }

    @Test
    void noTitleMeansNoTitleLine() {
        String text = new Table("", "a").addRow("x").render();
        assertEquals("a\n-\nx\n", text);
    }
}
