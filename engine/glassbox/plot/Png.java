package glassbox.plot;

import glassbox.util.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * What every figure shares: headless rendering, the colour cycle, and writing a chart as a PNG atomically.
 */
final class Png {
    /**
     * matplotlib's default colour cycle ("tab10"): ten colours that stay distinguishable when ten series
     * (one per class, say) share one plot, and that readers of the seed notebooks already know.
     */
    static final Color[] TAB10 = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };

    private Png() {
    }

    /**
     * Makes AWT render off-screen, so figures can be drawn on a server or in CI without a display. Must run
     * before the first AWT call; every figure class calls it from its static initialiser. A value the user
     * set explicitly is respected.
     */
    static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** Renders {@code chart} to PNG bytes in memory, then writes them to {@code file} atomically. */
    static void write(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG));
    }

    /** Checks a figure's pixel size where it enters, naming the offending value. */
    static void checkSize(int width, int height) {
        if (width < 50 || height < 50) {
            throw new IllegalArgumentException("figure size must be at least 50x50 pixels, got " + width + "x"
                    + height);
        }
    }
}
