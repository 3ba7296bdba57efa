package glassbox.plot;

import glassbox.util.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A grid of greyscale images with an optional caption under each — the {@code plt.subplots} + {@code imshow}
 * figure of the notebooks (sample digits with their labels, misclassified examples with "true/predicted",
 * cluster centres or autoencoder reconstructions shown as images).
 *
 * <p>Each image is a row-major {@code h×w} array ({@code pixel(r, c) = image[r * w + c]}) and is
 * min-max scaled on its own to black (its minimum) … white (its maximum), as {@code imshow} does with
 * {@code cmap="gray"}; a constant image is drawn black, and NaN pixels too. Each pixel becomes a
 * {@code scale×scale} square.
 *
 * <p><b>Layout</b> (white background; {@code capH} = {@link #CAPTION_HEIGHT} with captions, else 0):
 * image {@code k} goes to column {@code k % cols}, row {@code k / cols}, with its top-left corner at
 * <pre>
 * x0 = PAD + (k % cols) · (w·scale + PAD)
 * y0 = PAD + (k / cols) · (h·scale + capH + PAD)
 * </pre>
 * and its caption centred in the {@code capH} strip below it. The PNG is
 * {@code PAD + cols·(w·scale + PAD)} wide and {@code PAD + rows·(h·scale + capH + PAD)} high, where
 * {@code cols} is capped at the number of images and {@code rows = ceil(n / cols)}.
 */
public final class ImageGrid {
    static {
        Png.ensureHeadless();
    }

    /** White margin around and between images, in pixels. */
    public static final int PAD = 4;
    /** Height of the caption strip under each image, in pixels, when there are captions. */
    public static final int CAPTION_HEIGHT = 14;

    private ImageGrid() {
    }

    /**
     * Writes {@code images} as a grid PNG, atomically.
     *
     * @param images   {@code n} images, each {@code h·w} floats, row-major
     * @param cols     images per grid row (at least 1)
     * @param captions one caption per image, drawn under it; {@code null} for none (a {@code null} entry
     *                 leaves that image uncaptioned)
     * @param scale    size in screen pixels of one image pixel (at least 1)
     */
    public static void write(Path file, float[][] images, int h, int w, int cols, String[] captions, int scale)
            throws IOException {
        BufferedImage grid = render(images, h, w, cols, captions, scale);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(grid, "png", out)) {
                throw new IOException("no PNG writer available in this JVM");
            }
        });
    }

    /** The grid as an image, laid out as the class comment describes. */
    static BufferedImage render(float[][] images, int h, int w, int cols, String[] captions, int scale) {
        int n = images.length;
        if (n == 0 || h < 1 || w < 1 || cols < 1 || scale < 1) {
            throw new IllegalArgumentException("image grid needs at least one image and h, w, cols, scale >= 1; got "
                    + n + " images, h=" + h + ", w=" + w + ", cols=" + cols + ", scale=" + scale);
        }
        if (captions != null && captions.length != n) {
            throw new IllegalArgumentException("captions has " + captions.length + " entries, expected " + n
                    + " (one per image)");
        }
        for (int k = 0; k < n; k++) {
            if (images[k].length != h * w) {
                throw new IllegalArgumentException("image " + k + " has " + images[k].length
                        + " pixels, expected h*w = " + h + "*" + w + " = " + h * w);
            }
        }
        cols = Math.min(cols, n);
        int rows = (n + cols - 1) / cols;
        int capH = captions == null ? 0 : CAPTION_HEIGHT;
        int cellW = w * scale;
        int cellH = h * scale;
        BufferedImage grid = new BufferedImage(PAD + cols * (cellW + PAD), PAD + rows * (cellH + capH + PAD),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int k = 0; k < n; k++) {
                int x0 = PAD + (k % cols) * (cellW + PAD);
                int y0 = PAD + (k / cols) * (cellH + capH + PAD);
                drawImage(grid, images[k], h, w, scale, x0, y0);
                if (captions != null && captions[k] != null) {
                    drawCaption(g, captions[k], x0, y0 + cellH, cellW, capH);
                }
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    /** Paints one min-max-scaled image with its top-left corner at {@code (x0, y0)}. */
    private static void drawImage(BufferedImage grid, float[] image, int h, int w, int scale, int x0, int y0) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : image) {
            if (Float.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float range = max - min;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float v = image[r * w + c];
                int grey = range > 0 && Float.isFinite(v) ? Math.round((v - min) / range * 255f) : 0;
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        grid.setRGB(x0 + c * scale + dx, y0 + r * scale + dy, rgb);
                    }
                }
            }
        }
    }

    /** Draws {@code text} centred in the strip {@code [x0, x0+width) × [y0, y0+height)}, clipped to it. */
    private static void drawCaption(Graphics2D g, String text, int x0, int y0, int width, int height) {
        FontMetrics fm = g.getFontMetrics();
        int x = x0 + (width - fm.stringWidth(text)) / 2;
        int baseline = y0 + (height + fm.getAscent() - fm.getDescent()) / 2;
        Graphics2D clipped = (Graphics2D) g.create(x0, y0, width, height);
        try {
            clipped.setColor(Color.BLACK);
            clipped.drawString(text, Math.max(x, x0) - x0, baseline - y0);
        } finally {
            clipped.dispose();
        }
    }
}
