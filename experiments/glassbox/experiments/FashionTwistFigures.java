package glassbox.experiments;

import glassbox.data.Dataset;
import glassbox.experiments.FashionTwistExperiment.ModelSpec;
import glassbox.experiments.FashionTwistExperiment.Trained;
import glassbox.metrics.ConfusionMatrix;
import glassbox.nn.History;
import glassbox.plot.ConfusionMatrixPlot;
import glassbox.plot.ImageGrid;
import glassbox.plot.LineChart;
import glassbox.plot.LineChart.Style;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The PNG figures of {@link FashionTwistExperiment}, those of seed 002's sections 1–2.4:
 *
 * <pre>
 *   samples.png                        In[10]  four training images per twist class, captioned with its name
 *   &lt;model&gt;_loss.png, _accuracy.png     In[14] (default), In[18], In[20], In[21] (custom): train vs validation
 *                                      per epoch, the first seed's, and the mean ± std over seeds when several
 *   compare_loss.png                   In[19]  train and validation loss of both models
 *   compare_accuracy.png               In[22]  train and validation accuracy of both models, drawn correctly
 *   &lt;model&gt;_confusion_matrix.png       (added) the first seed's model on the test set
 * </pre>
 *
 * Colours are the seed's: in a model's own figure train is blue and validation red (In[14]); when the two
 * models share a figure the default network is blue and the custom one red (In[19]), and the line style
 * tells the split (train solid, validation dashed), which In[22] left out.
 */
final class FashionTwistFigures {
    private static final int BLUE = 0; // matplotlib "C0"
    private static final int RED = 3; // matplotlib "C3"
    private static final int IMAGES_PER_CLASS = 4;

    private final RunFolder run;

    FashionTwistFigures(RunFolder run) {
        this.run = run;
    }

    /**
     * {@code samples.png}: the first {@link #IMAGES_PER_CLASS} training images of each twist class, one class
     * per row, each captioned with its label and name (the seed's In[10] shows two images, unlabelled).
     */
    void samples(Dataset train) throws IOException {
        int h = 28;
        int w = 28;
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int c = 0; c < FashionTwist.NUM_CLASSES; c++) {
            int found = 0;
            for (int i = 0; i < train.size() && found < IMAGES_PER_CLASS; i++) {
                if (train.y()[i] == c) {
                    float[] image = new float[h * w];
                    System.arraycopy(train.x().data(), i * h * w, image, 0, h * w);
                    images.add(image);
                    captions.add(c + ": " + FashionTwist.CLASS_NAMES.get(c));
                    found++;
                }
            }
            for (; found < IMAGES_PER_CLASS; found++) { // a class with fewer images (a small slice) stays aligned
                images.add(new float[h * w]);
                captions.add(null);
            }
        }
        ImageGrid.write(run.file("samples.png"), images.toArray(float[][]::new), h, w, IMAGES_PER_CLASS,
                captions.toArray(String[]::new), 7);
    }

    /** Each model's learning curves, and the two models overlaid when both were trained. */
    void curves(List<ModelSpec> models, List<Trained> trained) throws IOException {
        for (ModelSpec model : models) {
            List<Trained> runs = trained.stream().filter(t -> t.spec() == model).toList();
            modelCurves(model, runs, "loss", History.Epoch::loss, History.Epoch::valLoss);
            modelCurves(model, runs, "accuracy", History.Epoch::accuracy, History.Epoch::valAccuracy);
        }
        if (models.size() == 2) {
            compare(models, trained, "loss", History.Epoch::loss, History.Epoch::valLoss);
            compare(models, trained, "accuracy", History.Epoch::accuracy, History.Epoch::valAccuracy);
        }
    }

    /**
     * {@code <model>_<metric>.png}: train (blue) and validation (red) per epoch, the first seed's solid; with
     * several seeds, their mean ± std dashed beside it.
     */
    private void modelCurves(ModelSpec model, List<Trained> runs, String metric, ToDoubleFunction<History.Epoch> train,
                             ToDoubleFunction<History.Epoch> validation) throws IOException {
        Trained first = runs.get(0);
        double[] x = epochs(first.history());
        LineChart chart = new LineChart("Training vs Validation " + capitalise(metric) + " - " + model.title(),
                "epoch", metric);
        chart.add("train (seed " + first.seed() + ")", x, values(first.history(), train), null, Style.solid(BLUE));
        chart.add("validation (seed " + first.seed() + ")", x, values(first.history(), validation), null,
                Style.solid(RED));
        if (runs.size() > 1) {
            String over = " (mean ± std, " + runs.size() + " seeds)";
            double[][] t = meanAndStd(runs, train);
            double[][] v = meanAndStd(runs, validation);
            chart.add("train" + over, x, t[0], t[1], Style.dashed(BLUE));
            chart.add("validation" + over, x, v[0], v[1], Style.dashed(RED));
        }
        chart.write(run.file(model.name() + "_" + metric + ".png"));
    }

    /** {@code compare_<metric>.png}: both models, default blue and custom red, train solid, validation dashed. */
    private void compare(List<ModelSpec> models, List<Trained> trained, String metric,
                         ToDoubleFunction<History.Epoch> train, ToDoubleFunction<History.Epoch> validation)
            throws IOException {
        Trained first = FashionTwistExperiment.firstSeed(trained, models.get(0));
        LineChart chart = new LineChart("Custom vs Default: Train and Validation " + capitalise(metric) + " (seed "
                + first.seed() + ")", "epoch", metric);
        for (ModelSpec model : models) {
            Trained t = FashionTwistExperiment.firstSeed(trained, model);
            int colour = model.name().equals("default") ? BLUE : RED;
            double[] x = epochs(t.history());
            chart.add(model.name() + ": train", x, values(t.history(), train), null, Style.solid(colour));
            chart.add(model.name() + ": validation", x, values(t.history(), validation), null, Style.dashed(colour));
        }
        chart.write(run.file("compare_" + metric + ".png"));
    }

    /** {@code <model>_confusion_matrix.png}: the first seed's model on the test set, counts. */
    void confusion(List<ModelSpec> models, List<ConfusionMatrix> matrices, long seed) throws IOException {
        for (int m = 0; m < models.size(); m++) {
            ModelSpec model = models.get(m);
            ConfusionMatrixPlot.of(model.name() + " network, seed " + seed + ": test set", matrices.get(m),
                    FashionTwist.CLASS_NAMES).write(run.file(model.name() + "_confusion_matrix.png"));
        }
    }

    private static double[] epochs(History history) {
        return history.epochs().stream().mapToDouble(History.Epoch::epoch).toArray();
    }

    private static double[] values(History history, ToDoubleFunction<History.Epoch> field) {
        return history.epochs().stream().mapToDouble(field).toArray();
    }

    /** Per epoch over the runs: {@code [0]} the mean, {@code [1]} the sample std (n − 1). */
    private static double[][] meanAndStd(List<Trained> runs, ToDoubleFunction<History.Epoch> field) {
        int epochs = runs.get(0).history().epochs().size();
        double[][] result = new double[2][epochs];
        for (int e = 0; e < epochs; e++) {
            int epoch = e;
            ToDoubleFunction<Trained> atEpoch = t -> field.applyAsDouble(t.history().epochs().get(epoch));
            result[0][e] = MnistStudyReport.mean(runs, atEpoch);
            result[1][e] = MnistStudyReport.sd(runs, atEpoch);
        }
        return result;
    }

    private static String capitalise(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
