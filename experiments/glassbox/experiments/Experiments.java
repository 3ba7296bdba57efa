package glassbox.experiments;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The registry the launcher lists: one entry per experiment main, in the order of the seed notebooks. */
public final class Experiments {

    /** An experiment: its command name, what it reproduces, the seed notebook, and its picocli command. */
    public record Entry(String name, String description, String seed, Supplier<Object> factory) {
    }

    private static final List<Entry> ALL = List.of(
            new Entry("mnist-mlp", "dense network on L2-normalised MNIST, 3 epochs (the seed's baseline)",
                    "000_8a71d4f11560efc9", MnistMlp::new),
            new Entry("mnist-study", "the whole seed 000: threshold, amplify, power, data selection by hidden-layer typicality",
                    "000_8a71d4f11560efc9", MnistStudy::new),
            new Entry("fashion-twist", "seed 002, 1-2.4: the default and the custom CNN on Fashion-MNIST's five twist "
                    + "classes, 3 seeds", "002_ade91a2f1439f055", FashionTwistExperiment::new),
            new Entry("kmeans-labels", "seed 001: MiniBatchKMeans(120) labels MNIST from 120 looked-up labels; a CNN "
                    + "trained on them and on the 120 closest images, 3 seeds", "001_0b3e6c3010c08abe", KMeansLabels::new),
            new Entry("fashion-embedding", "seed 002, 2.5: the custom CNN's features — PCA, DBSCAN, KMeans, t-SNE",
                    "002_ade91a2f1439f055", FashionEmbedding::new),
            new Entry("autoencoder", "seed 003: a convolutional autoencoder's frozen encoder as features for a "
                    + "classifier, beside raw pixels and the seed's CNN, 3 seeds", "003_85b486fc51f4d95a",
                    AutoencoderFeatures::new),
            new Entry("dataset-hygiene", "seed 004: exact and near duplicates across train / validation / test, "
                    + "sanitised sets, logistic regression on 50 … all images", "004_6def39fe0a6887a7",
                    DatasetHygiene::new));

    private Experiments() {
    }

    public static List<Entry> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }

    public static Optional<Entry> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
