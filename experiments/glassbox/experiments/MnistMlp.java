package glassbox.experiments;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.data.Transforms;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.plot.LineChart;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Csv;
import glassbox.util.Json;
import glassbox.util.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The baseline of seed notebook {@code 000_8a71d4f11560efc9}: a dense network on MNIST.
 *
 * <pre>
 *   x = tf.keras.utils.normalize(x, axis=1)            # L2 over each image column
 *   Flatten → Dense(128, relu) → Dense(128, relu) → Dense(10, sigmoid)
 *   compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
 *   fit(x_train, y_train, epochs=3)                     # batch 32
 *   evaluate(x_test, y_test)   → the seed's [0.1163, 0.9636]
 * </pre>
 *
 * The sigmoid output is the seed's choice (softmax would be usual): Keras's probability-input
 * cross-entropy rescales each row to sum to 1, so it still trains. Besides the seed's output, the run
 * evaluates the test set after every epoch so that the curves have a held-out line; that does not change
 * training.
 *
 * <p>Output: {@code runs/mnist-mlp/<timestamp>/} with {@code results.json} (test loss and accuracy,
 * per-epoch history, timings), {@code history.csv}, {@code config.json}, {@code loss.png},
 * {@code accuracy.png}; with {@code --inspect}, {@code inspect.csv} and {@code inspect_*.png} ({@link Inspections}).
 */
@Command(name = "mnist-mlp", mixinStandardHelpOptions = true,
        description = "Seed 000 baseline: Flatten → Dense 128 relu → Dense 128 relu → Dense 10 sigmoid on "
                + "L2-normalised MNIST, Adam, sparse categorical cross-entropy. Seed result: test accuracy 0.9636.")
public final class MnistMlp implements Callable<Integer> {
    static final String NAME = "mnist-mlp";

    @Mixin
    CommonOptions common;

    @Option(names = "--epochs", description = "training epochs; default ${DEFAULT-VALUE} (the seed's)")
    int epochs = 3;

    @Option(names = "--batch-size", description = "samples per step; default ${DEFAULT-VALUE} (Keras's)")
    int batchSize = 32;

    @Option(names = "--learning-rate", description = "Adam's learning rate; default ${DEFAULT-VALUE} (Keras's)")
    float learningRate = 0.001f;

    @Spec
    CommandSpec spec;

    /** The seed's network. */
    static Sequential seedNetwork(long seed, float learningRate) {
        return new Sequential(seed, new Flatten(), new Dense(128, "relu"), new Dense(128, "relu"), new Dense(10, "sigmoid"))
                .compile(new SparseCategoricalCrossentropy(), new Adam(learningRate));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        out.println("glassbox " + NAME + " — seed 000 baseline; BLAS: " + Blas.describe());

        TrainTest data = Datasets.load("mnist", common.home());
        Dataset train = data.train();
        Dataset test = data.test();
        int epochCount = epochs;
        if (common.quick) {
            train = train.slice(0, Math.min(6000, train.size()));
            test = test.slice(0, Math.min(1000, test.size()));
            epochCount = 1;
            out.println("--quick: " + train.size() + " training and " + test.size() + " test samples, 1 epoch");
        }
        Tensor xTrain = Transforms.normalizeL2(train.x(), 1);
        Tensor xTest = Transforms.normalizeL2(test.x(), 1);
        Tensor yTrain = train.yAsTensor();
        Tensor yTest = test.yAsTensor();

        Sequential model = seedNetwork(common.seed, learningRate);
        model.build(train.sampleShape());
        out.print(model.summary());

        RunFolder run = common.startRun(NAME);
        long start = System.nanoTime();
        History history = model.fit(xTrain, yTrain, FitOptions.defaults().withEpochs(epochCount)
                .withBatchSize(batchSize).withCallbacks(common.callbacks("seed " + common.seed, true))
                .withValidation(xTest, yTest));
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Sequential.Evaluation result = model.evaluate(xTest, yTest);

        Table table = new Table("mnist-mlp: test set (" + test.size() + " images)", "", "loss", "accuracy");
        table.addRow("glassbox", result.loss(), result.accuracy());
        table.addRow("seed notebook (Keras)", 0.1163, 0.9636);
        table.print(out);
        if (history.profile() != null) {
            out.println("Where the training time went (--profile):");
            out.print(history.profile().table());
        }

        writeResults(run, history, result, trainSeconds, train.size(), test.size(), epochCount);
        Inspections inspections = new Inspections();
        inspections.add(NAME, history);
        inspections.write(run, out);
        out.println("results: " + run.dir());
        return 0;
    }

    private void writeResults(RunFolder run, History history, Sequential.Evaluation result, double trainSeconds,
                              int trainSize, int testSize, int epochCount) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("seed", common.seed);
        settings.put("quick", common.quick);
        settings.put("epochs", epochCount);
        settings.put("batch_size", batchSize);
        settings.put("optimizer", "Adam(learning_rate=" + learningRate + ", beta_1=0.9, beta_2=0.999, epsilon=1e-7)");
        settings.put("loss", "sparse_categorical_crossentropy (probability input)");
        settings.put("architecture", "Flatten → Dense(128, relu) → Dense(128, relu) → Dense(10, sigmoid)");
        settings.put("preprocessing", "tf.keras.utils.normalize(x, axis=1)");
        settings.put("train_samples", trainSize);
        settings.put("test_samples", testSize);
        run.writeConfig(NAME, settings, spec.commandLine().getParseResult().originalArgs().toArray(String[]::new));

        List<Map<String, Object>> epochsOut = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        int n = history.epochs().size();
        double[] x = new double[n];
        double[][] curves = new double[4][n];
        for (int i = 0; i < n; i++) {
            History.Epoch e = history.epochs().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("loss", e.loss());
            m.put("accuracy", e.accuracy());
            m.put("test_loss", e.valLoss());
            m.put("test_accuracy", e.valAccuracy());
            m.put("seconds", e.seconds());
            epochsOut.add(m);
            rows.add(List.of(e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.seconds()));
            x[i] = e.epoch();
            curves[0][i] = e.loss();
            curves[1][i] = e.valLoss();
            curves[2][i] = e.accuracy();
            curves[3][i] = e.valAccuracy();
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("headline", List.of(new RunFolder.Headline("test accuracy", result.accuracy(), 0.9636),
                new RunFolder.Headline("test loss", result.loss(), 0.1163)));
        results.put("test_loss", result.loss());
        results.put("test_accuracy", result.accuracy());
        results.put("seed_notebook", Map.of("test_loss", 0.11630675196647644, "test_accuracy", 0.9635999798774719));
        results.put("history", epochsOut);
        results.put("train_seconds", trainSeconds);
        results.put("seconds_per_epoch", trainSeconds / Math.max(1, n));
        if (history.profile() != null) {
            results.put("profile_seconds", history.profile().seconds());
            results.put("profile_outside_layers_seconds", history.profile().outsideLayers());
        }
        if (history.inspection() != null) {
            results.put("inspect_warnings", history.inspection().warnings());
        }
        Json.write(run.file("results.json"), results);
        Csv.write(run.file("history.csv"), List.of("epoch", "loss", "accuracy", "test_loss", "test_accuracy", "seconds"), rows);
        new LineChart("mnist-mlp: loss per epoch", "epoch", "loss")
                .add("train (running mean)", x, curves[0]).add("test", x, curves[1]).write(run.file("loss.png"));
        new LineChart("mnist-mlp: accuracy per epoch", "epoch", "accuracy")
                .add("train (running mean)", x, curves[2]).add("test", x, curves[3]).write(run.file("accuracy.png"));
    }
}
