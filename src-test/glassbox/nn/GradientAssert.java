package glassbox.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests' side of {@link GradientCheck}: fails the test with the report's own description of what
 * disagreed. The check itself lives in the engine, where {@code ./glassbox gradcheck} runs it too.
 */
public final class GradientAssert {
    private GradientAssert() {
    }

    /** Fails unless every tensor of the report passed, quoting the probes that did not. */
    public static void assertPasses(GradientCheck.Report report) {
        assertTrue(report.passed(), report::failures);
    }
}
