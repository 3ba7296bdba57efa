package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The expected lines are written out by hand from Keras's Progbar rules (30-wide bar, {@code int(30·done/total)}
 * cells of which the last is {@code >}, ETA truncated to whole seconds, time per step rounded).
 */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock the test moves by hand. */
    private static final class FakeClock {
        long nanos;
    }

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final FakeClock clock = new FakeClock();

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Double> metrics(Object... keyValues) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], (Double) keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void interactiveLineShowsCountBarEtaAndMetrics() {
        Progress p = new Progress(out, true, 1875, "", () -> clock.nanos);
        clock.nanos = SECOND; // 937 steps in 1 s: 938 left at the same pace is 1.001 s
        p.update(937, metrics("loss", 0.28714, "accuracy", 0.91634));
        String bar = "[" + "=".repeat(13) + ">" + ".".repeat(16) + "]"; // int(30 * 937/1875) = 14 cells
        assertEquals("\r 937/1875 " + bar + " - ETA: 1s - loss: 0.2871 - accuracy: 0.9163", output());
    }

    @Test
    void finalLineShowsElapsedSecondsAndTimePerStep() {
        Progress p = new Progress(out, true, 1875, "", () -> clock.nanos);
        clock.nanos = 2 * SECOND; // 2 s / 1875 steps = 1.07 ms per step
        p.finish(metrics("loss", 0.2551, "accuracy", 0.9259));
        assertEquals("\r1875/1875 [==============================] - 2s 1ms/step - loss: 0.2551 - accuracy: 0.9259"
                + System.lineSeparator(), output());
    }

    @Test
    void metricsAppearInTheMapsOrderNotAlphabetically() {
        Progress p = new Progress(out, false, 10, "", () -> clock.nanos);
        p.finish(metrics("val_loss", 0.5, "loss", 0.25, "accuracy", 0.75));
        String line = output();
        assertTrue(line.indexOf("val_loss: 0.5000") < line.indexOf(" loss: 0.2500")
                && line.indexOf(" loss: 0.2500") < line.indexOf("accuracy: 0.7500"), line);
    }

    @Test
    void nonInteractivePrintsNothingPerStepAndOnePlainFinalLine() {
        Progress p = new Progress(out, false, 4, "", () -> clock.nanos);
        for (int step = 1; step <= 3; step++) {
            clock.nanos += SECOND;
            p.update(step, metrics("loss", 1.0 / step));
            assertEquals("", output(), "nothing may be printed per step when not on a terminal");
        }
        clock.nanos += SECOND;
        p.finish(metrics("loss", 0.125));
        assertEquals("4/4 [==============================] - 4s 1s/step - loss: 0.1250" + System.lineSeparator(),
                output());
        assertFalse(output().contains("\r"));
    }

    @Test
    void redrawsAtMostTenTimesPerSecond() {
        Progress p = new Progress(out, true, 1000, "", () -> clock.nanos);
        for (int step = 1; step <= 1000; step++) { // one step per millisecond for one second
            clock.nanos += SECOND / 1000;
            p.update(step, metrics("loss", 1.0));
        }
        long redraws = output().chars().filter(c -> c == '\r').count();
        assertTrue(redraws >= 9 && redraws <= 11, "expected about 10 redraws in 1 s, got " + redraws);
    }

    @Test
    void etaDropsFractionsAndSwitchesToMinutesAndHours() {
        assertEquals("7s", Progress.formatEta(7.9));
        assertEquals("60s", Progress.formatEta(60));
        assertEquals("2:05", Progress.formatEta(125.4));
        assertEquals("1:02:05", Progress.formatEta(3725));
    }

    @Test
    void timePerStepIsInSecondsMillisecondsOrMicroseconds() {
        assertEquals("2s/step", Progress.formatPerStep(2.4));
        assertEquals("12ms/step", Progress.formatPerStep(0.0121));
        assertEquals("50us/step", Progress.formatPerStep(0.00005));
    }

    @Test
    void tinyMetricUsesScientificNotation() {
        Progress p = new Progress(out, false, 1, "", () -> clock.nanos);
        p.finish(metrics("loss", 0.0005));
        assertTrue(output().contains("loss: 5.0000e-04"), output());
    }

    @Test
    void prefixAndRightAlignedStepCount() {
        Progress p = new Progress(out, true, 100, "Epoch 1/3", () -> clock.nanos);
        clock.nanos = SECOND; // 4 steps per second, 96 left: 24 s; int(30 * 4/100) = 1 cell, the head
        p.update(4, metrics());
        assertEquals("\rEpoch 1/3   4/100 [>" + ".".repeat(29) + "] - ETA: 24s", output());
    }

    @Test
    void shorterRedrawBlanksTheTailOfTheLongerOne() {
        Progress p = new Progress(out, true, 10, "", () -> clock.nanos);
        clock.nanos = SECOND;
        p.update(1, metrics("loss", 12345.5));
        int firstLength = output().length() - 1; // without the '\r'
        bytes.reset();
        clock.nanos = 2 * SECOND;
        p.update(2, metrics("loss", 1.5));
        String second = output();
        assertEquals(firstLength, second.length() - 1, "the redraw must cover the whole previous line");
        assertTrue(second.endsWith("loss: 1.5000    "), "[" + second + "]");
    }

    @Test
    void environmentVariableOverridesTerminalDetection() {
        assertTrue(Progress.interactiveFor(null, true));
        assertFalse(Progress.interactiveFor(null, false));
        assertFalse(Progress.interactiveFor("plain", true));
        assertTrue(Progress.interactiveFor("BAR", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Progress.interactiveFor("fancy", true));
        assertTrue(e.getMessage().contains("GLASSBOX_PROGRESS") && e.getMessage().contains("fancy"), e.getMessage());
    }

    @Test
    void stepOutsideTheEpochIsRejected() {
        Progress p = new Progress(out, true, 10, "", () -> clock.nanos);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.update(11, metrics()));
        assertTrue(e.getMessage().contains("[0, 10]") && e.getMessage().contains("11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Progress(out, true, 0, "", () -> 0L));
    }
}
