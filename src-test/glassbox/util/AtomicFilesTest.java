package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> namesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesBytesAndReplacesPreviousContent() throws IOException {
        Path f = dir.resolve("a.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.write(f, new byte[] {9});
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(f));
        assertEquals(List.of("a.bin"), namesIn(dir));
    }

    @Test
    void writeStringUsesUtf8() throws IOException {
        Path f = dir.resolve("t.txt");
        AtomicFiles.writeString(f, "σ = 1 – ok");
        assertArrayEquals("σ = 1 – ok".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(f));
    }

    @Test
    void createsMissingParentDirectories() throws IOException {
        Path f = dir.resolve("runs/exp/2024/results.json");
        AtomicFiles.writeString(f, "{}");
        assertEquals("{}", Files.readString(f));
    }

    @Test
    void previousContentSurvivesWriterThatThrowsMidway() throws IOException {
        Path f = dir.resolve("results.json");
        AtomicFiles.writeString(f, "old complete content");
        // Enough bytes to pass the 64 KiB buffer, so part of the new content really reached the temp file.
        byte[] chunk = new byte[100_000];
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(chunk);
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", thrown.getMessage());
        assertEquals("old complete content", Files.readString(f));
        assertEquals(List.of("results.json"), namesIn(dir), "no temporary file may be left behind");
    }

    @Test
    void failedFirstWriteLeavesNoFileAtAll() throws IOException {
        Path f = dir.resolve("new.csv");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(f, out -> {
            out.write(1);
            throw new IllegalStateException("bug in the producer");
        }));
        assertTrue(Files.notExists(f));
        assertEquals(List.of(), namesIn(dir));
    }

    @Test
    void writerMayCloseTheStreamItIsGiven() throws IOException {
        Path f = dir.resolve("closed.txt");
        AtomicFiles.write(f, (OutputStream out) -> {
            try (PrintWriter w = new PrintWriter(out, false, StandardCharsets.UTF_8)) {
                w.print("written through a closing wrapper");
            }
        });
        assertEquals("written through a closing wrapper", Files.readString(f));
    }

    @Test
    void newFileIsNotOwnerOnly() throws IOException {
        Path f = dir.resolve("shared.txt");
        AtomicFiles.writeString(f, "x");
        Path reference = Files.createFile(dir.resolve("plain.txt"));
        if (Files.getFileStore(f).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
            assertEquals(expected, Files.getPosixFilePermissions(f),
                    "an atomically written file gets the same permissions as any newly created file");
        }
    }
}
