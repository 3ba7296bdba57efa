package glassbox.plot;

import static glassbox.plot.PngAssertions.assertNotBlank;
import static glassbox.plot.PngAssertions.readPng;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.metrics.ConfusionMatrix;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixPlotTest {
    @TempDir
    Path dir;

    /** The Fashion twist's class names (experiments' FashionTwist.CLASS_NAMES): long enough to need turning. */
    private static final List<String> TWIST = List.of("T-shirt/top + Shirt", "Bag", "Pullover + Coat",
            "Trouser + Dress", "Sandal + Sneaker + Ankle boot");
    private static final long[][] COUNTS = {
        {1843, 21, 98, 31, 7},
        {12, 974, 9, 3, 2},
        {141, 11, 1819, 27, 2},
        {38, 4, 31, 1925, 2},
        {3, 6, 1, 0, 2990},
    };

    @Test
    void writesAPngOfTheAskedSize() throws IOException {
        Path file = dir.resolve("figs/confusion_matrix.png");
        new ConfusionMatrixPlot("twist", COUNTS, TWIST).write(file);
        assertNotBlank(readPng(file, 800, 700));

        Path small = dir.resolve("small.png");
        ConfusionMatrixPlot.of("digits", ConfusionMatrix.of(new int[] {0, 1, 2}, new int[] {0, 2, 2}, 3),
                List.of("0", "1", "2")).normalize(true).write(small, 400, 360);
        assertNotBlank(readPng(small, 400, 360));
    }

    @Test
    void eachCellIsColouredByItsCountWithTextThatContrasts() {
        ConfusionMatrixPlot plot = new ConfusionMatrixPlot("twist", COUNTS, TWIST);
        BufferedImage image = plot.render(800, 700);
        ConfusionMatrixPlot.Layout layout = plot.layout(800, 700);

        // The largest count (2990, cell 4,4) is the darkest blue with white digits; 0 (cell 4,3) the palest
        // with a black one; 141 (cell 2,0), light, black ones too.
        Color darkest = ConfusionMatrixPlot.blues(1);
        Color palest = ConfusionMatrixPlot.blues(0);
        assertEquals(new Color(0x08306b), darkest);
        assertEquals(new Color(0xf7fbff), palest);
        assertTrue(share(image, layout, 4, 4, darkest) > 0.6, "cell (4, 4) is mostly the darkest blue");
        assertTrue(share(image, layout, 4, 4, Color.WHITE) > 0.01, "cell (4, 4) has white text");
        assertEquals(0, share(image, layout, 4, 4, Color.BLACK), "and no black");
        assertTrue(share(image, layout, 4, 3, palest) > 0.6, "cell (4, 3) is mostly the palest blue");
        assertTrue(share(image, layout, 4, 3, Color.BLACK) > 0.002, "cell (4, 3) has black text");
        assertTrue(share(image, layout, 2, 0, Color.BLACK) > 0.005, "cell (2, 0) has black text");
    }

    /**
     * The fraction of cell (i, j)'s pixels within 24 levels of {@code colour} in each channel (text edges are
     * antialiased, so its pixels are near the text colour, not all exactly it).
     */
    private static double share(BufferedImage image, ConfusionMatrixPlot.Layout layout, int i, int j, Color colour) {
        int hits = 0;
        // one pixel in from each edge: the border and neighbours' antialiasing stay out
        for (int y = layout.y0() + i * layout.cell() + 1; y < layout.y0() + (i + 1) * layout.cell() - 1; y++) {
            for (int x = layout.x0() + j * layout.cell() + 1; x < layout.x0() + (j + 1) * layout.cell() - 1; x++) {
                Color c = new Color(image.getRGB(x, y));
                boolean near = Math.abs(c.getRed() - colour.getRed()) <= 24
                        && Math.abs(c.getGreen() - colour.getGreen()) <= 24
                        && Math.abs(c.getBlue() - colour.getBlue()) <= 24;
                hits += near ? 1 : 0;
            }
        }
        return hits / Math.pow(layout.cell() - 2, 2);
    }

    @Test
    void textColourIsWhiteOnDarkCellsAndBlackOnLightOnes() {
        assertEquals(Color.WHITE, ConfusionMatrixPlot.textColour(new Color(0x08306b)));
        assertEquals(Color.WHITE, ConfusionMatrixPlot.textColour(Color.BLACK));
        assertEquals(Color.BLACK, ConfusionMatrixPlot.textColour(new Color(0xf7fbff)));
        assertEquals(Color.BLACK, ConfusionMatrixPlot.textColour(new Color(0x9ecae1)));
    }

    @Test
    void longClassNamesAreTurnedAndTheLayoutFitsTheFigure() {
        ConfusionMatrixPlot.Layout twist = new ConfusionMatrixPlot("twist", COUNTS, TWIST).layout(800, 700);
        assertTrue(twist.rotated(), "the twist's names do not fit flat under their cells");
        assertTrue(twist.x0() + 5 * twist.cell() < 800 && twist.y0() + 5 * twist.cell() + twist.labelDrop() < 700,
                "matrix and labels inside the figure: " + twist);

        long[][] ten = new long[10][10];
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertFalse(new ConfusionMatrixPlot("digits", ten, digits).layout(640, 560).rotated(), "digits fit flat");
    }

    @Test
    void colourScaleTicksAreRoundNumbers() {
        assertEquals(List.of(0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0), ConfusionMatrixPlot.ticks(2990, true));
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), ConfusionMatrixPlot.ticks(3, true), "counts step by whole numbers");
        assertEquals(List.of(0.0, 1.0), ConfusionMatrixPlot.ticks(1, true));
        assertEquals(6, ConfusionMatrixPlot.ticks(1, false).size(), "fractions 0, 0.2, …, 1");
    }

    @Test
    void wrongNamesAndTooSmallFiguresAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixPlot("t", COUNTS, List.of("a", "b")));
        assertTrue(e.getMessage().contains("2 class names for 5 classes"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> new ConfusionMatrixPlot("t", COUNTS, TWIST).write(dir.resolve("tiny.png"), 200, 150));
        assertTrue(e.getMessage().contains("200x150") && e.getMessage().contains("make the figure larger"),
                e.getMessage());
        assertTrue(Files.notExists(dir.resolve("tiny.png")));
    }
}
