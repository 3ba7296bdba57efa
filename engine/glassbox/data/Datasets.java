package glassbox.data;

import glassbox.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The dataset registry: loads a named dataset's official train/test split, fetching it the first time.
 *
 * <p>{@code Datasets.mnist()} is glassbox's {@code keras.datasets.mnist.load_data()}: it returns
 * {@code (x_train, y_train), (x_test, y_test)} as a {@link TrainTest} of two {@link Dataset}s with images of
 * shape {@code (n, 28, 28)}, raw pixel values 0..255 as floats, and integer labels.
 *
 * <p>Where the files live: {@code <home>/data/<name>/}, where {@code <home>} is the system property
 * {@code glassbox.home} (the launcher sets it to the project root) or else the current directory. Each
 * dataset folder holds the four IDX files under LeCun's names, plain or gzip'd (see {@code data/README.md}).
 * When a file is missing, {@link #load(String)} runs {@code <home>/data/fetch.sh <name>} once per JVM and
 * dataset — it downloads from a package registry and verifies SHA-256 sums — and if that fails, or the
 * script is not there, throws an {@code IOException} naming the missing files and the command to run.
 *
 * <p>Errors: an unknown name is an {@code IllegalArgumentException} listing the known ones; a missing or
 * malformed file is an {@code IOException} ({@link MalformedDataException} for a malformed one) whose
 * message names the file.
 */
public final class Datasets {
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    /** The four files of an IDX dataset folder, each as named here or with {@code .gz} appended. */
    public static final List<String> IDX_FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    /** What the registry knows about a dataset: its class names, in label order. */
    private record Spec(List<String> classNames) {
    }

    private static final Map<String, Spec> REGISTRY = new LinkedHashMap<>();

    static {
        REGISTRY.put("mnist", new Spec(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")));
        REGISTRY.put("fashion-mnist", new Spec(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")));
    }

    /** Dataset folders whose fetch this JVM has already run: a failed download is not retried on every load. */
    private static final Set<String> FETCH_ATTEMPTED = new HashSet<>();

    private Datasets() {
    }

    /** MNIST handwritten digits: 60,000 train + 10,000 test images, 28 × 28, 10 classes. */
    public static TrainTest mnist() throws IOException {
        return load("mnist");
    }

    /** Fashion-MNIST (Zalando): 60,000 train + 10,000 test images, 28 × 28, 10 clothing classes. */
    public static TrainTest fashionMnist() throws IOException {
        return load("fashion-mnist");
    }

    /** The names {@link #load(String)} accepts, in registry order. */
    public static List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** The class names of dataset {@code name}, indexed by label (Fashion-MNIST: 0 = "T-shirt/top", …). */
    public static List<String> classNames(String name) {
        return spec(canonicalName(name)).classNames();
    }

    /** Loads dataset {@code name} from {@code <home>/data/<name>/}, fetching it if files are missing. */
    public static TrainTest load(String name) throws IOException {
        return load(name, home());
    }

    /**
     * Loads dataset {@code name} from {@code <home>/data/<name>/}, running {@code <home>/data/fetch.sh}
     * once if files are missing.
     *
     * @throws IllegalArgumentException if {@code name} is not a known dataset (the message lists them)
     * @throws IOException              if files are missing and fetching them failed, or a file is malformed
     */
    public static TrainTest load(String name, Path home) throws IOException {
        String canonical = canonicalName(name);
        Spec spec = spec(canonical);
        Path dir = home.resolve("data").resolve(canonical);
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            fetch(canonical, home, dir, missing);
        }
        return readDirectory(dir, canonical, spec.classNames().size());
    }

    /**
     * The project root: the system property {@code glassbox.home} if set, else the current directory.
     */
    public static Path home() {
        String home = System.getProperty("glassbox.home");
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.dir");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /**
     * Reads the four IDX files of a dataset folder, never fetching: {@code <dir>/train-images-idx3-ubyte}
     * and its three siblings, each plain or with {@code .gz}. The datasets are named
     * {@code <name>-train} and {@code <name>-test}.
     */
    public static TrainTest readDirectory(Path dir, String name, int numClasses) throws IOException {
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new IOException(dir + ": missing " + String.join(", ", missing) + " (each may also end in .gz)");
        }
        Dataset train = readIdxPair(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS), numClasses, name + "-train");
        Dataset test = readIdxPair(find(dir, TEST_IMAGES), find(dir, TEST_LABELS), numClasses, name + "-test");
        return new TrainTest(train, test);
    }

    /**
     * Reads an IDX image file and its label file into a {@link Dataset}: {@code x} of shape
     * {@code (n, rows, columns)} holding pixel values 0..255 as floats, {@code y} the labels.
     *
     * @throws MalformedDataException if either file is malformed, their counts differ (the message names both
     *                                files and both counts), or a label is outside {@code [0, numClasses)}
     */
    public static Dataset readIdxPair(Path images, Path labels, int numClasses, String name) throws IOException {
        IdxReader.IdxArray img = IdxReader.readImages(images);
        IdxReader.IdxArray lab = IdxReader.readLabels(labels);
        if (img.count() != lab.count()) {
            throw new MalformedDataException(images + " holds " + img.count() + " images but " + labels + " holds "
                    + lab.count() + " labels; expected the same count (are they from the same split?)");
        }
        int[] y = new int[lab.count()];
        for (int i = 0; i < y.length; i++) {
            y[i] = lab.unsigned(i);
            if (y[i] >= numClasses) {
                throw new MalformedDataException(labels + ": label " + y[i] + " at index " + i + " is outside [0, "
                        + numClasses + ")");
            }
        }
        // IDX bytes are unsigned: & 0xFF turns Java's -1 back into the 255 the file means.
        byte[] pixels = img.data();
        float[] x = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            x[i] = pixels[i] & 0xFF;
        }
        return new Dataset(new Tensor(x, img.dims()), y, numClasses, name);
    }

    /** Accepts Keras's spelling too ({@code fashion_mnist}), and any case. */
    private static String canonicalName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("dataset name is null; known datasets: " + String.join(", ", names()));
        }
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Spec spec(String canonical) {
        Spec spec = REGISTRY.get(canonical);
        if (spec == null) {
            throw new IllegalArgumentException("unknown dataset '" + canonical + "'; known datasets: "
                    + String.join(", ", names()));
        }
        return spec;
    }

    /** The file for {@code base} in {@code dir}: plain if present, else gzip'd, else null. */
    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gzip = dir.resolve(base + ".gz");
        return Files.isRegularFile(gzip) ? gzip : null;
    }

    private static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String base : IDX_FILES) {
            if (find(dir, base) == null) {
                missing.add(base);
            }
        }
        return missing;
    }

    /** Runs {@code <home>/data/fetch.sh <name>} (once per JVM and name); throws unless the files are then there. */
    private static synchronized void fetch(String name, Path home, Path dir, List<String> missing) throws IOException {
        Path script = home.resolve("data").resolve("fetch.sh");
        String command = script + " " + name;
        String what = name + ": " + dir + " lacks " + String.join(", ", missing) + " (plain or .gz)";
        if (!Files.isRegularFile(script)) {
            throw new IOException(what + ", and there is no fetch script at " + script
                    + ". Run `data/fetch.sh " + name + "` from the project root, or set -Dglassbox.home=<project root>"
                    + " (now " + home + "); see data/README.md to place the files by hand.");
        }
        if (!FETCH_ATTEMPTED.add(dir.toString())) {
            throw new IOException(what + "; fetching them already failed once in this run. Run `" + command
                    + "` to see why (data/README.md says how to place the files by hand).");
        }
        int exit;
        try {
            Process process = new ProcessBuilder("bash", script.toString(), name)
                    .directory(home.toFile())
                    .inheritIO()
                    .start();
            exit = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + "; interrupted while running `" + command + "`", e);
        }
        List<String> stillMissing = missingFiles(dir);
        if (exit != 0 || !stillMissing.isEmpty()) {
            throw new IOException(name + ": " + dir + " lacks " + String.join(", ", stillMissing.isEmpty() ? missing
                    : stillMissing) + "; `" + command + "` exited with status " + exit
                    + " (its message is above). Fix that and re-run it, or place the files by hand (data/README.md).");
        }
    }
}
