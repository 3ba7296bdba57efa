package glassbox.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Skips a test whose peer library (numpy, PyTorch, scikit-learn) {@code /usr/bin/python3} cannot import: peers
 * are the benchmarks' business, and a clean clone's tests pass on a machine without them. Surefire's console
 * shows only the count of skipped tests, so the reason is printed too, naming the test and the install command.
 */
final class PeerAssumptions {
    private PeerAssumptions() {
    }

    static void assumeInstalled(PythonPeers.Library library) {
        String why = PythonPeers.missing(PythonPeers.PYTHON, library);
        if (why != null) {
            String test = StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst())
                    .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName())
                    .orElse("a test");
            System.err.println("SKIPPED " + test + ": " + why);
        }
        assumeTrue(why == null, () -> library.module + " peer not installed: " + why);
    }
}
