package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path root;

    /** A greyscale PNG of {@code height × width} whose pixels, row by row, are {@code grey}. */
    private static byte[] greyPng(int height, int width, int... grey) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setPixels(0, 0, width, height, grey);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private Path write(String relative, byte[] bytes) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    @Test
    void readsClassesInFolderNameOrderAndSkipsCorruptFiles() throws Exception {
        // B is created first: the label order must come from the names, not from creation or listing order.
        write("B/b1.png", greyPng(3, 2, 200, 201, 202, 203, 204, 205));
        write("A/a2.png", greyPng(3, 2, 10, 11, 12, 13, 14, 15));
        write("A/a1.png", greyPng(3, 2, 0, 1, 2, 3, 254, 255));
        write("A/corrupt.png", "this is not a PNG".getBytes(StandardCharsets.US_ASCII));
        byte[] whole = greyPng(3, 2, 1, 2, 3, 4, 5, 6);
        write("B/cut.png", Arrays.copyOf(whole, whole.length / 2));
        write("A/.DS_Store", new byte[] {1, 2, 3});

        ImageFolderReader.Result result = ImageFolderReader.read(root, 3, 2);

        assertEquals(List.of("A", "B"), result.classNames());
        assertEquals(List.of("A/corrupt.png", "B/cut.png"), result.skipped());
        Dataset d = result.dataset();
        assertArrayEquals(new int[] {3, 3, 2}, d.x().shape());
        assertArrayEquals(new int[] {0, 0, 1}, d.y());
        assertEquals(2, d.numClasses());
        assertArrayEquals(new float[] {
            0, 1, 2, 3, 254, 255,
            10, 11, 12, 13, 14, 15,
            200, 201, 202, 203, 204, 205}, d.x().data());
        assertTrue(result.report().contains("skipped 2 unreadable: A/corrupt.png, B/cut.png"), result.report());
    }

    @Test
    void colourImagesBecomeGreyByLumaWeights() throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0xFF0000); // 0.299 · 255 = 76.245 → 76
        rgb.setRGB(1, 0, 0x00FF00); // 0.587 · 255 = 149.685 → 150
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(rgb, "png", out);
        write("only/rgb.png", out.toByteArray());

        Dataset d = ImageFolderReader.read(root, 1, 2).dataset();

        assertArrayEquals(new float[] {76, 150}, d.x().data());
    }

    @Test
    void wrongSizeImageIsAnErrorNamingTheFileAndBothSizes() throws Exception {
        write("A/ok.png", greyPng(3, 2, 0, 0, 0, 0, 0, 0));
        Path wrong = write("A/wide.png", greyPng(3, 4, new int[12]));

        MalformedDataException e = assertThrows(MalformedDataException.class, () -> ImageFolderReader.read(root, 3, 2));

        assertTrue(e.getMessage().startsWith(wrong.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is 3x4"), e.getMessage());
        assertTrue(e.getMessage().contains("expected 3x2"), e.getMessage());
    }

    @Test
    void rootWithoutClassFoldersIsAClearError() {
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> ImageFolderReader.read(root, 28, 28));

        assertTrue(e.getMessage().startsWith(root.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());
    }

    @Test
    void classFoldersWithNoReadableImageAreAClearError() throws Exception {
        write("A/junk.png", new byte[] {0, 1, 2});

        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> ImageFolderReader.read(root, 28, 28));

        assertTrue(e.getMessage().contains("no readable images"), e.getMessage());
        assertTrue(e.getMessage().contains("1 unreadable"), e.getMessage());
    }

    @Test
    void missingRootIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> ImageFolderReader.read(root.resolve("absent"), 28, 28));
    }
}
