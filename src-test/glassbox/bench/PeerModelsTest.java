package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.nn.Param;
import glassbox.nn.Sequential;
import glassbox.util.Json;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peers the benchmarks compare with run the same work: each PyTorch network of {@code torch_nets.py} has the
 * parameter counts of the glassbox network its benchmark maps it to, and the scripts answer in the form the
 * benchmarks read (on a few synthetic images, so that no dataset is needed). Skipped, saying why, when
 * {@code /usr/bin/python3} lacks PyTorch or scikit-learn.
 */
class PeerModelsTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    /** Each benchmarked glassbox network by the name of its PyTorch peer in {@code torch_nets.py}. */
    private static Map<String, Sequential> glassboxNetworks() {
        Map<String, Sequential> networks = new TreeMap<>();
        networks.put("mlp", MlpEpochBenchmark.network(0));
        for (CnnEpochBenchmark.Spec spec : CnnEpochBenchmark.SPECS.values()) {
            networks.put(spec.torchName(), spec.network().apply(0));
        }
        return networks;
    }

    @Test
    void everyPeerNetworkHasTheParameterCountsOfGlassboxs() throws Exception {
        PeerAssumptions.assumeInstalled(PythonPeers.Library.TORCH);
        Process p = PythonPeers.peerProcess(PythonPeers.PYTHON, PythonPeers.scripts(HOME).resolve("torch_nets.py"),
                HOME.resolve("data"), "all", "--count-params").start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "torch_nets.py all --count-params: " + output);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Number>> torch = Json.fromJson(output.strip().lines().reduce((a, b) -> b).orElseThrow(),
                Map.class);

        Map<String, Sequential> glassbox = glassboxNetworks();
        assertEquals(glassbox.keySet(), new TreeSet<>(torch.keySet()),
                "torch_nets.py's models and the ones bench mlp and bench cnn compare with");
        for (var e : glassbox.entrySet()) {
            long trainable = 0;
            long nonTrainable = 0;
            for (Param param : e.getValue().params()) {
                long size = param.value().size();
                trainable += param.trainable() ? size : 0;
                nonTrainable += param.trainable() ? 0 : size;
            }
            Map<String, Number> peer = torch.get(e.getKey());
            // PyTorch's parameters are Keras's trainable ones; BatchNorm's running statistics are buffers there
            assertEquals(trainable, peer.get("parameters").longValue(), e.getKey() + ": trainable parameters");
            assertEquals(nonTrainable, peer.get("buffers").longValue(), e.getKey() + ": BatchNorm's moving statistics");
            assertEquals(e.getValue().countParams(), trainable + nonTrainable, e.getKey());
        }
    }

    @Test
    void torchPeerTrainsAndSaysHowItRan(@TempDir Path data) throws Exception {
        PeerAssumptions.assumeInstalled(PythonPeers.Library.TORCH);
        writeDataset(data.resolve("mnist"), 64, 32);
        writeDataset(data.resolve("fashion-mnist"), 64, 32);
        for (String model : List.of("cnn_default", "autoencoder")) { // the twist's data; the autoencoder's loss
            PythonPeers.Torch torch = PythonPeers.torch(PythonPeers.PYTHON, HOME, data, model, 2, 16, 48);
            assertTrue(torch.ran(), model + ": " + torch.why());
            assertEquals(2, torch.seconds().length, model + ": seconds of each epoch");
            assertTrue(torch.accuracy() >= 0 && torch.accuracy() <= 1, model + ": accuracy " + torch.accuracy());
            assertTrue(torch.settings().contains("oneDNN") && torch.settings().contains("threads"), torch.settings());
        }
    }

    @Test
    void sklearnPeerGivesWhatTheComparisonReadsPointByPoint(@TempDir Path data) throws Exception {
        PeerAssumptions.assumeInstalled(PythonPeers.Library.SKLEARN);
        int testImages = 120;
        writeDataset(data.resolve("mnist"), 64, testImages);
        PythonPeers.Outcome dbscan = UnsupervisedBenchmark.sklearnOutcome(PythonPeers.PYTHON, HOME, data, "dbscan", 100);
        assertTrue(dbscan.ran(), dbscan.why());
        for (String key : List.of("pca50_eps5.0", "pca50_eps6.0", "raw784_eps6.0")) { // the keys dbscan() reads
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) dbscan.json().get(key);
            assertNotNull(c, key + " in " + dbscan.json().keySet());
            assertEquals(testImages, ((List<?>) c.get("labels")).size(), key + ": a label per test image");
        }
        PythonPeers.Outcome tsne = UnsupervisedBenchmark.sklearnOutcome(PythonPeers.PYTHON, HOME, data, "tsne", 100);
        assertTrue(tsne.ran(), tsne.why());
        List<?> subsample = (List<?>) tsne.json().get("trustworthiness_subsample");
        assertEquals(100, subsample.size(), "all 100 embedded points (fewer than 2,000)");
        assertTrue(tsne.json().get("kl") instanceof Number, tsne.json().toString());
    }

    @Test
    void aMissingPeerScriptIsNamedNotRun(@TempDir Path home) throws Exception {
        PythonPeers.Torch torch = PythonPeers.torch(PythonPeers.PYTHON, home, home, "mlp", 1, 32, 0);
        assertTrue(!torch.ran() && torch.why().contains(home.resolve("benchmarks").resolve("python")
                .resolve("torch_nets.py").toString()), torch.why());
    }

    /**
     * The four IDX files of a dataset folder: random 28×28 images (seeded), labels 0..9 in turn — enough for a
     * peer script to load, train and score, nothing to learn from.
     */
    private static void writeDataset(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(42);
        for (String split : List.of("train", "t10k")) {
            int n = split.equals("train") ? train : test;
            byte[] pixels = new byte[n * 28 * 28];
            random.nextBytes(pixels);
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
            }
            writeIdx(dir.resolve(split + "-images-idx3-ubyte"), 0x803, new int[] {n, 28, 28}, pixels);
            writeIdx(dir.resolve(split + "-labels-idx1-ubyte"), 0x801, new int[] {n}, labels);
        }
    }

    /** IDX: the big-endian magic number (0x801 labels, 0x803 images), each dimension, then the bytes. */
    private static void writeIdx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
