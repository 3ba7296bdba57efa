package glassbox.experiments;

import glassbox.decomposition.Pca;
import glassbox.experiments.AutoencoderFeatures.Classifier;
import glassbox.experiments.AutoencoderFeatures.SeedRun;
import glassbox.nn.History;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;
import glassbox.plot.LineChart.Style;
import glassbox.plot.ScatterPlot;
import glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The figures of {@link AutoencoderFeatures}, from the first seed (the loss curves from every seed):
 *
 * <pre>
 *   reconstructions.png       10 test digits (top) above the autoencoder's reconstructions (bottom): the
 *                             figure the seed's show_imgs meant to draw
 *   reconstruction_loss.png   training and validation (test set) binary cross-entropy per epoch, each seed
 *   codes.png                 the code of the first test image of each digit: the image, then its 4×4×8 code
 *                             as 8 panels of 4×4 (one per channel, each cell 7×7 pixels), grey levels on one
 *                             scale for every digit and channel (black 0 … white the largest value shown),
 *                             grey bars between panels
 *   code_pca.png              the test codes' first two principal components, one colour per digit
 *   classifier_accuracy.png   validation accuracy per epoch of the three classifiers
 * </pre>
 */
final class AutoencoderFigures {
    private static final int SHOWN = 10;
    private static final int CELL = 7;     // a code cell drawn as 7×7 pixels: 4×4 → 28×28
    private static final int GAP = 4;      // grey columns between panels
    private static final float GAP_GREY = 0.5f;

    private final RunFolder run;
    private final List<SeedRun> runs;
    private final Tensor testImages;
    private final int[] testLabels;

    AutoencoderFigures(RunFolder run, List<SeedRun> runs, Tensor testImages, int[] testLabels) {
        this.run = run;
        this.runs = runs;
        this.testImages = testImages;
        this.testLabels = testLabels;
    }

    void write() throws IOException {
        SeedRun first = runs.get(0);
        reconstructions(first);
        losses();
        codes(first.testCodes());
        pca(first);
        classifierCurves(first);
    }

    private void reconstructions(SeedRun first) throws IOException {
        int n = Math.min(SHOWN, testImages.dim(0));
        Tensor originals = testImages.slice(0, n);
        Tensor decoded = first.autoencoder().predict(originals);
        float[][] images = new float[2 * n][];
        String[] captions = new String[2 * n];
        for (int i = 0; i < n; i++) {
            images[i] = Arrays.copyOfRange(originals.data(), i * 784, (i + 1) * 784);
            images[n + i] = Arrays.copyOfRange(decoded.data(), i * 784, (i + 1) * 784);
            captions[i] = "digit " + testLabels[i];
            captions[n + i] = "decoded";
        }
        ImageGrid.write(run.file("reconstructions.png"), images, 28, 28, n, captions, 3);
    }

    private void losses() throws IOException {
        LineChart chart = new LineChart("autoencoder: binary cross-entropy per epoch", "epoch", "loss");
        for (int s = 0; s < runs.size(); s++) {
            History h = runs.get(s).aeHistory();
            double[] epochs = epochs(h.get("loss").length);
            chart.add("train, seed " + runs.get(s).seed(), epochs, h.get("loss"), null, Style.solid(s % 10));
            chart.add("validation (test set), seed " + runs.get(s).seed(), epochs, h.get("val_loss"), null,
                    Style.dashed(s % 10));
        }
        chart.write(run.file("reconstruction_loss.png"));
    }

    /** One row per digit: the test image, then its 8 code channels upscaled to 28×28, on one grey scale. */
    private void codes(Tensor codes) throws IOException {
        int[] rows = firstOfEachDigit();
        float max = 0;
        for (int i : rows) {
            for (int v = 0; v < 128; v++) {
                max = Math.max(max, codes.data()[i * 128 + v]);
            }
        }
        float scale = max > 0 ? 1f / max : 1f;
        int width = 9 * 28 + 8 * GAP;
        float[][] images = new float[rows.length][];
        String[] captions = new String[rows.length];
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            float[] image = new float[28 * width];
            Arrays.fill(image, GAP_GREY);
            for (int y = 0; y < 28; y++) {
                System.arraycopy(testImages.data(), i * 784 + y * 28, image, y * width, 28);
                for (int ch = 0; ch < 8; ch++) {
                    int x0 = 28 + GAP + ch * (28 + GAP);
                    for (int x = 0; x < 28; x++) {
                        // code (4, 4, 8), NHWC: cell (y / 7, x / 7), channel ch
                        image[y * width + x0 + x] = scale * codes.data()[i * 128 + ((y / CELL) * 4 + x / CELL) * 8 + ch];
                    }
                }
            }
            images[r] = image;
            captions[r] = "digit " + testLabels[i] + ", then its code: channels 1–8 (white = " + String.format("%.2f", max)
                    + ")";
        }
        ImageGrid.write(run.file("codes.png"), images, 28, width, 1, captions, 2);
    }

    /** The first test image of each digit present, in digit order. */
    private int[] firstOfEachDigit() {
        int[] first = new int[AutoencoderFeatures.CLASSES];
        Arrays.fill(first, -1);
        for (int i = 0; i < testLabels.length; i++) {
            if (first[testLabels[i]] < 0) {
                first[testLabels[i]] = i;
            }
        }
        return Arrays.stream(first).filter(i -> i >= 0).toArray();
    }

    private void pca(SeedRun first) throws IOException {
        Tensor codes = first.testCodes();
        Tensor flat = codes.reshape(codes.dim(0), 128);
        Pca.Result pca = Pca.fit(flat, Pca.Options.defaults(2));
        Tensor z = pca.transform(flat);
        double[] x = new double[z.dim(0)];
        double[] y = new double[z.dim(0)];
        for (int i = 0; i < x.length; i++) {
            x[i] = z.data()[2 * i];
            y[i] = z.data()[2 * i + 1];
        }
        double[] ratio = pca.explainedVarianceRatio();
        ScatterPlot.byLabel(String.format("PCA of the %,d test codes (128 values each), seed %d", x.length,
                        first.seed()), String.format("PC 1 (%.1f %% of the variance)", 100 * ratio[0]),
                String.format("PC 2 (%.1f %%)", 100 * ratio[1]), x, y, Arrays.copyOf(testLabels, x.length), null)
                .markerSize(2).write(run.file("code_pca.png"));
    }

    private void classifierCurves(SeedRun first) throws IOException {
        LineChart chart = new LineChart("classifiers: validation accuracy per epoch, seed " + first.seed(), "epoch",
                "accuracy");
        int colour = 0;
        for (Classifier c : first.classifiers()) {
            double[] acc = c.history().get("val_accuracy");
            chart.add(c.name(), epochs(acc.length), acc, null, Style.solid(colour++));
        }
        chart.write(run.file("classifier_accuracy.png"));
    }

    private static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = i + 1;
        }
        return e;
    }
}
