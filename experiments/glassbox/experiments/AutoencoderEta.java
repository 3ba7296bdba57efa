package glassbox.experiments;

import glassbox.data.Transforms;
import glassbox.nn.FitOptions;
import glassbox.nn.Sequential;
import glassbox.nn.loss.CategoricalCrossentropy;
import glassbox.nn.optim.Adadelta;
import glassbox.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long a full {@link AutoencoderFeatures} run should take, measured before it starts: a few training
 * steps and forward passes of each network on batches of 128 (throwaway models, after one warm-up pass),
 * multiplied out by the run's steps. A training step's time is what an epoch's steps cost; validation and
 * encoding batches are forward passes only. The machine may be shared, so the figure is a guide (±30 %).
 */
final class AutoencoderEta {
    private static final int STEPS = 3;

    /** Seconds per training step and per forward pass of one batch of 128, by network. */
    private final Map<String, double[]> perBatch = new LinkedHashMap<>();
    private final AutoencoderFeatures experiment;

    AutoencoderEta(AutoencoderFeatures experiment, Tensor x, int[] y) {
        this.experiment = experiment;
        int n = Math.min(x.dim(0), STEPS * AutoencoderFeatures.BATCH);
        Tensor images = x.slice(0, n);
        Tensor labels = Transforms.oneHot(java.util.Arrays.copyOf(y, n), AutoencoderFeatures.CLASSES);
        Sequential ae = AutoencoderFeatures.compiledAutoencoder(0);
        perBatch.put("autoencoder", time(ae, images, images));
        perBatch.put("encoder", new double[]{Double.NaN, forward(ae.upTo(SeedModels.AUTOENCODER_CODE_LAYER), images)});
        Tensor codes = Tensor.zeros(n, 4, 4, 8);
        for (String name : AutoencoderFeatures.CLASSIFIERS) {
            Sequential model = AutoencoderFeatures.classifierNetwork(name).apply(0)
                    .compile(new CategoricalCrossentropy(), Adadelta.keras2());
            perBatch.put(name, time(model, name.equals("codes") ? codes : images, labels));
        }
    }

    /** {seconds per training step, seconds per forward batch}, each after a warm-up. */
    private static double[] time(Sequential model, Tensor x, Tensor y) {
        FitOptions once = FitOptions.defaults().withEpochs(1).withBatchSize(AutoencoderFeatures.BATCH).withVerbose(false);
        model.fit(x, y, once); // warm-up: JIT, buffers
        double step = model.fit(x, y, once).last().seconds() / steps(x.dim(0));
        return new double[]{step, forward(model, x)};
    }

    private static double forward(Sequential model, Tensor x) {
        model.predict(x, AutoencoderFeatures.BATCH);
        long t0 = System.nanoTime();
        model.predict(x, AutoencoderFeatures.BATCH);
        return (System.nanoTime() - t0) / 1e9 / steps(x.dim(0));
    }

    private static int steps(int samples) {
        return (samples + AutoencoderFeatures.BATCH - 1) / AutoencoderFeatures.BATCH;
    }

    /** The estimate and what it rests on, as one printable paragraph. */
    String describe(int seeds, int train, int test) {
        int epochs = experiment.epochs;
        int classifierEpochs = experiment.classifierEpochs;
        double[] ae = perBatch.get("autoencoder");
        double autoencoder = epochs * (steps(train) * ae[0] + steps(test) * ae[1]) + steps(test) * ae[1];
        double encode = (steps(train) + steps(test)) * perBatch.get("encoder")[1];
        int fitRows = experiment.seedTestSelection ? train
                : FashionTwistExperiment.splitAt(train, experiment.validationSplit);
        int validationRows = experiment.seedTestSelection ? test : train - fitRows;
        StringBuilder parts = new StringBuilder();
        double classifiers = 0;
        for (String name : AutoencoderFeatures.CLASSIFIERS) {
            double[] c = perBatch.get(name);
            double s = classifierEpochs * (steps(fitRows) * c[0] + steps(validationRows) * c[1]) + steps(test) * c[1];
            classifiers += s;
            parts.append(String.format(", %s %s (%.0f ms per step)", name, FashionTwistExperiment.duration(s),
                    1000 * c[0]));
        }
        double perSeed = autoencoder + encode + classifiers;
        return String.format("expected duration: about %s (measured now on this machine, which may be shared: ±30 %%); "
                        + "per seed: autoencoder %s (%.0f ms per step of %d), encoding %s%s",
                FashionTwistExperiment.duration(seeds * perSeed), FashionTwistExperiment.duration(autoencoder),
                1000 * ae[0], AutoencoderFeatures.BATCH, FashionTwistExperiment.duration(encode), parts);
    }
}
