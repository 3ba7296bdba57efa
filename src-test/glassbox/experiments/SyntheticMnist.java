package glassbox.experiments;

import glassbox.data.IdxFiles;
import glassbox.util.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small MNIST-shaped data set as the four IDX files under {@code home/data/mnist/} (or another
 * dataset's folder, e.g. {@code fashion-mnist}), so that experiments run end to end in tests without the
 * real download. Class {@code c} is a vertical bar two pixels wide at column {@code 3 + 2c}, of random
 * brightness and height, plus faint noise: learnable, but not at the first step.
 */
public final class SyntheticMnist {
    private SyntheticMnist() {
    }

    public static void write(Path home, int train, int test, long seed) throws IOException {
        write(home, "mnist", train, test, seed);
    }

    /** The same images under {@code home/data/<dataset>/}, with the 10 labels read as that dataset's. */
    public static void write(Path home, String dataset, int train, int test, long seed) throws IOException {
        Path dir = home.resolve("data").resolve(dataset);
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        writeSplit(dir, "train", train, rng);
        writeSplit(dir, "t10k", test, rng);
    }

    private static void writeSplit(Path dir, String prefix, int n, Rng rng) throws IOException {
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            int[] image = image(c, rng);
            for (int k = 0; k < image.length; k++) {
                pixels[i * 28 * 28 + k] = (byte) image[k];
            }
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), IdxFiles.idx(0x00000803, new int[]{n, 28, 28}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), IdxFiles.idx(0x00000801, new int[]{n}, labels));
    }

    /** One 28 × 28 image of class {@code c}, row-major, pixel values 0..255. */
    public static int[] image(int c, Rng rng) {
        int[] image = new int[28 * 28];
        int brightness = 150 + rng.nextInt(106);
        int top = 2 + rng.nextInt(6);
        for (int r = 0; r < 28; r++) {
            for (int col = 0; col < 28; col++) {
                boolean bar = col >= 3 + 2 * c && col < 5 + 2 * c && r >= top && r < top + 18;
                image[r * 28 + col] = bar ? brightness : (rng.nextInt(10) == 0 ? rng.nextInt(60) : 0);
            }
        }
        return image;
    }
}
