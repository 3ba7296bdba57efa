package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    record Result(String model, int epochs, double loss, float accuracy, double[] curve) {
    }

    @Test
    void recordRoundTripsWithFieldsInDeclarationOrder() {
        Result r = new Result("dense", 3, 0.25, 0.9259f, new double[] {1.5, 0.5});
        String json = Json.toJson(r);
        assertTrue(json.indexOf("\"model\"") < json.indexOf("\"epochs\"")
                && json.indexOf("\"epochs\"") < json.indexOf("\"loss\""), json);
        assertTrue(json.contains("\"accuracy\": 0.9259"), "a float prints as the float it is: " + json);
        assertTrue(json.contains("\n  \"model\": \"dense\""), "pretty-printed with two-space indent: " + json);
        Result back = Json.fromJson(json, Result.class);
        assertEquals(r.model(), back.model());
        assertEquals(r.epochs(), back.epochs());
        assertEquals(r.loss(), back.loss());
        assertEquals(r.accuracy(), back.accuracy());
        assertEquals(List.of(1.5, 0.5), List.of(back.curve()[0], back.curve()[1]));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNullAndReadBackAsNaN() {
        Result r = new Result("diverged", 1, Double.NaN, Float.POSITIVE_INFINITY,
                new double[] {Double.NEGATIVE_INFINITY, 2});
        String json = Json.toJson(r);
        assertTrue(json.contains("\"loss\": null"), json);
        assertTrue(json.contains("\"accuracy\": null"), json);
        assertTrue(json.replaceAll("\\s", "").contains("\"curve\":[null,2.0]"), json);
        Result back = Json.fromJson(json, Result.class);
        assertTrue(Double.isNaN(back.loss()));
        assertTrue(Float.isNaN(back.accuracy()));
        assertTrue(Double.isNaN(back.curve()[0]));
    }

    @Test
    void nonFiniteInsideAnUntypedMapIsNullToo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", Double.NaN);
        m.put("alpha", List.of(1.0, Double.POSITIVE_INFINITY));
        String compact = Json.toJson(m).replaceAll("\\s", "");
        assertEquals("{\"zeta\":null,\"alpha\":[1.0,null]}", compact, "map order kept, non-finite as null");
    }

    @Test
    void writeIsAtomicAndEndsWithNewline() throws IOException {
        Path f = dir.resolve("sub/results.json");
        Json.write(f, Map.of("k", 1));
        String text = Files.readString(f);
        assertTrue(text.endsWith("}\n"), text);
        assertEquals(1.0, ((Number) Json.read(f, Map.class).get("k")).doubleValue());
    }

    @Test
    void malformedFileIsReportedWithItsPath() throws IOException {
        Path f = dir.resolve("broken.json");
        Files.writeString(f, "{\"model\": ");
        IOException e = assertThrows(IOException.class, () -> Json.read(f, Result.class));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
