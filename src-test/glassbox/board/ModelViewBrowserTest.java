package glassbox.board;

import glassbox.data.Transforms;
import glassbox.experiments.FashionTwist;
import glassbox.experiments.RunReader;
import glassbox.metrics.ConfusionMatrix;
import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Model and Errors views in a real (headless) browser, on a runs folder this test makes: a fashion-twist
 * run's trained classifier (Conv2D, BatchNormalization, MaxPooling2D, Conv2D, Dropout, Dense) on a synthetic
 * Fashion-MNIST test set, an autoencoder run, a corrupt model file. Picking a test image shows one feature-map
 * panel per filter of every Conv2D and the engine's top class; clicking a confusion-matrix cell (on the
 * heatmap's canvas, where ECharts puts it) lists exactly that cell's images. Screenshots go to
 * {@code target/board-screenshots/}.
 */
class ModelViewBrowserTest {
    private static final String TWIST = BoardModels.TWIST;
    private static final String AE = BoardModels.AE;
    private static final int TEST_IMAGES = 60;

    @TempDir
    static Path home;
    static Sequential classifier;
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
        classifier = BoardModels.writeHome(home, TEST_IMAGES);
        server = BoardCommand.start(new RunReader(home.resolve("runs")), home, "127.0.0.1", 0);
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

    /** The test set as fashion-twist feeds it: x / 255 as (n, 28, 28, 1). */
    private static Tensor testInput() throws IOException {
        TestImages.Split split = new TestImages(home).split(TestImages.sourceFor("fashion-twist"));
        return Transforms.divide(split.raw(), 255).reshape(TEST_IMAGES, 28, 28, 1);
    }

    private static int[] topClasses() throws IOException {
        Tensor out = classifier.predict(testInput());
        return IntStream.range(0, TEST_IMAGES).map(i -> ModelViewer.argmax(out.data(), i * 5, 5)).toArray();
    }

    /** Loads the page anew (a URL differing only in its hash would not reload it) on {@code run}'s {@code tab}. */
    private static void open(String run, String tab) {
        browser.get("about:blank");
        browser.get(server.address() + "#run=" + run + "&tab=" + tab);
    }

    private static void openModelTab(String run) {
        open(run, "model");
        browser.await(30, "the first test image's layers", d -> !d.findElements(By.cssSelector(
                "#model-result section.layer")).isEmpty());
    }

    @Test
    void pickingATestImageShowsAPanelPerConv2DFilterAndTheEnginesTopClass() throws IOException {
        int[] top = topClasses();
        openModelTab(TWIST);
        for (int index : new int[]{7, 2}) {
            browser.driver.findElement(By.cssSelector("#strip .thumb[data-index='" + index + "']")).click();
            browser.await(30, "image " + index + " shown", d -> String.valueOf(index).equals(
                    d.findElement(By.id("model-result")).getAttribute("data-index")));
            List<Layer> layers = classifier.layers();
            int convs = 0;
            for (int l = 0; l < layers.size(); l++) {
                if (layers.get(l) instanceof Conv2D conv) {
                    convs++;
                    int panels = browser.driver.findElements(By.cssSelector(
                            "section.layer[data-layer='" + l + "'][data-type='Conv2D'] .fmap")).size();
                    assertEquals(conv.filters(), panels, "layer " + l + ": one panel per filter");
                }
            }
            assertEquals(2, convs);
            assertEquals(String.valueOf(top[index]), browser.driver.findElement(By.id("top-class"))
                    .getAttribute("data-class"), "image " + index + ": the engine's predict");
            assertEquals(FashionTwist.CLASS_NAMES.get(top[index]), browser.text("#top-class"));
        }
        assertEquals(2, browser.driver.findElements(By.cssSelector("#model-filters .filters")).size());
        browser.await(20, "the first Conv2D's 4 filters", d -> d.findElements(By.cssSelector(
                "#model-filters .filters[data-layer='0'] canvas.kernel")).size() == 4);
        browser.screenshot("model");
    }

    @Test
    void aDrawnDigitIsPredicted() throws IOException {
        openModelTab(TWIST);
        WebElement pad = browser.driver.findElement(By.cssSelector("canvas.pad"));
        new Actions(browser.driver).moveToElement(pad, -20, -50).clickAndHold().moveByOffset(5, 40)
                .moveByOffset(5, 40).moveByOffset(5, 20).release().perform();
        browser.await(30, "the drawn image's prediction", d -> "drawn".equals(
                d.findElement(By.id("model-result")).getAttribute("data-index")));
        assertTrue(browser.text("#model-result figcaption").startsWith("drawn"));
        assertTrue(FashionTwist.CLASS_NAMES.contains(browser.text("#top-class")));
        browser.screenshot("model-drawn");
    }

