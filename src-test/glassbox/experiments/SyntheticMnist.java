package glassbox.experiments;

import glassbox.util.Rng;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a small MNIST-shaped data set as the four IDX files under {@code home/data/mnist/}, so that
 * experiments can run end to end in tests without the real download. Class {@code c} is a bright bar
 * at row {@code 2 + 2c} plus noise: learnable, but not trivially at the first step.
 */
final class SyntheticMnist {
    private SyntheticMnist() {
    }

    static void write(Path home, int train, int test, long seed) throws IOException {
        Path dir = home.resolve("data").resolve("mnist");
        Files.createDirectories(dir);
        Rng rng = new Rng(seed);
        writeSplit(dir, "train", train, rng);
        writeSplit(dir, "t10k", test, rng);
    }

    private static void writeSplit(Path dir, String prefix, int n, Rng rng) throws IOException {
        byte[] images = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % 10;
            labels[i] = (byte) c;
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                int v = rng.nextInt(40);
                if (row == 2 + 2 * c || row == 3 + 2 * c) {
                    v += 150 + rng.nextInt(60);
                }
                images[i * 784 + p] = (byte) v;
            }
        }
        try (OutputStream f = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"));
             DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            out.write(images);
        }
        try (OutputStream f = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
             DataOutputStream out = new DataOutputStream(f)) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            out.write(labels);
        }
    }
}
