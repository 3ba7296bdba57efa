package glassbox.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.IdxFiles;
import glassbox.data.TrainTest;
import glassbox.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionTwistTest {
    @TempDir
    Path home;

    /** A Fashion-like dataset: {@code perClass} samples of each of the 10 classes, in turn, 1 × 1 images. */
    private static Dataset fashionLike(int perClass, String name) {
        int n = 10 * perClass;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 10;
        }
        return new Dataset(new Tensor(new float[n], n, 1, 1), y, 10, name);
    }

    @Test
    void relabelledCountsAreTheSeedNotebooks() {
        // seed 002, In[5]: value_counts of y_test and y_train
        Dataset test = FashionTwist.relabel(fashionLike(1000, "fashion-mnist-test"));
        assertArrayEquals(new int[] {2000, 1000, 2000, 2000, 3000}, test.classCounts());
        assertEquals(5, test.numClasses());
        assertEquals("fashion-twist-test", test.name());

        Dataset train = FashionTwist.relabel(fashionLike(6000, "fashion-mnist-train"));
        assertArrayEquals(new int[] {12000, 6000, 12000, 12000, 18000}, train.classCounts());
    }

    @Test
    void everySourceLabelMapsAsListed() {
        int[] expected = {0, 3, 2, 3, 2, 4, 0, 4, 1, 4}; // T-shirt, Trouser, Pullover, Dress, Coat, Sandal, …
        Dataset source = fashionLike(1, "fashion-mnist-train");
        Dataset twist = FashionTwist.relabel(source);
        assertArrayEquals(expected, twist.y());
        assertSame(source.x(), twist.x(), "the images are shared, not copied");

        // The twist's class names are the Fashion names they merge, each Fashion class in exactly one.
        List<String> fashion = Datasets.classNames("fashion-mnist");
        for (int f = 0; f < 10; f++) {
            int t = FashionTwist.twistOf(f);
            List<String> parts = Arrays.asList(FashionTwist.CLASS_NAMES.get(t).split(" \\+ "));
            assertTrue(parts.contains(fashion.get(f)), fashion.get(f) + " maps to " + t + ": " + parts);
        }
        int parts = FashionTwist.CLASS_NAMES.stream().mapToInt(name -> name.split(" \\+ ").length).sum();
        assertEquals(10, parts, "the five names together list the ten Fashion classes once each");
    }

    @Test
    void relabelNeedsTenClasses() {
        Dataset five = new Dataset(new Tensor(new float[2], 2, 1, 1), new int[] {0, 4}, 5, "five");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionTwist.relabel(five));
        assertTrue(e.getMessage().contains("five has 5 classes; expected Fashion-MNIST's 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FashionTwist.twistOf(10));
    }

    @Test
    void loadRelabelsFashionMnistOrReadsTheSeedsCsvs() throws IOException {
        Path dir = Files.createDirectories(home.resolve("data/fashion-mnist"));
        byte[] trainLabels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
        byte[] testLabels = {8, 6};
        Files.write(dir.resolve(Datasets.TRAIN_IMAGES),
                IdxFiles.idx(0x803, new int[] {11, 28, 28}, new byte[11 * 784]));
        Files.write(dir.resolve(Datasets.TRAIN_LABELS), IdxFiles.idx(0x801, new int[] {11}, trainLabels));
        Files.write(dir.resolve(Datasets.TEST_IMAGES), IdxFiles.idx(0x803, new int[] {2, 28, 28}, new byte[2 * 784]));
        Files.write(dir.resolve(Datasets.TEST_LABELS), IdxFiles.idx(0x801, new int[] {2}, testLabels));

        TrainTest fromFashion = FashionTwist.load(home, null);
        assertArrayEquals(new int[] {0, 3, 2, 3, 2, 4, 0, 4, 1, 4, 4}, fromFashion.train().y());
        assertArrayEquals(new int[] {1, 0}, fromFashion.test().y());
        assertEquals(5, fromFashion.train().numClasses());

        Path csv = Files.createDirectories(home.resolve("twist-csv"));
        String header = String.join(",", IntStream.range(0, 784).mapToObj(String::valueOf).toList());
        String zeros = String.join(",", Collections.nCopies(784, "0"));
        Files.writeString(csv.resolve("x_train.csv"), header + "\n" + zeros + "\n" + zeros + "\n");
        Files.writeString(csv.resolve("y_train.csv"), "0\n4\n1\n");
        Files.writeString(csv.resolve("x_test.csv"), header + "\n" + zeros + "\n");
        Files.writeString(csv.resolve("y_test.csv"), "0\n3\n");

        TrainTest fromCsv = FashionTwist.load(home, csv);
        assertArrayEquals(new int[] {4, 1}, fromCsv.train().y());
        assertArrayEquals(new int[] {1, 28, 28}, fromCsv.test().x().shape());
        assertEquals("fashion-twist-train", fromCsv.train().name());
    }
}
