package glassbox.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Shared checks for the figure tests: the PNG reads back, has the asked size, and shows something. */
final class PngAssertions {
    private PngAssertions() {
    }

    /** Reads {@code file} as an image, checking its size and that no temporary file is left next to it. */
    static BufferedImage readPng(Path file, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable image");
        assertEquals(width, image.getWidth(), "width of " + file);
        assertEquals(height, image.getHeight(), "height of " + file);
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            List<String> temps = siblings.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), temps, "temporary files left next to " + file);
        }
        return image;
    }

    /** The variance of the grey level over all pixels; 0 means a blank (single-colour) image. */
    static double greyVariance(BufferedImage image) {
        double sum = 0;
        double sumSq = 0;
        long n = (long) image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                double grey = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3.0;
                sum += grey;
                sumSq += grey * grey;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    static void assertNotBlank(BufferedImage image) {
        assertTrue(greyVariance(image) > 0, "image is blank");
    }

    /** How many pixels have exactly the colour {@code c} (ignoring alpha). */
    static int countColour(BufferedImage image, Color c) {
        int target = c.getRGB() & 0xffffff;
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == target) {
                    count++;
                }
            }
        }
        return count;
    }
}
