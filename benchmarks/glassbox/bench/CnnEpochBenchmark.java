package glassbox.bench;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.Transforms;
import glassbox.experiments.FashionTwist;
import glassbox.experiments.SeedModels;
import glassbox.nn.FitOptions;
import glassbox.nn.History;
import glassbox.nn.Sequential;
import glassbox.nn.loss.BinaryCrossentropy;
import glassbox.nn.loss.CategoricalCrossentropy;
import glassbox.nn.optim.Adadelta;
import glassbox.nn.optim.Adam;
import glassbox.nn.optim.Optimizer;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongFunction;

/**
 * {@code ./glassbox bench cnn}: seconds per training epoch of the seed notebooks' CNNs in glassbox and, in
 * the same command, in PyTorch (the peer script {@code benchmarks/python/torch_nets.py}, its models
 * {@code cnn_default}, {@code cnn_custom}, {@code cnn_mnist}, {@code autoencoder} and {@code cnn_keras}; see
 * {@link PythonPeers}), with the ratio PyTorch / glassbox (above 1: glassbox is faster).
 *
 * <pre>
 *   default      seed 002's default CNN, Fashion "twist", the 48,000 training rows of validation_split=0.2, batch 128
 *   custom       seed 002's custom CNN, same data                                               (~11 TFLOP/epoch)
 *   mnist        seed 001's MNIST CNN, 60,000 images, batch 32
 *   autoencoder  seed 003's convolutional autoencoder, 60,000 MNIST images as their own targets, batch 128,
 *                Adadelta (lr 1, ρ 0.95, ε 1e-7) and binary cross-entropy
 *   keras-cnn    seed 003's classifier (Keras's mnist_cnn.py), 60,000 images, batch 128, Adadelta as above
 * </pre>
 *
 * The first three train with Adam and cross-entropy, the last two with the seed's Adadelta, all on images
 * scaled by 1/255, one epoch each by default. For the autoencoder the "test acc" columns hold Keras's
 * binary accuracy of the reconstructions (pixels whose target is exactly 0 or 1 and whose prediction
 * rounds to it), computed alike on both sides.
 * glassbox's epoch time is the training loop's own (what Keras's progress line shows); PyTorch's is its
 * script's loop. {@code --profile} adds glassbox's per-layer forward/backward time and GFLOP/s.
 * The peak Java heap during glassbox's epoch is reported too (jblas's per-call native copies come on top:
 * at most the largest GEMM's operands, a few MB).
 */
@Command(name = "cnn", mixinStandardHelpOptions = true,
        description = "Seconds per epoch of the seed CNNs (002 default and custom, 001 MNIST) beside PyTorch.")
public final class CnnEpochBenchmark implements Callable<Integer> {
    @Option(names = "--models", split = ",", description = "any of default, custom, mnist, autoencoder, keras-cnn; "
            + "default ${DEFAULT-VALUE}")
    List<String> models = List.of("default", "custom", "mnist", "autoencoder", "keras-cnn");

    @Option(names = "--epochs", description = "epochs per side and model; default ${DEFAULT-VALUE}")
    int epochs = 1;

    @Option(names = "--no-torch", description = "skip the PyTorch side")
    boolean noTorch;

    @Option(names = "--samples", description = "train on the first N samples only, both sides (a quick look); "
            + "default: all")
    int samples;

    @Option(names = "--profile", description = "print glassbox's per-layer time and GFLOP/s for each model")
    boolean profile;

    @Option(names = "--python", description = "interpreter with torch; default ${DEFAULT-VALUE}")
    String python = PythonPeers.PYTHON;

    /**
     * A benchmarked model: its data, its network, the peer script's name for it, and whether it is the
     * autoencoder (its targets are its inputs, its loss binary cross-entropy, its optimiser Adadelta).
     */
    record Spec(String name, String torchName, int batch, String data, LongFunction<Sequential> network,
                boolean adadelta, boolean autoencoder) {
        Sequential compiled() {
            Sequential model = network.apply(0);
            Optimizer optimizer = adadelta ? Adadelta.keras2() : new Adam();
            return model.compile(autoencoder ? new BinaryCrossentropy() : new CategoricalCrossentropy(), optimizer);
        }
    }

    /** The models by their {@code --models} name; PeerModelsTest checks each against its PyTorch peer. */
    static final Map<String, Spec> SPECS = Map.of(
            "default", new Spec("default", "cnn_default", 128, "twist", SeedModels::fashionDefault, false, false),
            "custom", new Spec("custom", "cnn_custom", 128, "twist", SeedModels::fashionCustom, false, false),
            "mnist", new Spec("mnist", "cnn_mnist", 32, "mnist", SeedModels::mnistCnn, false, false),
            "autoencoder", new Spec("autoencoder", "autoencoder", 128, "mnist", SeedModels::convAutoencoder, true, true),
            "keras-cnn", new Spec("keras-cnn", "cnn_keras", 128, "mnist", SeedModels::mnistKerasCnn, true, false));

