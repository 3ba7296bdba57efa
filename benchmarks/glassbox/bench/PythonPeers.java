package glassbox.bench;

import glassbox.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>Every script lives in the repository, so a clean clone compares with the same peers: {@code torch_nets.py}
 * (seed networks, for {@code bench mlp} and {@code bench cnn}), {@code sk_unsupervised.py} ({@code bench
 * unsupervised}), {@code numpy_gemm.py} ({@code bench numpy-gap}). They read the datasets where glassbox keeps
 * them ({@code GLASSBOX_DATA}, {@code data/} by default), and each one's docstring says what it measures.
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
        // Debian's package equips Debian's interpreter only; another one (--python) is its owner's to equip.
        String install = python.equals(PYTHON) ? "sudo apt-get install -y " + library.debianPackage
                + " installs it (./glassbox bench does so itself when run as root)"
                : "install " + library.module + " for that interpreter, or leave --python out to use " + PYTHON;
        if (python.contains("/") && !Files.isExecutable(Path.of(python))) { // a bare name is looked up on PATH
            return "no " + python + "; " + install;
        }
        try {
            Process p = new ProcessBuilder(python, "-c", "import " + library.module).redirectErrorStream(true).start();
            // Waited for before reading, so that the timeout holds; an import's traceback fits in the pipe.
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return python + " took over two minutes to import " + library.module;
            }
            if (p.exitValue() == 0) {
                return "";
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String last = output.strip().lines().reduce((a, b) -> b).orElse("exit code " + p.exitValue());
            return String.format(Locale.ROOT, "%s cannot import %s (%s); %s", python, library.module, last, install);
        } catch (IOException e) {
            return python + " did not start (" + e.getMessage() + "); " + install;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking " + python + " to import " + library.module;
        }
    }

    /** The peer scripts' folder: {@code <home>/benchmarks/python}. */
    static Path scripts(Path home) {
        return home.resolve("benchmarks").resolve("python");
    }

    /**
     * A peer script, ready to start: run in its own folder (it imports {@code common.py} from there), reading the
     * datasets from {@code dataDir} ({@code GLASSBOX_DATA}), with what the launcher set for glassbox removed from
     * its environment ({@code OPENBLAS_CORETYPE}, {@code OPENBLAS_L2_SIZE}, the thread count, the preloaded
     * OpenBLAS, the malloc settings): those are glassbox's measured choices, and the peer runs at its own best,
     * as any user of it would. Standard error is merged into standard output.
     */
    static ProcessBuilder peerProcess(String python, Path script, Path dataDir, String... args) {
        List<String> command = new ArrayList<>(List.of(python, script.getFileName().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(script.toAbsolutePath().getParent().toFile());
        pb.environment().put("GLASSBOX_DATA", dataDir.toAbsolutePath().toString());
        for (String name : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "LD_PRELOAD",
                "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")) {
            pb.environment().remove(name);
        }
        pb.redirectErrorStream(true);
        return pb;
    }

    /** What a peer script wrote to its {@code --out} file; or, when it did not run, why ({@code json} null). */
    record Outcome(Map<String, Object> json, String why) {
        boolean ran() {
            return json != null;
        }
    }

    /**
     * Runs {@code script} with {@code args} plus {@code --out <a temporary file>} and reads the JSON it writes
     * there. It does not run when {@code library} is missing ({@link #missing}), and fails when the script is
     * absent, exits non-zero or outlasts {@code timeout}: the outcome then says why, with the script's last
     * line of output.
     */
    static Outcome runScript(String python, Library library, Path script, Path dataDir, long timeout, TimeUnit unit,
                             String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script)) {
            return new Outcome(null, "no " + script + " (the peer scripts ship in benchmarks/python/)");
        }
        String why = missing(python, library);
        if (why != null) {
            return new Outcome(null, why);
        }
        String name = script.getFileName().toString().replace(".py", "-");
        Path json = Files.createTempFile(name, ".json");
        // The output goes to a file, not a pipe: a script printing more than a pipe holds must not stall.
        Path log = Files.createTempFile(name, ".log");
        try {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--out", json.toString()));
            Process p = peerProcess(python, script, dataDir, all.toArray(String[]::new)).redirectOutput(log.toFile())
                    .start();
            String call = script.getFileName() + " " + String.join(" ", args);
            if (!p.waitFor(timeout, unit)) {
                p.destroyForcibly();
                return new Outcome(null, call + " ran over " + timeout + " " + unit.toString().toLowerCase(Locale.ROOT));
            }
            if (p.exitValue() != 0 || Files.size(json) == 0) {
                String last = Files.readString(log).strip().lines().reduce((a, b) -> b).orElse("no output");
                return new Outcome(null, call + " failed (exit " + p.exitValue() + "): " + last);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = Json.read(json, Map.class);
            return new Outcome(result, null);
        } finally {
            Files.deleteIfExists(json);
            Files.deleteIfExists(log);
        }
    }

    /** Seconds of each training epoch, the last epoch's test accuracy and the settings PyTorch ran with; or why not. */
    record Torch(double[] seconds, double accuracy, String settings, String why) {
        boolean ran() {
            return seconds != null;
        }
    }

    /**
     * Trains {@code model} of {@code torch_nets.py} for {@code epochs} at {@code batch} on the first
     * {@code samples} training samples (all when 0), on the datasets in {@code dataDir}.
     */
    static Torch torch(String python, Path home, Path dataDir, String model, int epochs, int batch, int samples)
            throws IOException, InterruptedException {
        Outcome out = runScript(python, Library.TORCH, scripts(home).resolve("torch_nets.py"), dataDir, 60,
                TimeUnit.MINUTES, model, "--epochs", String.valueOf(epochs), "--batch", String.valueOf(batch),
                "--samples", String.valueOf(samples));
        if (!out.ran()) {
            return new Torch(null, Double.NaN, null, "PyTorch not run: " + out.why());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> eps = (List<Map<String, Object>>) out.json().get("epochs");
        double[] sec = eps.stream().mapToDouble(e -> ((Number) e.get("train_seconds")).doubleValue()).toArray();
        double acc = ((Number) eps.get(eps.size() - 1).get("test_acc")).doubleValue();
        Map<String, Object> j = out.json();
        String settings = String.format(Locale.ROOT, "PyTorch %s, %d threads, oneDNN %s, %s", j.get("torch"),
                ((Number) j.get("threads")).intValue(), Boolean.TRUE.equals(j.get("mkldnn")) ? "on" : "off",
                j.get("memory_format"));
        return new Torch(sec, acc, settings, null);
    }
}
