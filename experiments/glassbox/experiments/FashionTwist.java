package glassbox.experiments;

import glassbox.data.CsvDatasetReader;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The data of seed notebook {@code 002_ade91a2f1439f055}, "FashionMNIST with a Twist!": Fashion-MNIST's
 * images under five "mystery" labels that each merge some of its ten classes.
 *
 * <pre>
 *   twist label   Fashion-MNIST classes                       test / train images
 *   0             T-shirt/top (0) + Shirt (6)                  2000 / 12000
 *   1             Bag (8)                                      1000 /  6000
 *   2             Pullover (2) + Coat (4)                      2000 / 12000
 *   3             Trouser (1) + Dress (3)                      2000 / 12000
 *   4             Sandal (5) + Sneaker (7) + Ankle boot (9)    3000 / 18000
 * </pre>
 *
 * <p>The notebook read the twist from four CSVs ({@code pd.read_csv('x_train.csv')}, …) that are not
 * published. The table is a reconstruction: its per-class counts are the notebook's printed
 * {@code value_counts} (In[5]) exactly, which fixes that label 1 is one Fashion class and label 4 three;
 * which one and which three, and how the other six pair up, follows the notebook's conclusion that the
 * labels group clothing by shape — trousers with dresses, tops together, footwear together. (Its own
 * "Class 0: Bags, …" list names its k-means clusters, not these labels.)
 *
 * <p>{@link #load} takes the seed's CSVs when given their folder (read by {@link CsvDatasetReader}), and
 * otherwise relabels Fashion-MNIST, fetched as usual.
 */
public final class FashionTwist {
    /** The five classes, indexed by twist label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top + Shirt", "Bag", "Pullover + Coat",
            "Trouser + Dress", "Sandal + Sneaker + Ankle boot");

    public static final int NUM_CLASSES = 5;

    /** {@code TWIST_OF[f]} is the twist label of Fashion-MNIST class {@code f}. */
    private static final int[] TWIST_OF = {
        0, // 0 T-shirt/top
        3, // 1 Trouser
        2, // 2 Pullover
        3, // 3 Dress
        2, // 4 Coat
        4, // 5 Sandal
        0, // 6 Shirt
        4, // 7 Sneaker
        1, // 8 Bag
        4, // 9 Ankle boot
    };

    private FashionTwist() {
    }

    /** The twist label of Fashion-MNIST class {@code fashionLabel} (0..9), as the class comment's table. */
    public static int twistOf(int fashionLabel) {
        if (fashionLabel < 0 || fashionLabel >= TWIST_OF.length) {
            throw new IllegalArgumentException("FashionTwist.twistOf: Fashion-MNIST label " + fashionLabel
                    + " is outside [0, 10)");
        }
        return TWIST_OF[fashionLabel];
    }

    /**
     * Fashion-MNIST with its labels mapped to the five twist classes ({@code numClasses} 5). The images are
     * shared with {@code fashion}, not copied; the name's {@code fashion-mnist} becomes {@code fashion-twist}.
     *
     * @throws IllegalArgumentException if {@code fashion} does not have Fashion-MNIST's 10 classes
     */
    public static Dataset relabel(Dataset fashion) {
        if (fashion.numClasses() != TWIST_OF.length) {
            throw new IllegalArgumentException("FashionTwist.relabel: dataset " + fashion.name() + " has "
                    + fashion.numClasses() + " classes; expected Fashion-MNIST's 10 ("
                    + String.join(", ", Datasets.classNames("fashion-mnist")) + ")");
        }
        int[] y = new int[fashion.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = TWIST_OF[fashion.y()[i]];
        }
        String name = fashion.name().startsWith("fashion-mnist")
                ? "fashion-twist" + fashion.name().substring("fashion-mnist".length())
                : fashion.name() + "-twist";
        return new Dataset(fashion.x(), y, NUM_CLASSES, name);
    }

    /**
     * The twist's train and test splits: read from the seed's four CSVs in {@code csvDir} when it is given
     * (labels must already be 0..4), else Fashion-MNIST from {@code home/data/fashion-mnist/} (fetched the
     * first time) relabelled by {@link #relabel}. Images are {@code (n, 28, 28)} as stored (Fashion-MNIST: raw
     * 0..255).
     */
    public static TrainTest load(Path home, Path csvDir) throws IOException {
        if (csvDir != null) {
            return CsvDatasetReader.readDirectory(csvDir, "fashion-twist", NUM_CLASSES);
        }
        TrainTest fashion = Datasets.load("fashion-mnist", home);
        return new TrainTest(relabel(fashion.train()), relabel(fashion.test()));
    }
}