    @Override
    public Integer call() throws Exception {
        for (String m : models) {
            if (!SPECS.containsKey(m)) {
                System.err.println("bench cnn: unknown model '" + m + "'; expected default, custom, mnist, autoencoder "
                        + "or keras-cnn");
                return 2;
            }
        }
        Path home = Datasets.home();
        System.out.println("bench cnn — BLAS: " + Blas.describe());
        Table table = new Table("seed CNNs, seconds per training epoch (median of " + epochs + ")", "model",
                "samples", "batch", "glassbox s/epoch", "glassbox test acc", "peak heap MB", "PyTorch s/epoch",
                "PyTorch test acc", "PyTorch / glassbox");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String m : models) {
            Spec spec = SPECS.get(m);
            Tensor[] d = data(spec.data, home);
            if (samples > 0 && samples < d[0].dim(0)) {
                d[0] = d[0].slice(0, samples);
                d[1] = d[1].slice(0, samples);
            }
            if (spec.autoencoder) { // the images are their own targets
                d[1] = d[0];
                d[3] = d[2];
            }
            Sequential model = spec.compiled();
            System.out.println("— " + spec.name + " (glassbox), " + d[0].dim(0) + " samples, batch " + spec.batch);
            BenchResults.resetPeakHeap();
            History h = model.fit(d[0], d[1], FitOptions.defaults().withEpochs(epochs).withBatchSize(spec.batch)
                    .withCallbacks(profile ? List.of(new glassbox.nn.Profile()) : List.of()));
            double peakMb = BenchResults.peakHeapBytes() / 1e6;
            double[] ours = h.epochs().stream().mapToDouble(History.Epoch::seconds).toArray();
            double acc = model.evaluate(d[2], d[3], 256).accuracy();
            if (h.profile() != null) {
                System.out.print(h.profile().table());
            }
            PythonPeers.Torch torch = null;
            if (!noTorch) {
                System.out.println("— " + spec.name + " (PyTorch " + spec.torchName + ") …");
                torch = PythonPeers.torch(python, home, home.resolve("data"), spec.torchName, epochs, spec.batch,
                        samples > 0 ? d[0].dim(0) : 0);
                System.out.println("  " + (torch.ran() ? torch.settings() : torch.why()));
            }
            double oursMedian = BenchResults.median(ours);
            double torchMedian = torch != null && torch.ran() ? BenchResults.median(torch.seconds()) : Double.NaN;
            String ratio = Double.isNaN(torchMedian) ? (torch == null ? "skipped" : "not run (see above)")
                    : String.format(Locale.ROOT, "%.2f×", torchMedian / oursMedian);
            table.addRow(spec.name, d[0].dim(0), spec.batch, oursMedian, acc, peakMb, torchMedian,
                    torch != null && torch.ran() ? torch.accuracy() : Double.NaN, ratio);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", spec.name);
            row.put("batch", spec.batch);
            row.put("samples", d[0].dim(0));
            row.put("glassbox_seconds", ours);
            row.put("glassbox_test_accuracy", acc);
            row.put("glassbox_peak_heap_mb", peakMb);
            if (h.profile() != null) {
                row.put("glassbox_profile_seconds", h.profile().seconds());
            }
            row.put("torch_seconds", torch != null && torch.ran() ? torch.seconds() : null);
            row.put("torch_test_accuracy", torch != null && torch.ran() ? torch.accuracy() : null);
            row.put("torch_settings", torch != null && torch.ran() ? torch.settings() : null);
            row.put("torch_not_run", torch != null && !torch.ran() ? torch.why() : null);
            row.put("ratio_torch_over_glassbox", torchMedian / oursMedian);
            rows.add(row);
        }
        table.print(System.out);
        BenchResults.write(home, "cnn", rows);
        return 0;
    }

    /** {@code [xTrain, yTrain (one-hot), xTest, yTest (one-hot)]}, images (n, 28, 28, 1) scaled by 1/255. */
    private static Tensor[] data(String which, Path home) throws java.io.IOException {
        Dataset train;
        Dataset test;
        if (which.equals("twist")) {
            var tt = FashionTwist.load(home, null);
            // Keras's validation_split=0.2 trains on the first 80 %: the bench times that epoch
            train = tt.train().slice(0, tt.train().size() * 4 / 5);
            test = tt.test();
        } else {
            var tt = Datasets.load("mnist", home);
            train = tt.train();
            test = tt.test();
        }
        return new Tensor[]{images(train), Transforms.oneHot(train.y(), train.numClasses()),
            images(test), Transforms.oneHot(test.y(), test.numClasses())};
    }

    private static Tensor images(Dataset d) {
        return Transforms.divide(d.x(), 255).reshape(d.size(), 28, 28, 1);
    }
}
