package glassbox.bench;

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
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ./glassbox bench mlp}: seconds per training epoch of seed 000's network (784 → 128 relu → 128 relu
 * → 10 sigmoid, Adam, L2-normalised MNIST, 60,000 samples) at batch 32 and 256, side by side with PyTorch
 * running the same network on the same machine in the same command (the peer script
 * {@code benchmarks/python/torch_nets.py}, model {@code mlp}, run between glassbox's measurements; see
 * {@link PythonPeers}).
 *
 * <p>One batch-32 epoch is about 42 GFLOP: per sample {@code 2·(784·128 + 128·128 + 128·10)} flops forward
 * and twice that backward. The figure reported per side is the median epoch time over {@code --epochs}
 * epochs; the ratio is PyTorch's median over glassbox's (above 1: glassbox is faster).
 */
@Command(name = "mlp", mixinStandardHelpOptions = true,
        description = "Seconds per epoch of seed 000's MLP at batch 32 and 256, beside PyTorch (if installed).")
public final class MlpEpochBenchmark implements Callable<Integer> {
    @Option(names = "--epochs", description = "epochs per measurement; default ${DEFAULT-VALUE}")
    int epochs = 3;

    @Option(names = "--batch-sizes", split = ",", description = "default ${DEFAULT-VALUE}")
    int[] batchSizes = {32, 256};

    @Option(names = "--no-torch", description = "skip the PyTorch side")
    boolean noTorch;

    @Option(names = "--python", description = "interpreter with torch; default ${DEFAULT-VALUE}")
    String python = PythonPeers.PYTHON;

    /** Seed 000's network, built for 28×28 images; its PyTorch peer is {@code torch_nets.py mlp}. */
    static Sequential network(long seed) {
        return new Sequential(seed, new Flatten(), new Dense(128, "relu"), new Dense(128, "relu"),
                new Dense(10, "sigmoid")).build(28, 28);
    }

    @Override
    public Integer call() throws Exception {
        Path home = Datasets.home();
        System.out.println("bench mlp — BLAS: " + Blas.describe());
        TrainTest data = Datasets.load("mnist", home);
        Tensor x = Transforms.normalizeL2(data.train().x(), 1);
        Tensor y = data.train().yAsTensor();
        Tensor xTest = Transforms.normalizeL2(data.test().x(), 1);
        Tensor yTest = data.test().yAsTensor();

        Table table = new Table("seed-000 MLP, seconds per epoch (median of " + epochs + "), 60,000 samples",
                "batch", "glassbox s/epoch", "glassbox epochs", "glassbox test acc", "PyTorch s/epoch",
                "PyTorch epochs", "PyTorch test acc", "PyTorch / glassbox");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int batch : batchSizes) {
            double[] ours = new double[epochs];
            Sequential model = network(0).compile(new SparseCategoricalCrossentropy(), new Adam());
            History h = model.fit(x, y, FitOptions.defaults().withEpochs(epochs).withBatchSize(batch).withVerbose(false));
            for (int e = 0; e < epochs; e++) {
                ours[e] = h.epochs().get(e).seconds();
            }
            double acc = model.evaluate(xTest, yTest).accuracy();
            PythonPeers.Torch torch = noTorch ? null
                    : PythonPeers.torch(python, home, home.resolve("data"), "mlp", epochs, batch, 0);
            if (torch != null) {
                System.out.println("batch " + batch + ": " + (torch.ran() ? torch.settings() : torch.why()));
            }
            double oursMedian = BenchResults.median(ours);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("batch", batch);
            row.put("glassbox_seconds", ours);
            row.put("glassbox_median", oursMedian);
            row.put("glassbox_test_accuracy", acc);
            if (torch != null && torch.ran()) {
                row.put("torch_seconds", torch.seconds());
                row.put("torch_median", BenchResults.median(torch.seconds()));
                row.put("torch_test_accuracy", torch.accuracy());
                row.put("ratio_torch_over_glassbox", BenchResults.median(torch.seconds()) / oursMedian);
                row.put("torch_settings", torch.settings());
            } else {
                row.put("torch", torch == null ? "skipped (--no-torch)" : torch.why());
            }
            rows.add(row);
            table.addRow(batch, oursMedian, fmt(ours), acc,
                    torch != null && torch.ran() ? BenchResults.median(torch.seconds()) : Double.NaN,
                    torch != null && torch.ran() ? fmt(torch.seconds())
                            : torch == null ? "skipped" : "not run (see above)",
                    torch != null && torch.ran() ? torch.accuracy() : Double.NaN,
                    torch != null && torch.ran() ? BenchResults.median(torch.seconds()) / oursMedian : Double.NaN);
        }
        table.print(System.out);
        BenchResults.write(home, "mlp", rows);
        return 0;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%.2f", d));
        }
        return sb.toString();
    }
}
