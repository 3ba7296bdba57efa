package glassbox.experiments;

import glassbox.util.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void unknownExperimentGivesUsageAndListsKnownOnes() {
        assertEquals(2, run("run", "mnist-nope"));
        assertTrue(err.toString().contains("unknown experiment 'mnist-nope'"), err.toString());
        assertTrue(err.toString().contains("mnist-mlp"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void badFlagGivesTheExperimentsUsage() {
        assertEquals(2, run("run", "mnist-mlp", "--epochz", "3"));
        assertTrue(err.toString().contains("Unknown option") && err.toString().contains("'--epochz'"), err.toString());
        assertTrue(err.toString().contains("--epochs"), "the message points at the right flag: " + err);
        err.getBuffer().setLength(0);
        assertEquals(2, run("run", "mnist-mlp", "--zzz"));
        assertTrue(err.toString().contains("Usage:") && err.toString().contains("--batch-size"), "usage lists the flags: " + err);
    }

    @Test
    void badFlagValueNamesTheFlag() {
        assertEquals(2, run("run", "mnist-mlp", "--epochs", "three"));
        assertTrue(err.toString().contains("--epochs") && err.toString().contains("three"), err.toString());
    }

    @Test
    void unknownTopLevelCommandGivesUsage() {
        assertEquals(2, run("runn"));
        assertTrue(err.toString().contains("Unmatched argument") || err.toString().contains("Unknown"), err.toString());
    }

    @Test
    void listNamesEveryExperiment() {
        assertEquals(0, run("list"));
        for (String name : Experiments.names()) {
            assertTrue(out.toString().contains(name), out.toString());
        }
    }

    @Test
    void missingDataIsOneReadableLineNotAStackTrace(@TempDir Path home) {
        assertEquals(1, run("run", "mnist-mlp", "--quick", "--home", home.toString()));
        String e = err.toString();
        assertTrue(e.contains("error:") && e.contains("mnist") && e.contains("train-images-idx3-ubyte"), e);
        assertFalse(e.contains("\tat "), "no stack trace: " + e);
    }

    @Test
    void quickMnistMlpRunsEndToEndAndWritesItsRunFolder(@TempDir Path home) throws IOException {
        SyntheticMnist.write(home, 600, 200, 1);
        Path runs = home.resolve("runs");
        assertEquals(0, run("run", "mnist-mlp", "--quick", "--home", home.toString(), "--runs-dir", runs.toString()), err.toString());
        Path dir;
        try (Stream<Path> s = Files.list(runs.resolve("mnist-mlp"))) {
            List<Path> dirs = s.toList();
            assertEquals(1, dirs.size());
            dir = dirs.get(0);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> results = Json.read(dir.resolve("results.json"), Map.class);
        double acc = ((Number) results.get("test_accuracy")).doubleValue();
        assertTrue(acc > 0.5, "the synthetic bars are learnable in one epoch, got accuracy " + acc);
        assertNotNull(Json.read(dir.resolve("config.json"), Map.class).get("provenance"));
        assertTrue(Files.readAllLines(dir.resolve("history.csv")).size() == 2);
        for (String png : List.of("loss.png", "accuracy.png")) {
            assertNotNull(ImageIO.read(dir.resolve(png).toFile()), png);
        }
    }

    @Test
    void inspectWritesItsCsvAndOneFigurePerMetricAndProfileSplitsInsideFromOutside(@TempDir Path home)
            throws IOException {
        SyntheticMnist.write(home, 600, 200, 2);
        Path runs = home.resolve("runs");
        CommandLine cl = CommandLine.run("run", "mnist-mlp", "--quick", "--inspect", "--profile", "--home",
                home.toString(), "--runs-dir", runs.toString());
        assertEquals(0, cl.code(), cl.err());
        Path dir;
        try (Stream<Path> s = Files.list(runs.resolve("mnist-mlp"))) {
            dir = s.findFirst().orElseThrow();
        }
        List<String> csv = Files.readAllLines(dir.resolve("inspect.csv"));
        assertEquals("model,epoch,layer,kind,activation_mean,activation_std,dead_fraction,grad_norm,update_ratio,status",
                csv.get(0));
        assertEquals(1 + 4, csv.size(), "one epoch (--quick) × flatten, dense, dense_1, dense_2: " + csv);
        assertTrue(csv.get(1).startsWith("mnist-mlp,1,flatten,flatten,") && csv.get(1).endsWith(",,,,ok"), csv.get(1));
        String[] dense = csv.get(2).split(",");
        assertEquals("dense", dense[2]);
        double dead = Double.parseDouble(dense[6]);
        double ratio = Double.parseDouble(dense[8]);
        assertTrue(dead >= 0 && dead <= 1 && ratio > 1e-5 && ratio < 1e-1, csv.get(2));
        assertTrue(csv.get(4).split(",")[6].isEmpty(), "the sigmoid output has no dead-ReLU figure: " + csv.get(4));
        for (String metric : List.of("activation_mean", "activation_std", "dead_fraction", "grad_norm",
                "update_ratio")) {
            assertNotNull(ImageIO.read(dir.resolve("inspect_" + metric + ".png").toFile()), metric);
        }
        String printed = cl.out();
        assertTrue(printed.contains("--inspect: 0 warnings; inspect.csv and 5 figures"), printed);
        assertTrue(printed.contains("inside layers") && printed.contains("outside layers")
                && printed.contains("hooks "), printed);
    }
}
