package glassbox.bench;

import glassbox.util.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch anchor script ({@code shared/anchors/python/torch_nets.py}) for one of its models, so a
 * benchmark can put PyTorch's seconds per epoch beside glassbox's in the same command. Its environment
 * drops what the launcher set for glassbox ({@code OPENBLAS_CORETYPE}, {@code OPENBLAS_L2_SIZE}, the
 * preloaded OpenBLAS, the malloc settings), so PyTorch runs as it was measured for the anchors: at its best.
 */
final class TorchAnchor {
    /** Seconds of each training epoch and the last epoch's test accuracy; or why PyTorch did not run. */
    record Result(double[] seconds, double accuracy, String why) {
        boolean ran() {
            return seconds != null;
        }
    }

    private TorchAnchor() {
    }

    /**
     * The script reads {@code $ANCHOR_DATA/mnist/} and {@code $ANCHOR_DATA/fashion/} with uncompressed IDX
     * files; glassbox keeps {@code data/mnist/} plain and {@code data/fashion-mnist/} gzip'd as the packages
     * ship them. This lays out {@code target/anchor-data/} once: links to plain files, gunzipped copies of
     * the others.
     */
    static Path anchorData(Path home) throws IOException {
        Path root = home.resolve("target").resolve("anchor-data");
        String[][] folders = {{"mnist", "mnist"}, {"fashion-mnist", "fashion"}};
        for (String[] f : folders) {
            Path from = home.resolve("data").resolve(f[0]);
            Path to = root.resolve(f[1]);
            Files.createDirectories(to);
            for (String name : glassbox.data.Datasets.IDX_FILES) {
                Path target = to.resolve(name);
                if (Files.exists(target)) {
                    continue;
                }
                Path plain = from.resolve(name);
                Path gz = from.resolve(name + ".gz");
                if (Files.exists(plain)) {
                    Files.createSymbolicLink(target, plain.toAbsolutePath());
                } else if (Files.exists(gz)) {
                    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
                        glassbox.util.AtomicFiles.write(target, out -> in.transferTo(out));
                    }
                }
            }
        }
        return root;
    }

    /**
     * Models whose PyTorch peer lives in this repository ({@code benchmarks/python/torch_seed003.py}), not in
     * the shared anchors' {@code torch_nets.py}: seed 003's two networks, which that script does not have.
     */
    static final Set<String> REPOSITORY_PEERS = Set.of("autoencoder", "cnn_keras");

    /** The anchors folder: {@code override} if given, else {@code <home>/../shared/anchors}. */
    static Path anchors(Path home, Path override) {
        return override != null ? override : home.resolveSibling("shared").resolve("anchors");
    }

    /**
     * A peer's anchor script, ready to start: run in its own folder, reading the datasets from
     * {@code dataDir} ({@code ANCHOR_DATA}), with what the launcher set for glassbox removed from its
     * environment ({@code OPENBLAS_CORETYPE}, {@code OPENBLAS_L2_SIZE}, the thread count, the preloaded
     * OpenBLAS, the malloc settings) so that the peer runs as its anchors were measured: at its best.
     * Standard error is merged into standard output.
     */
    static ProcessBuilder peerProcess(String python, Path script, Path dataDir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.directory(script.getParent().toFile());
        pb.environment().put("ANCHOR_DATA", dataDir.toString());
        for (String name : List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "LD_PRELOAD",
                "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")) {
            pb.environment().remove(name);
        }
        pb.redirectErrorStream(true);
        return pb;
    }

    /**
     * Trains {@code model} of the anchor script for {@code epochs} at {@code batch}, on glassbox's datasets
     * under {@code home/data} (laid out for the script first, see {@link #anchorData}).
     */
    static Result run(String python, Path anchorDir, Path home, String model, int epochs, int batch)
            throws IOException, InterruptedException {
        Path dataDir = anchorData(home);
        Path script = REPOSITORY_PEERS.contains(model)
                ? home.resolve("benchmarks").resolve("python").resolve("torch_seed003.py")
                : anchorDir.resolve("python").resolve("torch_nets.py");
        if (!Files.exists(script)) {
            return new Result(null, Double.NaN, "no " + script);
        }
        Path json = Files.createTempFile("torch-" + model, ".json");
        try {
            Process p = peerProcess(python, script, dataDir, model, "--epochs", String.valueOf(epochs),
                    "--batch", String.valueOf(batch), "--out", json.toString()).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                String last = log.strip().lines().reduce((a, b) -> b).orElse("no output");
                return new Result(null, Double.NaN, "PyTorch not run (" + last + "); apt-get install -y python3-torch");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> res = Json.read(json, Map.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> eps = (List<Map<String, Object>>) res.get("epochs");
            double[] sec = eps.stream().mapToDouble(e -> ((Number) e.get("train_seconds")).doubleValue()).toArray();
            double acc = ((Number) eps.get(eps.size() - 1).get("test_acc")).doubleValue();
            return new Result(sec, acc, null);
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
