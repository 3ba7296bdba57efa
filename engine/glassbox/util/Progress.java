package glassbox.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Keras's training progress line ({@code keras.utils.Progbar}, verbose=1), for one epoch of steps.
 *
 * <p>On a terminal the line is redrawn in place (with {@code \r}, at most about ten times a second):
 * <pre>
 *  937/1875 [==============&gt;...............] - ETA: 1s - loss: 0.2871 - accuracy: 0.9163
 * </pre>
 * and {@link #finish} leaves the final line, with the epoch's wall time and time per step:
 * <pre>
 * 1875/1875 [==============================] - 2s 1ms/step - loss: 0.2551 - accuracy: 0.9259
 * </pre>
 * When the output is not a terminal (a log file, CI), nothing is printed per step — a log full of
 * {@code \r}-separated redraws is unreadable — and {@link #finish} prints the same final line once.
 *
 * <p>The formats are Keras's: a 30-character bar; the step count right-aligned to the width of the total;
 * ETA = (elapsed / steps done) × steps left, shown as {@code 7s}, {@code 2:05} or {@code 1:02:05}; time per
 * step in whole s, ms or us; metric values with 4 decimals, or {@code %.4e} when their magnitude is at most
 * 1e-3. Metrics are shown as given (the caller passes running means, as Keras's trainer does), in the
 * iteration order of the map: pass a {@code LinkedHashMap} to fix the order.
 *
 * <p>Not thread-safe: one training loop owns one instance per epoch.
 */
public final class Progress {
    /** Width of the bar between the brackets, as in Keras. */
    static final int BAR_WIDTH = 30;
    /** Minimum time between two redraws on a terminal: redrawing every step would cost more than a step. */
    static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    /** The environment variable that overrides terminal detection: {@code plain} or {@code bar}. */
    public static final String ENV_VARIABLE = "GLASSBOX_PROGRESS";

    private final PrintStream out;
    private final boolean interactive;
    private final int totalSteps;
    private final String prefix;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long lastDrawNanos;
    private boolean drawnOnce;
    private int lastLineLength;
    private boolean finished;

    /** A progress line over {@code totalSteps} steps, timed by {@link System#nanoTime}. */
    public Progress(PrintStream out, boolean interactive, int totalSteps, String prefix) {
        this(out, interactive, totalSteps, prefix, System::nanoTime);
    }

    /**
     * As {@link #Progress(PrintStream, boolean, int, String)}, with the clock injected (nanoseconds, as
     * {@link System#nanoTime}); the epoch's time starts at construction.
     *
     * @param prefix printed at the start of the line, followed by a space (empty: none)
     */
    public Progress(PrintStream out, boolean interactive, int totalSteps, String prefix, LongSupplier nanoClock) {
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps must be at least 1, got " + totalSteps);
        }
        this.out = out;
        this.interactive = interactive;
        this.totalSteps = totalSteps;
        this.prefix = prefix == null || prefix.isEmpty() ? "" : prefix + " ";
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /**
     * A progress line on {@code System.out}, redrawn in place when this JVM has a terminal
     * ({@code System.console() != null}), plain otherwise. The environment variable
     * {@code GLASSBOX_PROGRESS=bar} or {@code =plain} overrides the detection.
     */
    public static Progress forConsole(int totalSteps, String prefix) {
        boolean interactive = interactiveFor(System.getenv(ENV_VARIABLE), System.console() != null);
        return new Progress(System.out, interactive, totalSteps, prefix);
    }

    /** Whether to redraw, given the value of {@value #ENV_VARIABLE} (may be null) and terminal detection. */
    static boolean interactiveFor(String envValue, boolean hasConsole) {
        if (envValue == null || envValue.isBlank()) {
            return hasConsole;
        }
        switch (envValue.trim().toLowerCase(Locale.ROOT)) {
            case "bar":
                return true;
            case "plain":
                return false;
            default:
                throw new IllegalArgumentException(ENV_VARIABLE + " must be 'plain' or 'bar', got '" + envValue + "'");
        }
    }

    /**
     * Reports that {@code step} of the total steps are done (1-based; step 0 = none yet). On a terminal,
     * redraws the line unless it was drawn less than 100 ms ago; otherwise prints nothing.
     */
    public void update(int step, Map<String, Double> metrics) {
        if (step < 0 || step > totalSteps) {
            throw new IllegalArgumentException("step must be in [0, " + totalSteps + "], got " + step);
        }
        if (finished) {
            throw new IllegalStateException("update(" + step + ") after finish()");
        }
        if (!interactive) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (drawnOnce && now - lastDrawNanos < REDRAW_INTERVAL_NANOS) {
            return;
        }
        draw(progressLine(step, now, metrics), false);
        lastDrawNanos = now;
        drawnOnce = true;
    }

    /** Prints the final line (all steps done, elapsed time and time per step) and ends it with a newline. */
    public void finish(Map<String, Double> metrics) {
        if (finished) {
            throw new IllegalStateException("finish() called twice");
        }
        finished = true;
        draw(finalLine(nanoClock.getAsLong(), metrics), true);
    }

    /** The line shown while {@code step} steps are done at time {@code now}: bar, ETA, metrics. */
    String progressLine(int step, long now, Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder(prefix).append(bar(step));
        if (step > 0) {
            double secondsPerStep = (now - startNanos) / 1e9 / step;
            sb.append(" - ETA: ").append(formatEta(secondsPerStep * (totalSteps - step)));
        }
        return appendMetrics(sb, metrics).toString();
    }

    /** The line shown by {@link #finish} at time {@code now}: full bar, elapsed time, time per step, metrics. */
    String finalLine(long now, Map<String, Double> metrics) {
        double elapsed = (now - startNanos) / 1e9;
        StringBuilder sb = new StringBuilder(prefix).append(bar(totalSteps));
        sb.append(String.format(Locale.ROOT, " - %.0fs ", elapsed)).append(formatPerStep(elapsed / totalSteps));
        return appendMetrics(sb, metrics).toString();
    }

    /** {@code " 937/1875 [==============>...............]"}: {@code =} for steps done, {@code >} at the head. */
    private String bar(int step) {
        int digits = String.valueOf(totalSteps).length();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%" + digits + "d/%d [", step, totalSteps));
        int filled = (int) ((long) BAR_WIDTH * step / totalSteps);
        if (filled > 0) {
            sb.append("=".repeat(filled - 1)).append(step < totalSteps ? '>' : '=');
        }
        sb.append(".".repeat(BAR_WIDTH - filled)).append(']');
        return sb.toString();
    }

    private static StringBuilder appendMetrics(StringBuilder sb, Map<String, Double> metrics) {
        if (metrics == null) {
            return sb;
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            double v = e.getValue() == null ? Double.NaN : e.getValue();
            String value = Math.abs(v) > 1e-3 || !Double.isFinite(v)
                    ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
            sb.append(" - ").append(e.getKey()).append(": ").append(value);
        }
        return sb;
    }

    /**
     * Keras's ETA format: {@code 7s}, {@code 2:05} (m:ss) above a minute, {@code 1:02:05} above an hour;
     * fractions of a second are dropped, as Keras's {@code %d} does.
     */
    static String formatEta(double seconds) {
        long s = (long) seconds;
        if (seconds > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (seconds > 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Keras's time-per-step format: whole seconds from 1 s up, else whole milliseconds, else microseconds. */
    static String formatPerStep(double seconds) {
        if (seconds >= 1 || seconds == 0) {
            return String.format(Locale.ROOT, "%.0fs/step", seconds);
        }
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }

    private void draw(String line, boolean last) {
        if (interactive) {
            // A shorter line than the previous one would leave the old tail visible: blank it out.
            String pad = " ".repeat(Math.max(0, lastLineLength - line.length()));
            out.print("\r" + line + pad);
            lastLineLength = line.length();
        } else {
            out.print(line);
        }
        if (last) {
            out.println();
        }
        out.flush();
    }
}
