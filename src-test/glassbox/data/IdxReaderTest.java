package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void plainImageFileRoundTripsDimsAndUnsignedBytes() throws Exception {
        byte[] pixels = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255, 10, 20, 30, 40, 50, 60};
        Path file = IdxFiles.write(dir.resolve("images"), IdxFiles.idx(0x00000803, new int[] {2, 2, 3}, pixels));

        IdxReader.IdxArray a = IdxReader.readImages(file);

        assertArrayEquals(new int[] {2, 2, 3}, a.dims());
        assertEquals(2, a.count());
        assertArrayEquals(pixels, a.data());
        assertEquals(128, a.unsigned(3));
        assertEquals(255, a.unsigned(5));
    }

    @Test
    void gzipFileIsDetectedByMagicBytesWhateverItsName() throws Exception {
        byte[] plain = IdxFiles.images(5, 4, 3);
        // No .gz suffix on purpose: detection must come from the 1f 8b bytes.
        Path file = IdxFiles.write(dir.resolve("images-no-suffix"), IdxFiles.gzip(plain));

        IdxReader.IdxArray a = IdxReader.readImages(file);

        assertArrayEquals(new int[] {5, 4, 3}, a.dims());
        assertArrayEquals(IdxFiles.imagePixels(5, 4, 3), a.data());
    }

    @Test
    void labelFileRoundTrips() throws Exception {
        Path file = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.gzip(IdxFiles.labels(7, 3)));

        IdxReader.IdxArray a = IdxReader.readLabels(file);

        assertArrayEquals(new int[] {7}, a.dims());
        assertArrayEquals(new byte[] {0, 1, 2, 0, 1, 2, 0}, a.data());
    }

    @Test
    void wrongMagicIsRejectedNamingFileExpectedAndFound() throws Exception {
        Path file = IdxFiles.write(dir.resolve("actually-labels"), IdxFiles.labels(4, 2));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 0x00000803"), e.getMessage());
        assertTrue(e.getMessage().contains("found 0x00000801"), e.getMessage());
    }

    @Test
    void nonIdxFileIsCalledSo() throws Exception {
        Path file = IdxFiles.write(dir.resolve("readme.txt"), "hello, world\n".getBytes(StandardCharsets.US_ASCII));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedDataIsRejectedWithPromisedAndFoundByteCounts() throws Exception {
        byte[] whole = IdxFiles.images(3, 4, 4); // 16-byte header + 48 data bytes
        Path file = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(whole, whole.length - 5));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("promises 48 data bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("found 43"), e.getMessage());
    }

    @Test
    void truncatedGzipIsRejectedNamingTheFile() throws Exception {
        byte[] gz = IdxFiles.gzip(IdxFiles.images(20, 8, 8));
        Path file = IdxFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void fileEndingInsideTheHeaderIsTruncated() throws Exception {
        Path file = IdxFiles.write(dir.resolve("header-only"), Arrays.copyOf(IdxFiles.images(1, 2, 2), 10));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("ends after 10 bytes, inside the 16-byte IDX header"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejectedWithTheirCount() throws Exception {
        byte[] whole = IdxFiles.labels(6, 3);
        byte[] padded = Arrays.copyOf(whole, whole.length + 3);
        Path file = IdxFiles.write(dir.resolve("padded.gz"), IdxFiles.gzip(padded));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("3 trailing byte(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("after the 6 data bytes"), e.getMessage());
    }

    @Test
    void zeroDimensionIsRejected() throws Exception {
        Path file = IdxFiles.write(dir.resolve("zero"), IdxFiles.idx(0x00000803, new int[] {2, 0, 3}, new byte[0]));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readImages(file));

        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("dimension 1 of the header is 0"), e.getMessage());
        assertTrue(e.getMessage().contains("expected a positive size"), e.getMessage());
    }

    @Test
    void sizeAbove2To31ReadsNegativeAndIsRejected() throws Exception {
        byte[] bytes = IdxFiles.idx(0x00000801, new int[] {0xFFFFFFFF}, new byte[0]);
        Path file = IdxFiles.write(dir.resolve("negative"), bytes);

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> IdxReader.readLabels(file));

        assertTrue(e.getMessage().contains("dimension 0 of the header is -1 (0xffffffff)"), e.getMessage());
    }

    @Test
    void expectedMagicThatIsNotUnsignedByteIdxIsAnArgumentError() {
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(dir.resolve("x"), 0x00000d03));
    }
}