    @Test
    void clickingAConfusionCellListsExactlyItsImages() throws IOException {
        int[] top = topClasses();
        int[] labels = IntStream.range(0, TEST_IMAGES).map(i -> FashionTwist.twistOf(i % 10)).toArray();
        ConfusionMatrix expected = ConfusionMatrix.of(labels, top, 5);
        open(TWIST, "errors");
        WebElement heatmap = browser.await(30, "the confusion heatmap", d -> d.findElement(By.cssSelector(
                "#confusion canvas")));
        assertEquals(Arrays.deepToString(expected.counts()).replace(" ", ""),
                browser.driver.findElement(By.id("confusion")).getAttribute("data-counts"));
        // an error cell (off the diagonal) if the model makes one, and a diagonal one
        int[][] cells = {errorCell(expected), {labels[0], labels[0]}};
        for (int[] cell : cells) {
            int t = cell[0];
            int p = cell[1];
            @SuppressWarnings("unchecked")
            List<Number> at = (List<Number>) browser.js("const chart = echarts.getInstanceByDom("
                    + "document.getElementById('confusion')); return chart.convertToPixel({seriesIndex: 0}, "
                    + "[arguments[0], arguments[1]]);", p, t);
            WebElement box = browser.driver.findElement(By.id("confusion"));
            int dx = (int) Math.round(at.get(0).doubleValue() - box.getSize().getWidth() / 2.0);
            int dy = (int) Math.round(at.get(1).doubleValue() - box.getSize().getHeight() / 2.0);
            new Actions(browser.driver).moveToElement(box, dx, dy).click().perform();
            browser.await(20, "cell " + t + ", " + p + " listed", d -> (t + "," + p).equals(
                    d.findElement(By.id("cell")).getAttribute("data-true") + ","
                            + d.findElement(By.id("cell")).getAttribute("data-predicted")));
            int[] listed = browser.driver.findElements(By.cssSelector("#cell .cell-image")).stream()
                    .mapToInt(e -> Integer.parseInt(e.getAttribute("data-index"))).toArray();
            int[] images = IntStream.range(0, TEST_IMAGES).filter(i -> labels[i] == t && top[i] == p).toArray();
            assertEquals(Arrays.toString(images), Arrays.toString(listed), "cell " + t + ", " + p);
            assertEquals(expected.count(t, p), listed.length);
        }
        assertTrue(heatmap.isDisplayed());
        browser.screenshot("errors");

        // an image of the list opens in the Model view
        WebElement first = browser.driver.findElement(By.cssSelector("#cell .cell-image"));
        String index = first.getAttribute("data-index");
        first.click();
        browser.await(30, "image " + index + " in the Model view", d -> index.equals(
                d.findElement(By.id("model-result")).getAttribute("data-index")));
        assertTrue(browser.driver.findElement(By.id("tab-model")).isDisplayed());
    }

    /** The fullest cell off the diagonal, or (0, 1) when the model makes no error. */
    private static int[] errorCell(ConfusionMatrix m) {
        int[] best = {0, 1};
        for (int t = 0; t < 5; t++) {
            for (int p = 0; p < 5; p++) {
                if (t != p && m.count(t, p) > m.count(best[0], best[1])) {
                    best = new int[]{t, p};
                }
            }
        }
        return best;
    }

    @Test
    void anAutoencoderShowsInputReconstructionAndCode() throws IOException {
        openModelTab(AE);
        browser.await(20, "the reconstruction", d -> d.findElement(By.id("reconstruction")));
        assertEquals(2, browser.driver.findElements(By.cssSelector(".autoencoder .code-map")).size(),
                "the 7×7×2 code: one map per channel");
        browser.screenshot("autoencoder");
    }

    @Test
    void aCorruptModelFileIsOneLine() throws IOException {
        openModelTab(TWIST);
        new Select(browser.driver.findElement(By.id("model-file"))).selectByValue("broken.gbx");
        String error = browser.text("#tab-model p.error");
        assertTrue(error.startsWith("broken.gbx is truncated"), error);
        assertTrue(!error.contains("\n") && !error.contains(home.toString()), error);
        browser.screenshot("model-corrupt");
    }
}
