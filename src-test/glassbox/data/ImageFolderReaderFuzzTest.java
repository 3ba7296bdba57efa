package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.data.FileEdits.Edit;
import glassbox.data.FileFuzz.Target;
import glassbox.util.Rng;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ImageFolderReader} on a notMNIST-like folder one of whose PNGs is damaged (see {@link FileFuzz}):
 * the damaged file is either read (as some image of the right size), or skipped and listed as unreadable,
 * or — when it is a readable image of another size — refused with a {@link MalformedDataException}
 * naming it; the intact files are read exactly as written. A header claiming a 2³⁰-pixel image, with or
 * without a correct checksum, must not make the decoder allocate it.
 */
class ImageFolderReaderFuzzTest {
    private static final int TRIES = 200;
    private static final int SIDE = 28;
    /** Offsets in a PNG: the 8-byte signature, then the IHDR chunk (length, type, 13 data bytes, CRC). */
    private static final int IHDR_TYPE = 12;
    private static final int WIDTH = 16;
    private static final int HEIGHT = 20;
    private static final int IHDR_CRC = 29;

    @TempDir
    Path root;

    private int[] a1;
    private int[] a2;
    private byte[] damagedGrey;
    private byte[] damagedPalette;

    /** A greyscale image with a seeded random pattern (so deflate has real work), as its pixel values. */
    private static int[] pattern(long seed) {
        Rng rng = new Rng(seed);
        int[] grey = new int[SIDE * SIDE];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = i % 7 == 0 ? rng.nextInt(256) : (i / SIDE) * 9;
        }
        return grey;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static BufferedImage grey(int[] pixels) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, SIDE, SIDE, pixels);
        return image;
    }

    @BeforeEach
    void writeFolder() throws IOException {
        a1 = pattern(1);
        a2 = pattern(2);
        Files.createDirectories(root.resolve("A"));
        Files.createDirectories(root.resolve("B"));
        Files.write(root.resolve("A/a1.png"), png(grey(a1)));
        Files.write(root.resolve("A/a2.png"), png(grey(a2)));
        damagedGrey = png(grey(pattern(3)));
        // A 2-bit palette image: its pixels index a 4-colour table, which a flipped bit can point past.
        BufferedImage palette = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_BINARY,
                new java.awt.image.IndexColorModel(2, 4, new byte[] {0, 85, (byte) 170, (byte) 255},
                        new byte[] {0, 85, (byte) 170, (byte) 255}, new byte[] {0, 85, (byte) 170, (byte) 255}));
        for (int i = 0; i < SIDE * SIDE; i++) {
            palette.getRaster().setSample(i % SIDE, i / SIDE, 0, (i * 7 / 5) % 4);
        }
        damagedPalette = png(palette);
    }

    /** Reads the folder with {@code B/b1.png} damaged: the intact A images must come out exactly. */
    private Target<ImageFolderReader.Result> folder() {
        Path damaged = root.resolve("B/b1.png");
        return Target.of(damaged, () -> ImageFolderReader.read(root, SIDE, SIDE), (result, bytes) -> {
            assertEquals(List.of("A", "B"), result.classNames());
            Dataset d = result.dataset();
            boolean skipped = !result.skipped().isEmpty();
            assertEquals(skipped ? List.of("B/b1.png") : List.of(), result.skipped());
            assertArrayEquals(skipped ? new int[] {0, 0} : new int[] {0, 0, 1}, d.y());
            float[] x = d.x().data();
            assertArrayEquals(toFloats(a1), Arrays.copyOfRange(x, 0, SIDE * SIDE));
            assertArrayEquals(toFloats(a2), Arrays.copyOfRange(x, SIDE * SIDE, 2 * SIDE * SIDE));
            for (float v : x) {
                assertTrue(v >= 0 && v <= 255 && v == Math.rint(v), "grey level " + v);
            }
        }, MalformedDataException.class);
    }

    private static float[] toFloats(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return f;
    }

    /** Writes {@code value} into the IHDR at {@code offset}, and, if asked, recomputes the chunk's CRC. */
    private record IhdrInt(int offset, int value, boolean fixCrc) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            byte[] out = new FileEdits.PutInt(offset, value).apply(b);
            if (fixCrc) {
                CRC32 crc = new CRC32();
                crc.update(out, IHDR_TYPE, 4 + 13);
                ByteBuffer.wrap(out).putInt(IHDR_CRC, (int) crc.getValue());
            }
            return out;
        }

        @Override
        public Edit smaller(int fileLength) {
            return value == 0 ? null : new IhdrInt(offset, value / 2, fixCrc);
        }
    }

    /** The width or the height (or both) claiming a huge size, the CRC fixed or not. */
    private static FileEdits.Generator hugeDimensions() {
        return (rng, valid) -> {
            boolean fix = rng.nextInt(4) != 0;
            Edit first = new IhdrInt(rng.nextInt(2) == 0 ? WIDTH : HEIGHT, FileEdits.hugeSize(rng, SIDE), fix);
            return rng.nextInt(2) == 0 ? List.of(first)
                    : List.of(first, new IhdrInt(first instanceof IhdrInt i && i.offset() == WIDTH ? HEIGHT : WIDTH,
                            FileEdits.hugeSize(rng, SIDE), fix));
        };
    }

    /** The first chunk after IHDR (the image data, or a palette) claiming a huge length. */
    private static FileEdits.Generator hugeChunkLength() {
        return (rng, valid) -> List.of(new FileEdits.PutInt(IHDR_CRC + 4, FileEdits.hugeSize(rng, 0)));
    }

    /**
     * A chunk inserted after IHDR whose length field claims a huge size: text, compressed text, colour
     * profile, palette and transparency chunks are all parsed by a decoder that reads metadata.
     */
    private static FileEdits.Generator insertedChunkClaimingHugeLength() {
        String[] types = {"tEXt", "zTXt", "iTXt", "iCCP", "sPLT", "PLTE", "tRNS", "gAMA", "IDAT", "zzZz"};
        return (rng, valid) -> {
            ByteBuffer chunk = ByteBuffer.allocate(8 + 12);
            chunk.putInt(FileEdits.hugeSize(rng, 0)).put(types[rng.nextInt(types.length)].getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII)).put("key\0abcdefgh".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            return List.of(new FileEdits.Splice(IHDR_CRC + 4, 0, chunk.array()));
        };
    }

    @Test
    void truncatedPngs() throws IOException {
        FileFuzz.check("png truncated", 871, TRIES, damagedGrey, FileEdits.truncations(), folder());
    }

    @Test
    void bitFlippedPngs() throws IOException {
        FileFuzz.check("png bit-flipped", 881, TRIES, damagedGrey, FileEdits.bitFlips(3, 41), folder());
        FileFuzz.check("palette png bit-flipped", 882, TRIES, damagedPalette, FileEdits.bitFlips(3, 60), folder());
    }

    @Test
    void headersClaimingHugeImages() throws IOException {
        FileFuzz.check("png huge dimensions", 891, TRIES, damagedGrey, hugeDimensions(), folder());
        FileFuzz.check("png huge chunk length", 892, 50, damagedGrey, hugeChunkLength(), folder());
        FileFuzz.check("png inserted chunk claiming a huge length", 893, 100, damagedGrey,
                insertedChunkClaimingHugeLength(), folder());
    }

    @Test
    void aHeaderClaimingMorePixelsThanTheFileCouldHoldIsUnreadableAnyOtherWrongSizeIsRefused() throws IOException {
        Files.write(root.resolve("B/b1.png"), Arrays.copyOf(damagedGrey, 40));
        ImageFolderReader.Result result = ImageFolderReader.read(root, SIDE, SIDE);
        assertEquals(List.of("B/b1.png"), result.skipped());
        assertEquals(2, result.dataset().size());

        // 28 x 2^30 pixels from a file of a few hundred bytes: a corrupt header, so an unreadable file.
        Files.write(root.resolve("B/b1.png"), new IhdrInt(WIDTH, 1 << 30, true).apply(damagedGrey));
        assertEquals(List.of("B/b1.png"), ImageFolderReader.read(root, SIDE, SIDE).skipped());

        // 28 x 29 could be a real image of the wrong size (its data is cut short here: it is not decoded).
        Files.write(root.resolve("B/b1.png"), new IhdrInt(WIDTH, SIDE + 1, true).apply(damagedGrey));
        MalformedDataException e = org.junit.jupiter.api.Assertions.assertThrows(MalformedDataException.class,
                () -> ImageFolderReader.read(root, SIDE, SIDE));
        assertTrue(e.getMessage().startsWith(root.resolve("B/b1.png") + ": image is 28x29 (height x width); expected "
                + "28x28"), e.getMessage());
    }
}
