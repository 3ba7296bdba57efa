package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    private static final int H = 3;
    private static final int W = 4;
    private static final int SCALE = 5;
    private static final int PAD = ImageGrid.PAD;

    private static int grey(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        assertEquals(rgb >> 16 & 0xff, rgb & 0xff, "pixel (" + x + ", " + y + ") should be grey");
        return rgb & 0xff;
    }

    /** Image 1 of a 2-column grid: zero everywhere but 7.5 at row 2, column 1. */
    private static float[][] twoImages() {
        float[] first = new float[H * W];
        for (int i = 0; i < first.length; i++) {
            first[i] = 10 + i; // 10 … 21: a ramp from black to white
        }
        float[] second = new float[H * W];
        second[2 * W + 1] = 7.5f;
        return new float[][] {first, second};
    }

    @Test
    void knownWhitePixelLandsWhereTheLayoutSays() throws IOException {
        Path file = dir.resolve("grid.png");
        ImageGrid.write(file, twoImages(), H, W, 2, new String[] {"first", "7"}, SCALE);
        // width  = PAD + cols·(w·scale + PAD)            = 4 + 2·(20 + 4) = 52
        // height = PAD + rows·(h·scale + caption + PAD)  = 4 + 1·(15 + 14 + 4) = 37
        BufferedImage image = readPng(file, 52, 37);
        assertNotBlank(image);
        int x0 = PAD + (W * SCALE + PAD); // image 1 is in column 1
        int y0 = PAD;
        for (int d = 0; d < SCALE; d++) { // the whole scale×scale square of pixel (2, 1)
            assertEquals(255, grey(image, x0 + 1 * SCALE + d, y0 + 2 * SCALE + d));
        }
        assertEquals(0, grey(image, x0 + 0 * SCALE + 2, y0 + 2 * SCALE + 2), "left neighbour is black");
        assertEquals(0, grey(image, x0 + 2 * SCALE + 2, y0 + 2 * SCALE + 2), "right neighbour is black");
        assertEquals(0, grey(image, x0 + 1 * SCALE + 2, y0 + 1 * SCALE + 2), "neighbour above is black");
        assertEquals(255, grey(image, x0 - 1, y0), "padding between images is white");
    }

    @Test
    void eachImageIsMinMaxScaledOnItsOwn() throws IOException {
        Path file = dir.resolve("ramp.png");
        ImageGrid.write(file, twoImages(), H, W, 2, null, SCALE);
        BufferedImage image = readPng(file, 52, 4 + (15 + 4));
        // first image: 10 … 21, so value 10 + i maps to round(i / 11 · 255)
        assertEquals(0, grey(image, PAD, PAD), "its minimum is black");
        assertEquals(255, grey(image, PAD + 3 * SCALE, PAD + 2 * SCALE), "its maximum is white");
        assertEquals(Math.round(5 / 11f * 255), grey(image, PAD + 1 * SCALE, PAD + 1 * SCALE), "value 15");
    }

    @Test
    void captionsAreDrawnInTheStripBelowTheImage() throws IOException {
        Path file = dir.resolve("captioned.png");
        ImageGrid.write(file, twoImages(), H, W, 2, new String[] {"", "seven"}, SCALE);
        BufferedImage image = readPng(file, 52, 37);
        int stripTop = PAD + H * SCALE;
        int darkInFirst = 0;
        int darkInSecond = 0;
        for (int y = stripTop; y < stripTop + ImageGrid.CAPTION_HEIGHT; y++) {
            for (int x = 0; x < W * SCALE; x++) {
                darkInFirst += grey(image, PAD + x, y) < 128 ? 1 : 0;
                darkInSecond += grey(image, PAD + W * SCALE + PAD + x, y) < 128 ? 1 : 0;
            }
        }
        assertEquals(0, darkInFirst, "an empty caption draws nothing");
        assertTrue(darkInSecond > 5, "the caption 'seven' should leave dark pixels, found " + darkInSecond);
    }

    @Test
    void gridWrapsIntoRowsAndConstantImageIsBlack() throws IOException {
        float[][] images = new float[5][H * W];
        for (int k = 0; k < 4; k++) {
            images[k][0] = 1;
        }
        Arrays.fill(images[4], 3f); // constant
        Path file = dir.resolve("rows.png");
        ImageGrid.write(file, images, H, W, 3, null, 1);
        BufferedImage image = readPng(file, PAD + 3 * (W + PAD), PAD + 2 * (H + PAD));
        assertEquals(255, grey(image, PAD, PAD + (H + PAD)), "image 3 (pixel 0 set) starts row 1, column 0");
        assertEquals(0, grey(image, PAD + (W + PAD), PAD + (H + PAD)), "image 4 is constant: drawn black");
        assertEquals(255, grey(image, PAD + 2 * (W + PAD), PAD + (H + PAD)), "no sixth image: background");
    }

    @Test
    void wrongImageSizeIsRejectedNamingTheImage() {
        float[][] images = {new float[H * W], new float[H * W - 1]};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.write(dir.resolve("x.png"), images, H, W, 2, null, 1));
        assertTrue(e.getMessage().contains("image 1 has 11 pixels, expected h*w = 3*4 = 12"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ImageGrid.write(dir.resolve("x.png"), images, H, W, 2, new String[] {"one"}, 1));
    }
}
