package glassbox.tools;

import glassbox.data.Dataset;
import glassbox.data.IdxFiles;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./glassbox shell}, driven by a script: imports, a model, one batch, its cache and gradients. */
class ShellCommandTest {

    /** Runs the shell on {@code script} with {@code glassbox.home} at {@code home}; returns all it printed. */
    private static String shell(String script, Path home) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        PrintStream stdout = System.out;
        String previousHome = System.getProperty("glassbox.home");
        System.setOut(capture); // snippets run in this JVM and print to System.out
        System.setProperty("glassbox.home", home.toString());
        try {
            int code = ShellCommand.start(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), capture,
                    capture, new HashMap<>(), List.of("--feedback", "concise"));
            assertEquals(0, code, bytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            if (previousHome == null) {
                System.clearProperty("glassbox.home");
            } else {
                System.setProperty("glassbox.home", previousHome);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static double number(String out, String label) {
        Matcher m = Pattern.compile(label + " ([-+]?[0-9][0-9.eE+-]*)").matcher(out);
        assertTrue(m.find(), "no '" + label + "' in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void aScriptBuildsAModelRunsOneBatchAndReadsItsCacheAndGradients(@TempDir Path emptyHome) {
        String out = shell("""
                var d = synthetic(40);
                var model = new Sequential(7, new Flatten(), new Dense(16, "relu"), new Dense(10, "softmax")).compile(new SparseCategoricalCrossentropy(), new Sgd(0.1f));
                double loss = trainOnBatch(model, d.x().slice(0, 20), d.yAsTensor().slice(0, 20));
                System.out.println("LOSS " + loss + " SHAPE " + Tensor.shapeString(model.layer("dense").cache().get("y").shape()) + " GRADNORM " + norm(model.layer("dense").params().get(0).grad()));
                var missing = data("mnist", 10);
                /exit
                """, emptyHome);
        assertTrue(out.startsWith(ShellCommand.WELCOME), out);
        // a fresh 10-way softmax scores about ln 10 on any batch
        assertEquals(Math.log(10), number(out, "LOSS"), 0.5);
        assertTrue(out.contains("SHAPE (20, 16)"), out);
        // the same steps outside the shell give the same numbers: the shell runs the engine, seeded
        Dataset d = ShellHelpers.synthetic(40);
        Sequential model = new Sequential(7, new Flatten(), new Dense(16, "relu"), new Dense(10, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Sgd(0.1f));
        double loss = ShellHelpers.trainOnBatch(model, d.x().slice(0, 20), d.yAsTensor().slice(0, 20));
        assertEquals(loss, number(out, "LOSS"), 1e-12);
        double norm = number(out, "GRADNORM");
        assertTrue(norm > 0, "a step on a fresh model has a non-zero kernel gradient: " + norm);
        assertEquals(ShellHelpers.norm(model.layer("dense").params().get(0).grad()), norm, 1e-12);
        // no dataset under this home and no fetch script: the message says what to do
        assertTrue(out.contains("could not load 'mnist'") && out.contains("data/fetch.sh mnist")
                && out.contains("synthetic(10)"), out);
    }

    @Test
    void dataLoadsASliceScaledToTheUnitIntervalWithAChannelAxis(@TempDir Path home) throws IOException {
        Path dir = home.resolve("data").resolve("mnist");
        Files.createDirectories(dir);
        byte[] pixels = new byte[3 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20 + 15); // up to 235, above 127: read as unsigned
        }
        for (String split : new String[]{"train", "t10k"}) {
            Files.write(dir.resolve(split + "-images-idx3-ubyte"), IdxFiles.idx(0x803, new int[]{3, 2, 2}, pixels));
            Files.write(dir.resolve(split + "-labels-idx1-ubyte"), IdxFiles.idx(0x801, new int[]{3}, new byte[]{4, 0, 9}));
        }
        String previous = System.getProperty("glassbox.home");
        System.setProperty("glassbox.home", home.toString());
        try {
            Dataset d = ShellHelpers.data("mnist", 2);
            assertEquals("(2, 2, 2, 1)", glassbox.tensor.Tensor.shapeString(d.x().shape()));
            assertEquals(4, d.y()[0]);
            assertEquals(0, d.y()[1]);
            for (int i = 0; i < 8; i++) {
                assertEquals((i * 20 + 15) / 255f, d.x().data()[i], 1e-7);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShellHelpers.data("mnist", 4));
            assertTrue(e.getMessage().contains("n must be in [1, 3], got 4"), e.getMessage());
        } finally {
            if (previous == null) {
                System.clearProperty("glassbox.home");
            } else {
                System.setProperty("glassbox.home", previous);
            }
        }
    }

    @Test
    void syntheticImagesShowTheirClassAsABar() {
        Dataset d = ShellHelpers.synthetic(20);
        assertEquals("(20, 28, 28, 1)", glassbox.tensor.Tensor.shapeString(d.x().shape()));
        for (int i = 0; i < 20; i++) {
            int c = d.y()[i];
            assertEquals(i % 10, c);
            // row 12 is inside every bar (tops 2..7, height 18): columns 3 + 2c and 4 + 2c are lit
            float[] x = d.x().data();
            assertTrue(x[(i * 28 + 12) * 28 + 3 + 2 * c] >= 0.6f && x[(i * 28 + 12) * 28 + 4 + 2 * c] >= 0.6f);
        }
    }
}
