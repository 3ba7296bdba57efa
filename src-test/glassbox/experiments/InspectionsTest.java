package glassbox.experiments;

import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Inspection;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.plot.LineChart;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --inspect}'s figures: what is drawn, what is left out and said so, and the line styles. */
class InspectionsTest {
    @TempDir
    Path dir;

    /** A frozen tanh layer under a trained softmax: no ReLU anywhere, one layer that does not move. */
    private static History frozenUnderTrained() {
        Dense frozen = new Dense(4, "tanh");
        frozen.setTrainable(false);
        Sequential model = new Sequential(0, frozen, new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        Tensor x = Tensor.zeros(12, 2);
        Tensor y = Tensor.zeros(12);
        for (int i = 0; i < 12; i++) {
            x.data()[2 * i] = i % 3;
            x.data()[2 * i + 1] = 1 - i % 2;
            y.data()[i] = i % 3;
        }
        return model.fit(x, y, FitOptions.defaults().withEpochs(2).withBatchSize(4).withVerbose(false)
                .withCallbacks(java.util.List.of(new glassbox.nn.Inspector())));
    }

    @Test
    void aFigureWithoutAnyLayerHavingTheMetricIsNotWritten() throws IOException {
        Inspection inspection = frozenUnderTrained().inspection();
        Path file = dir.resolve("dead.png");
        assertFalse(Inspections.chart("m", inspection, Inspection.Metric.DEAD_FRACTION, file));
        assertFalse(Files.exists(file), "no ReLU layer: no dead-fraction figure");
    }

    @Test
    void aFrozenLayersZeroRatioIsLeftOffTheLogAxisAndTheRestIsDrawn() throws IOException {
        Inspection inspection = frozenUnderTrained().inspection();
        Path file = dir.resolve("ratio.png");
        assertTrue(Inspections.chart("m", inspection, Inspection.Metric.UPDATE_RATIO, file));
        assertNotNull(ImageIO.read(file.toFile()));
    }

    @Test
    void oneModelNameIsKeptOnce() {
        Inspections inspections = new Inspections();
        History h = frozenUnderTrained();
        inspections.add("head", h);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inspections.add("head", h));
        assertTrue(e.getMessage().contains("'head'"), e.getMessage());
        Inspections none = new Inspections();
        none.add("plain", new History());
        assertTrue(none.isEmpty(), "a fit without --inspect adds nothing");
    }

    @Test
    void eighteenLayersGetEighteenDistinctLinesNoneInTheReferenceGrey() {
        Set<LineChart.Style> styles = new HashSet<>();
        for (int i = 0; i < 18; i++) {
            LineChart.Style s = Inspections.layerStyle(i);
            assertTrue(s.colour() != 7, "C7 is the rule-of-thumb line's");
            styles.add(s);
        }
        assertEquals(18, styles.size());
    }
}
