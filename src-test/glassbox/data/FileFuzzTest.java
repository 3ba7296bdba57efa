package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.data.FileFuzz.Target;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fuzzer's own checks each fail when they should, on a toy "reader" of a file that must be 64 bytes
 * long, which is broken in one chosen way at a time.
 */
class FileFuzzTest {
    private static final byte[] VALID = new byte[64];

    @TempDir
    Path dir;

    /** The toy reader: returns the length of a 64-byte file, refuses any other with a message naming it. */
    private static int strictLength(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length != 64) {
            throw new MalformedDataException(file + ": " + b.length + " bytes, expected 64");
        }
        return b.length;
    }

    private Target<Integer> target(FileFuzz.Reader<Integer> reader) {
        return Target.of(dir.resolve("toy.bin"), reader, (n, bytes) -> assertEquals(bytes.length, (int) n),
                MalformedDataException.class);
    }

    private String failure(FileFuzz.Reader<Integer> reader) {
        return assertThrows(AssertionError.class, () -> FileFuzz.check("toy", 1, 50, VALID, FileEdits.truncations(),
                target(reader))).getMessage();
    }

    @Test
    void aReaderThatKeepsItsContractPasses() throws IOException {
        Path file = dir.resolve("toy.bin");
        FileFuzz.check("toy", 1, 50, VALID, FileEdits.truncations(), target(() -> strictLength(file)));
        FileFuzz.check("toy", 2, 50, VALID, FileEdits.bitFlips(3, 8), target(() -> strictLength(file)));
    }

    @Test
    void eachBreachIsReportedShrunkAndKept() {
        Path file = dir.resolve("toy.bin");
        String m = failure(() -> {
            byte[] b = Files.readAllBytes(file);
            if (b.length < 64) {
                throw new EOFException("short"); // an IOException, but not the documented class
            }
            return 64;
        });
        assertTrue(m.contains("threw java.io.EOFException: short"), m);
        // Shrinking moves the cut towards the end: the smallest damage is one byte missing.
        assertTrue(m.contains("edits: [Truncate[length=63]]"), m);
        assertTrue(m.contains("fuzz-failures"), m);

        m = failure(() -> {
            if (Files.size(file) < 64) {
                throw new MalformedDataException("short file");
            }
            return 64;
        });
        assertTrue(m.contains("whose message does not name " + file), m);

        m = failure(() -> Files.size(file) < 64 ? (int) Files.size(file) + 1 : 64);
        assertTrue(m.contains("the result is inconsistent"), m);

        m = failure(() -> {
            long[] claimed = new long[Files.size(file) < 64 ? 4 << 20 : 1]; // 32 MB, as a bad header would
            return claimed.length > 1 ? 0 : 64;
        });
        assertTrue(m.contains("allocated") && m.contains("budget"), m);

        m = assertThrows(AssertionError.class, () -> FileFuzz.check("toy", 1, 5, VALID, FileEdits.truncations(),
                target(() -> {
                    if (Files.size(file) < 64) {
                        Thread.sleep(10_000);
                    }
                    return 64;
                }).withTimeLimit(Duration.ofMillis(100)))).getMessage();
        assertTrue(m.contains("did not finish within 100 ms"), m);
    }
}
