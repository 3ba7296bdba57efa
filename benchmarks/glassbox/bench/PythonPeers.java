package glassbox.bench;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmarks' peers: numpy, PyTorch and scikit-learn doing the same work as glassbox, each run by a script
 * of {@code benchmarks/python/} under Debian's interpreter {@code /usr/bin/python3}. That interpreter, not the
 * first {@code python3} on PATH (often a pyenv or venv one), is where Debian's {@code python3-numpy},
 * {@code python3-torch} and {@code python3-sklearn} install, and PyPI is not reachable here.
 *
 * <p>A peer is optional: the launcher installs its package on a benchmark's first use when it runs as root,
 * and otherwise prints the one command that would; a benchmark whose peer is missing reports glassbox alone,
 * and a test that needs a peer is skipped with the reason {@link #missing} gives.
 */
final class PythonPeers {
    /** Debian's interpreter, the one its peer packages install into. */
    static final String PYTHON = "/usr/bin/python3";

    /** A peer library: the module a script imports and the Debian package that provides it. */
    enum Library {
        NUMPY("numpy", "python3-numpy"),
        TORCH("torch", "python3-torch"),
        SKLEARN("sklearn", "python3-sklearn");

        final String module;
        final String debianPackage;

        Library(String module, String debianPackage) {
            this.module = module;
            this.debianPackage = debianPackage;
        }
    }

    /** Answers of {@link #missing}, per interpreter and library: an import of torch takes seconds. */
    private static final Map<String, String> MISSING = new ConcurrentHashMap<>();

    private PythonPeers() {
    }

    /**
     * Why {@code python} cannot run {@code library}'s peer — the interpreter is absent, or the import fails or
     * takes over two minutes — or null when it can. The reason names the install command.
     */
    static String missing(String python, Library library) {
        String key = python + "\u0000" + library;
        String why = MISSING.computeIfAbsent(key, k -> probe(python, library));
        return why.isEmpty() ? null : why;
    }

    /** The reason as {@link #missing} gives it, "" when the import works (a map cannot hold null). */
    private static String probe(String python, Library library) {
        String install = "sudo apt-get install -y " + library.debianPackage
                + " installs it (./glassbox bench does so itself when run as root)";
        if (!new java.io.File(python).canExecute()) {
            return "no " + python + "; " + install;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + library.module).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return python + " took over two minutes to import " + library.module;
            }
            if (p.exitValue() == 0) {
                return "";
            }
            String last = output.strip().lines().reduce((a, b) -> b).orElse("exit code " + p.exitValue());
            return String.format(Locale.ROOT, "%s cannot import %s (%s); %s", python, library.module, last, install);
        } catch (IOException e) {
            return python + " did not start (" + e.getMessage() + "); " + install;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking " + python + " to import " + library.module;
        }
    }
}
