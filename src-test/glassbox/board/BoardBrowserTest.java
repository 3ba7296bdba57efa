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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
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
    static String secondRun;
    static BoardServer server;
    static Browser browser;

    /** Why the browser tests cannot run here, or {@code null}. */
    static String noBrowser;

    @BeforeAll
    static void trainAndServe() throws IOException {
        noBrowser = Browser.missing();
        if (noBrowser != null) {
            return;
        }
        SyntheticMnist.write(home, "mnist", 600, 100, 5);
        runs = home.resolve("runs");
        CommandLine mlp = CommandLine.run("run", "mnist-mlp", "--epochs", "3", "--home", home.toString(),
                "--runs-dir", runs.toString());
        assertEquals(0, mlp.code(), mlp.err());
        mlpRun = new RunReader(runs).list().get(0).id();
        CommandLine second = CommandLine.run("run", "mnist-mlp", "--epochs", "2", "--seed", "1", "--home",
                home.toString(), "--runs-dir", runs.toString());
        assertEquals(0, second.code(), second.err());
        secondRun = new RunReader(runs).list().stream().map(RunReader.Run::id).filter(id -> !id.equals(mlpRun))
                .findFirst().orElseThrow();
        server = BoardCommand.start(new RunReader(runs), home, "127.0.0.1", 0);
        browser = Browser.open();
    }

    @BeforeEach
    void needsABrowser(TestInfo test) {
        Browser.assumeAvailable(noBrowser, test);
    }

    @AfterAll
    static void stop() {
        Browser.closeAll(browser, server);
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
    void tickingASecondRunOverlaysItsCurves() throws IOException {
        browser.get(server.address() + "#run=" + mlpRun);
        browser.await(20, "the first run's curves", d -> "[3,3]".equals(d.findElement(By.id("chart-loss"))
                .getAttribute("data-points")));
        browser.await(20, "the second run's box", d -> {
            d.findElement(By.cssSelector("tr[data-run='" + secondRun + "'] input[type=checkbox]")).click();
            return true;
        });
        // its loss and val_loss join the first run's: two epochs each
        browser.await(20, "the overlaid curves", d -> "[3,3,2,2]".equals(d.findElement(By.id("chart-loss"))
                .getAttribute("data-points")));
        String legend = browser.text("#chart-loss .u-legend");
        assertTrue(legend.contains(secondRun) && legend.contains(mlpRun), legend);
        browser.screenshot("overlay");
        browser.js("document.querySelector(\"tr[data-run='" + secondRun + "'] input\").click();");
        browser.await(20, "back to one run", d -> "[3,3]".equals(d.findElement(By.id("chart-loss"))
                .getAttribute("data-points")));
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

    /**
     * A run killed in epoch 3 and resumed from its epoch-2 backup: the killed process logged steps (and even
     * the epoch record) of epoch 3 before the {@code resume} record; the page drops them, so each curve has one
     * point per epoch, the resumed run's.
     */
    @Test
    void aResumedRunShowsEachEpochOnce() throws IOException {
        Path run = runs.resolve("resumed").resolve("20261206-010000");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunFolder.STATUS), "{\"state\": \"finished\", \"started\": \"2026-12-06T01:00:00\"}");
        StringBuilder log = new StringBuilder();
        String fit = "{\"type\":\"fit\",\"fit\":\"seed 0\",\"epochs\":4,\"steps\":2,\"samples\":64}\n";
        log.append(fit);
        for (int epoch = 1; epoch <= 3; epoch++) {
            log.append(step(epoch, 1)).append(step(epoch, 2)).append(epochRecord(epoch, 9.0)); // epoch 3: the killed one
        }
        log.append(fit).append("{\"type\":\"resume\",\"fit\":\"seed 0\",\"epoch\":2}\n");
        for (int epoch = 3; epoch <= 4; epoch++) {
            log.append(step(epoch, 1)).append(step(epoch, 2)).append(epochRecord(epoch, 1.0 / epoch));
        }
        log.append("{\"type\":\"end\",\"fit\":\"seed 0\",\"epochs\":4}\n");
        Files.writeString(run.resolve(RunFolder.EVENTS), log);
        browser.get(server.address() + "#run=resumed/20261206-010000");
        browser.await(20, "four points per curve", d -> "[4,4]".equals(d.findElement(By.id("chart-loss"))
                .getAttribute("data-points")));
        assertEquals("[8]", browser.driver.findElement(By.id("chart-steps")).getAttribute("data-points"),
                "two steps in each of four epochs, the killed epoch's steps dropped");
        Object third = browser.js("return board.state.logs.get('resumed/20261206-010000').fits.get('seed 0')"
                + ".epochs.get(3).loss;");
        assertEquals(1.0 / 3, ((Number) third).doubleValue(), 1e-12, "epoch 3 as the resumed run logged it");
    }

    /** An embedding of training images: hovering a point shows that image, served from the dataset. */
    @Test
    void hoveringAnEmbeddedPointShowsItsImage() throws IOException {
        Path run = runs.resolve("kmeans-labels").resolve("20261206-020000");
        Files.createDirectories(run);
        Files.writeString(run.resolve(RunFolder.STATUS), "{\"state\": \"finished\", \"started\": \"2026-12-06T02:00:00\"}");
        StringBuilder csv = new StringBuilder("split,index,pca_1,pca_2,label,kmeans\n");
        for (int i = 0; i < 30; i++) {
            csv.append("train,").append(i + 100).append(',').append(i).append(',').append(i % 7).append(',')
                    .append((i + 100) % 10).append(',').append(i % 3).append('\n');
        }
        Files.writeString(run.resolve(RunFolder.EMBEDDING), csv);
        browser.get(server.address() + "#run=kmeans-labels/20261206-020000&tab=embeddings");
        browser.await(20, "the scatter plot", d -> "30".equals(d.findElement(By.id("embedding-chart"))
                .getAttribute("data-points")));
        assertEquals("10", browser.driver.findElement(By.id("embedding-chart")).getAttribute("data-series"),
                "coloured by the true label: ten classes");
        // point 5 is training image 105 (class 5) at (5, 5): move the mouse onto it
        Object xy = browser.js("const c = echarts.getInstanceByDom(document.getElementById('embedding-chart'));"
                + "const r = document.getElementById('embedding-chart').getBoundingClientRect();"
                + "const p = c.convertToPixel({xAxisIndex: 0, yAxisIndex: 0}, [5, 5]);"
                + "return [Math.round(p[0] - r.width / 2), Math.round(p[1] - r.height / 2)];");
        List<?> offset = (List<?>) xy;
        new org.openqa.selenium.interactions.Actions(browser.driver)
                .moveToElement(browser.driver.findElement(By.id("embedding-chart")),
                        ((Number) offset.get(0)).intValue(), ((Number) offset.get(1)).intValue())
                .perform();
        String src = browser.await(20, "the hovered point's image", d -> (String) browser.js(
                "const img = document.querySelector('#embedding-chart img.digit');"
                        + "return img && img.complete && img.naturalWidth === 28 ? img.getAttribute('src') : null;"));
        assertTrue(src.contains("index=105") && src.contains("split=train"), src);
        browser.screenshot("embedding");
    }

    private static String step(int epoch, int step) {
        return "{\"type\":\"step\",\"fit\":\"seed 0\",\"epoch\":" + epoch + ",\"step\":" + step
                + ",\"loss\":1.0,\"accuracy\":0.5,\"t\":0.1}\n";
    }

    private static String epochRecord(int epoch, double loss) {
        return "{\"type\":\"epoch\",\"fit\":\"seed 0\",\"epoch\":" + epoch + ",\"loss\":" + loss
                + ",\"accuracy\":0.5,\"val_loss\":" + loss + ",\"val_accuracy\":0.5,\"seconds\":1.0}\n";
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
