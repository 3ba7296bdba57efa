package glassbox.plot;

import glassbox.metrics.ConfusionMatrix;
import glassbox.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A confusion matrix as a heat map — scikit-learn's {@code ConfusionMatrixDisplay} (or seaborn's
 * {@code heatmap(cm, annot=True, cmap="Blues")}): one square cell per (true, predicted) pair, its colour
 * and the number written in it telling how many samples it holds; true classes down the left ("true
 * label"), predicted classes along the bottom ("predicted label"), a colour scale on the right.
 *
 * <pre>{@code
 * ConfusionMatrixPlot.of("CNN on the test set", ConfusionMatrix.of(yTrue, yPred, 5), classNames)
 *         .write(runDir.resolve("confusion_matrix.png"));
 * }</pre>
 *
 * <p>Colours follow matplotlib's "Blues" (ColorBrewer's nine blues, interpolated linearly), from the
 * palest at 0 to the darkest at the largest count (or at 1 with {@link #normalize}); each number is
 * written in white on a dark cell and in black on a light one, whichever contrasts more. Column labels
 * that do not fit under their cell are turned 45°, as {@code plot(xticks_rotation=45)} does.
 *
 * <p>Drawn with plain {@code java.awt}, like {@link ImageGrid}: XChart has no heat map with numbers in its
 * cells. The layout is computed from the class names' measured widths, so long names (the Fashion twist's
 * "Sandal + Sneaker + Ankle boot") push the matrix over rather than being cut.
 */
public final class ConfusionMatrixPlot {
    static {
        Png.ensureHeadless();
    }

    /** matplotlib's "Blues" colour map: ColorBrewer's nine sequential blues, palest first. */
    private static final Color[] BLUES = {
        new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1), new Color(0x6baed6),
        new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c), new Color(0x08306b),
    };
    private static final int PAD = 14;
    private static final int GAP = 8;
    private static final int BAR_GAP = 24;
    private static final int BAR_WIDTH = 20;
    private static final int TICK = 5;
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private final String title;
    private final long[][] counts;
    private final List<String> classNames;
    private boolean normalize;

    /**
     * A plot of {@code counts[true][predicted]} (square, non-negative) with one name per class.
     */
    public ConfusionMatrixPlot(String title, long[][] counts, List<String> classNames) {
        this.counts = ConfusionMatrix.ofCounts(counts).counts(); // validates and copies
        if (classNames.size() != counts.length) {
            throw new IllegalArgumentException("confusion matrix plot '" + title + "': " + classNames.size()
                    + " class names for " + counts.length + " classes; expected one name per class");
        }
        this.title = title;
        this.classNames = List.copyOf(classNames);
    }

    /** The plot of {@code matrix}, scikit-learn's {@code ConfusionMatrixDisplay(cm, display_labels=names)}. */
    public static ConfusionMatrixPlot of(String title, ConfusionMatrix matrix, List<String> classNames) {
        return new ConfusionMatrixPlot(title, matrix.counts(), classNames);
    }

    /**
     * Shows each row as fractions of its class (scikit-learn's {@code normalize='true'}): cells read
     * {@code 0.93}, colours run from 0 to 1. Default false: counts. Returns {@code this}.
     */
    public ConfusionMatrixPlot normalize(boolean normalize) {
        this.normalize = normalize;
        return this;
    }

    /** Writes the figure as an 800×700 PNG. */
    public void write(Path file) throws IOException {
        write(file, 800, 700);
    }

    /** Writes the figure as a {@code width×height} PNG, atomically. */
    public void write(Path file, int width, int height) throws IOException {
        BufferedImage image = render(width, height);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in this JVM");
            }
        });
    }

    /**
     * Where things go: the matrix's top-left corner {@code (x0, y0)} and its cell size, all in pixels;
     * cell {@code (i, j)} (true i, predicted j) covers {@code [x0 + j·cell, x0 + (j+1)·cell) ×
     * [y0 + i·cell, y0 + (i+1)·cell)}. {@code rotated}: the column labels are turned 45°;
     * {@code labelDrop}: how far they reach below their ticks.
     */
    record Layout(int x0, int y0, int cell, boolean rotated, int labelDrop) {
    }

    /** The value drawn in each cell: the count, or its fraction of the row. */
    private double[][] values() {
        ConfusionMatrix cm = ConfusionMatrix.ofCounts(counts);
        int n = counts.length;
        double[][] values = normalize ? cm.normalized() : new double[n][n];
        if (!normalize) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    values[i][j] = counts[i][j];
                }
            }
        }
        return values;
    }

    /** The top of the colour scale: 1 for fractions, else the largest count (at least 1). */
    private double scaleMax() {
        if (normalize) {
            return 1;
        }
        long max = 1;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        return max;
    }

    /** The figure as an image. */
    BufferedImage render(int width, int height) {
        Png.checkSize(width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Layout layout = layout(g, width, height);
            int n = counts.length;
            int side = n * layout.cell;
            drawCells(g, layout);
            drawClassLabels(g, layout);
            drawColourBar(g, layout.x0 + side + BAR_GAP, layout.y0, side);

            g.setColor(Color.BLACK);
            g.setFont(TITLE_FONT);
            FontMetrics title = g.getFontMetrics();
            int titleX = layout.x0 + (side - title.stringWidth(this.title)) / 2;
            g.drawString(this.title, Math.max(PAD, titleX), layout.y0 - GAP - title.getDescent());

            g.setFont(AXIS_FONT);
            FontMetrics axis = g.getFontMetrics();
            String predicted = "predicted label";
            g.drawString(predicted, layout.x0 + (side - axis.stringWidth(predicted)) / 2,
                    layout.y0 + side + TICK + GAP / 2 + layout.labelDrop + GAP + axis.getAscent());
            String truth = "true label";
            AffineTransform saved = g.getTransform();
            g.translate(PAD + axis.getAscent(), layout.y0 + (side + axis.stringWidth(truth)) / 2.0);
            g.rotate(-Math.PI / 2);
            g.drawString(truth, 0, 0);
            g.setTransform(saved);
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The layout {@link #render} uses for a {@code width×height} figure (for tests). */
    Layout layout(int width, int height) {
        Graphics2D g = graphics(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB));
        try {
            return layout(g, width, height);
        } finally {
            g.dispose();
        }
    }

    /** Graphics with anti-aliased shapes and text, and fractional text metrics (so layout and drawing agree). */
    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        return g;
    }

    /**
     * The margins, from measured text: left = the y-axis title and the longest class name; right = the
     * colour bar and its widest tick label; above = the title; below = the column labels (flat, or turned
     * 45° when the longest does not fit under a cell) and the x-axis title. The cells are the largest
     * squares that fit in between; the whole is centred in the figure.
     */
    private Layout layout(Graphics2D g, int width, int height) {
        int n = counts.length;
        FontMetrics label = g.getFontMetrics(LABEL_FONT);
        FontMetrics axis = g.getFontMetrics(AXIS_FONT);
        FontMetrics titleMetrics = g.getFontMetrics(TITLE_FONT);
        int longest = 0;
        for (String name : classNames) {
            longest = Math.max(longest, label.stringWidth(name));
        }
        int tickWidth = 0;
        for (double t : ticks(scaleMax(), !normalize)) {
            tickWidth = Math.max(tickWidth, label.stringWidth(tickLabel(t)));
        }
        int left = PAD + axis.getHeight() + GAP + longest + GAP + TICK;
        int right = BAR_GAP + BAR_WIDTH + TICK + GAP / 2 + tickWidth + PAD;
        int titleHeight = titleMetrics.getHeight() + GAP;
        int axisHeight = GAP + axis.getHeight();
        // Below the matrix: ticks, the column labels (flat: one line high), the x-axis title.
        int drop = label.getHeight();
        int cell = Math.min((width - left - right) / n,
                (height - 2 * PAD - titleHeight - TICK - GAP / 2 - drop - axisHeight) / n);
        boolean rotated = longest > cell - 6;
        if (rotated) {
            // A label turned 45° reaches (width + height)/√2 below its anchor.
            drop = (int) Math.ceil((longest + label.getHeight()) / Math.sqrt(2));
            cell = Math.min((width - left - right) / n,
                    (height - 2 * PAD - titleHeight - TICK - GAP / 2 - drop - axisHeight) / n);
        }
        if (cell < 12) {
            throw new IllegalArgumentException("confusion matrix plot '" + title + "': a " + width + "x" + height
                    + " figure leaves " + cell + " pixels per cell for " + n + " classes with these names; "
                    + "expected at least 12: make the figure larger");
        }
        int side = n * cell;
        int blockHeight = titleHeight + side + TICK + GAP / 2 + drop + axisHeight;
        int x0 = left + Math.max(0, (width - left - right - side) / 2);
        int y0 = Math.max(PAD, (height - blockHeight) / 2) + titleHeight;
        return new Layout(x0, y0, cell, rotated, drop);
    }

    private void drawCells(Graphics2D g, Layout layout) {
        int n = counts.length;
        double[][] values = values();
        double max = scaleMax();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                int x = layout.x0 + j * layout.cell;
                int y = layout.y0 + i * layout.cell;
                Color fill = blues(values[i][j] / max);
                g.setColor(fill);
                g.fillRect(x, y, layout.cell, layout.cell);
                String text = normalize ? String.format(Locale.ROOT, "%.2f", values[i][j])
                        : Long.toString(counts[i][j]);
                g.setColor(textColour(fill));
                g.setFont(cellFont(g, text, layout.cell));
                FontMetrics fm = g.getFontMetrics();
                g.drawString(text, x + (layout.cell - fm.stringWidth(text)) / 2,
                        y + (layout.cell + fm.getAscent() - fm.getDescent()) / 2);
            }
        }
        int side = n * layout.cell;
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(layout.x0, layout.y0, side, side);
    }

    /** The largest font, up to 18 points, in which {@code text} fits a cell with a margin. */
    private static Font cellFont(Graphics2D g, String text, int cell) {
        int size = Math.max(7, Math.min(18, cell / 3));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, size);
        while (size > 7 && g.getFontMetrics(font).stringWidth(text) > cell - 6) {
            size--;
            font = font.deriveFont((float) size);
        }
        return font;
    }

    private void drawClassLabels(Graphics2D g, Layout layout) {
        int n = counts.length;
        int side = n * layout.cell;
        g.setFont(LABEL_FONT);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < n; k++) {
            String name = classNames.get(k);
            int centre = k * layout.cell + layout.cell / 2;
            // row k, left of the matrix, right-aligned to its tick
            int y = layout.y0 + centre;
            g.drawLine(layout.x0 - TICK, y, layout.x0, y);
            g.drawString(name, layout.x0 - TICK - GAP / 2 - fm.stringWidth(name),
                    y + (fm.getAscent() - fm.getDescent()) / 2);
            // column k, below the matrix
            int x = layout.x0 + centre;
            int below = layout.y0 + side;
            g.drawLine(x, below, x, below + TICK);
            if (!layout.rotated) {
                g.drawString(name, x - fm.stringWidth(name) / 2, below + TICK + GAP / 2 + fm.getAscent());
            } else {
                // Turned 45° (reading up to the right) and right-aligned: the label ends just below its tick.
                AffineTransform saved = g.getTransform();
                g.translate(x + fm.getAscent() / 2.0, below + TICK + GAP / 2.0);
                g.rotate(-Math.PI / 4);
                g.drawString(name, -fm.stringWidth(name), fm.getAscent() / 2);
                g.setTransform(saved);
            }
        }
    }

    /** A vertical scale from 0 (bottom) to {@link #scaleMax()} (top), {@code side} pixels high, with ticks. */
    private void drawColourBar(Graphics2D g, int x, int y, int side) {
        for (int row = 0; row < side; row++) {
            g.setColor(blues(1 - (row + 0.5) / side));
            g.fillRect(x, y + row, BAR_WIDTH, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x, y, BAR_WIDTH, side);
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        double max = scaleMax();
        for (double t : ticks(max, !normalize)) {
            int ty = y + (int) Math.round(side * (1 - t / max));
            g.setColor(Color.DARK_GRAY);
            g.drawLine(x + BAR_WIDTH, ty, x + BAR_WIDTH + TICK, ty);
            g.setColor(Color.BLACK);
            g.drawString(tickLabel(t), x + BAR_WIDTH + TICK + GAP / 2, ty + (fm.getAscent() - fm.getDescent()) / 2);
        }
    }

    /**
     * 0 and multiples of a round step (1, 2, 2.5 or 5 × 10^k) up to {@code max}: four to seven ticks; the step
     * is at least 1 when {@code counts} (a count of 2.5 means nothing).
     */
    static List<Double> ticks(double max, boolean counts) {
        double raw = max / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * magnitude;
            if (step >= raw && (!counts || step == Math.rint(step))) {
                break;
            }
        }
        if (counts) {
            step = Math.max(1, step);
        }
        List<Double> ticks = new ArrayList<>();
        for (int k = 0; k * step <= max * (1 + 1e-9); k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    private String tickLabel(double t) {
        if (normalize) {
            return String.format(Locale.ROOT, "%.1f", t);
        }
        return t == Math.rint(t) ? Long.toString((long) t) : String.format(Locale.ROOT, "%.1f", t);
    }

    /** matplotlib's "Blues" at {@code t} in [0, 1]: linear between its nine colours. */
    static Color blues(double t) {
        double s = Math.max(0, Math.min(1, t)) * (BLUES.length - 1);
        int k = Math.min((int) s, BLUES.length - 2);
        double f = s - k;
        Color a = BLUES[k];
        Color b = BLUES[k + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    /**
     * White or black, whichever contrasts more with {@code fill}: WCAG's contrast ratio
     * {@code (L1 + 0.05) / (L2 + 0.05)} of relative luminances, against white (L = 1) and black (L = 0).
     */
    static Color textColour(Color fill) {
        double luminance = 0.2126 * linear(fill.getRed()) + 0.7152 * linear(fill.getGreen())
                + 0.0722 * linear(fill.getBlue());
        double againstWhite = 1.05 / (luminance + 0.05);
        double againstBlack = (luminance + 0.05) / 0.05;
        return againstWhite >= againstBlack ? Color.WHITE : Color.BLACK;
    }

    /** An sRGB channel 0..255 as linear light 0..1 (the sRGB transfer function, inverted). */
    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
