package glassbox.board;

import glassbox.experiments.CommandLine;
import glassbox.experiments.RunFolder;
import glassbox.experiments.RunReader;
import glassbox.experiments.SyntheticMnist;
import glassbox.nn.Callback;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.callbacks.EventLog;
import glassbox.nn.layers.Dense;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The board in a real (headless) browser, on a runs folder this test makes with real training runs: the
 * list shows them, the curves have one point per epoch, and a run still training gains points without a
 * reload. Screenshots go to {@code target/board-screenshots/}.
 */
class BoardBrowserTest {
    @TempDir
    static Path home;
    static Path runs;
    static String mlpRun;
    static BoardServer server;
    static Browser browser;

    @BeforeAll
    static void trainAndServe() throws IOException {
        SyntheticMnist.write(home, "mnist", 600, 100, 5);
        runs = home.resolve("runs");
        CommandLine mlp = CommandLine.run("run", "mnist-mlp", "--epochs", "3", "--home", home.toString(),
                "--runs-dir", runs.toString());
        assertEquals(0, mlp.code(), mlp.err());
        mlpRun = new RunReader(runs).list().get(0).id();
        server = BoardCommand.start(new RunReader(runs), home, "127.0.0.1", 0);
        browser = Browser.open();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theListShowsTheRunAndItsCurveHasOnePointPerEpoch() throws IOException {
        browser.get(server.address() + "#run=" + mlpRun);
        String row = browser.text("tr[data-run='" + mlpRun + "']");
        assertTrue(row.contains("mnist-mlp") && row.contains("finished") && row.contains("test accuracy"), row);
        // loss and val_loss: three epochs, three points each
        browser.await(20, "three points per curve", d -> "[3,3]".equals(d.findElement(By.id("chart-loss"))
                .getAttribute("data-points")));
        assertEquals("[3,3]", browser.driver.findElement(By.id("chart-accuracy")).getAttribute("data-points"));
        browser.screenshot("training");
    }

    @Test
    void aRunStillTrainingGainsPointsWithoutAReload() throws Exception {
        RunFolder live = RunFolder.create(runs, "live-test");
        String id = "live-test/" + live.dir().getFileName();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread training = new Thread(() -> {
            try {
                slowFit(live.file(RunFolder.EVENTS));
                live.finish(null);
            } catch (Throwable t) {
                failed.set(t);
            }
        });
        training.start();
        try {
            browser.get(server.address() + "#run=" + id);
            browser.await(20, "the live run picked", d -> browser.text("#run-title h2").equals(id));
            browser.js("window.notReloaded = true;");
            browser.await(20, "the live run's first epoch", d -> epochPoints() >= 1);
            int first = epochPoints();
            browser.await(30, "more epochs while it trains", d -> epochPoints() > first);
            assertEquals(Boolean.TRUE, browser.js("return window.notReloaded === true;"), "the page was not reloaded");
            String state = browser.text("#run-title .state");
            browser.screenshot("live");
            training.join();
            assertEquals(null, failed.get());
            browser.await(20, "all six epochs", d -> epochPoints() == 6);
            assertTrue(List.of("running", "finished").contains(state), state);
        } finally {
            training.join();
        }
    }

    /** Points on the training-loss line of the epoch chart. */
    private static int epochPoints() {
        String points = browser.driver.findElement(By.id("chart-loss")).getAttribute("data-points");
        return points == null || points.equals("[]") ? 0 : Integer.parseInt(points.replaceAll("[\\[\\]]", "").split(",")[0]);
    }

    /** Six epochs of a small network, each ending half a second late, logging to {@code events}. */
    private static void slowFit(Path events) {
        Rng rng = new Rng(3);
        float[] x = new float[256 * 8];
        float[] y = new float[256];
        for (int i = 0; i < 256; i++) {
            for (int j = 0; j < 8; j++) {
                x[i * 8 + j] = (float) rng.uniform(-1, 1);
            }
            y[i] = x[i * 8] > 0 ? 1 : 0;
        }
        Sequential model = new Sequential(1, new Dense(16, "relu"), new Dense(2, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam());
        Callback slow = new Callback() {
            @Override
            public void onEpochEnd(int epoch, History.Epoch record) {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        model.fit(new Tensor(x, 256, 8), new Tensor(y, 256), FitOptions.defaults().withEpochs(6).withBatchSize(32)
                .withVerbose(false).withCallbacks(List.of(slow, new EventLog(events, "live"))));
        assertTrue(Files.exists(events));
    }
}
