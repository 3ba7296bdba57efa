package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir
    Path dir;

    @Test
    void plainFieldsAreWrittenAsTheyAre() {
        String csv = Csv.toCsv(List.of("model", "epochs", "accuracy"), List.of(List.of("dense", 3, 0.9259f)));
        assertEquals("model,epochs,accuracy\ndense,3,0.9259\n", csv);
    }

    @Test
    void fieldsWithCommaQuoteOrNewlineAreQuotedPerRfc4180() {
        assertEquals("\"a,b\"", Csv.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", Csv.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", Csv.quote("two\nlines"));
        assertEquals("\"cr\rhere\"", Csv.quote("cr\rhere"));
        assertEquals("no quotes needed; semicolons and spaces are fine", Csv.quote(
                "no quotes needed; semicolons and spaces are fine"));
    }

    @Test
    void nullIsAnEmptyFieldAndNaNIsWrittenAsNaN() {
        String csv = Csv.toCsv(List.of("a", "b"), List.of(Arrays.asList(null, Double.NaN)));
        assertEquals("a,b\n,NaN\n", csv);
    }

    @Test
    void rowOfWrongLengthIsRejectedNamingTheRow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csv.toCsv(List.of("a", "b"), List.of(List.of(1, 2), List.of(3))));
        assertTrue(e.getMessage().contains("row 1 has 1 cells, expected 2"), e.getMessage());
    }

    @Test
    void writeProducesTheSameTextInAFile() throws IOException {
        Path f = dir.resolve("r/results.csv");
        Csv.write(f, List.of("x"), List.of(List.of("1,5")));
        assertEquals("x\n\"1,5\"\n", Files.readString(f));
    }
}
