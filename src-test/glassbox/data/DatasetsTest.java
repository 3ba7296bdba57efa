package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path home;

    /** Writes a tiny MNIST-shaped dataset folder: train plain, test gzip'd, as the two real datasets differ. */
    private static void writeTinyDataset(Path dir, int nTrain, int nTest) throws IOException {
        IdxFiles.write(dir.resolve(Datasets.TRAIN_IMAGES), IdxFiles.images(nTrain, 4, 3));
        IdxFiles.write(dir.resolve(Datasets.TRAIN_LABELS), IdxFiles.labels(nTrain, 10));
        IdxFiles.write(dir.resolve(Datasets.TEST_IMAGES + ".gz"), IdxFiles.gzip(IdxFiles.images(nTest, 4, 3)));
        IdxFiles.write(dir.resolve(Datasets.TEST_LABELS + ".gz"), IdxFiles.gzip(IdxFiles.labels(nTest, 10)));
    }

    @Test
    void unknownNameErrorListsTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.load("cifar10", home));

        assertTrue(e.getMessage().contains("unknown dataset 'cifar10'"), e.getMessage());
        assertTrue(e.getMessage().contains("mnist, fashion-mnist"), e.getMessage());
    }

    @Test
    void kerasSpellingOfANameIsAccepted() {
        assertEquals("T-shirt/top", Datasets.classNames("fashion_mnist").get(0));
        assertEquals(List.of("mnist", "fashion-mnist"), Datasets.names());
    }

    @Test
    void loadReadsPlainAndGzipFilesIntoFloatPixelsAndLabels() throws Exception {
        writeTinyDataset(home.resolve("data/mnist"), 6, 4);

        TrainTest tt = Datasets.load("mnist", home);

        assertArrayEquals(new int[] {6, 4, 3}, tt.train().x().shape());
        assertArrayEquals(new int[] {4, 4, 3}, tt.test().x().shape());
        assertEquals("mnist-train", tt.train().name());
        assertEquals("mnist-test", tt.test().name());
        assertEquals(10, tt.train().numClasses());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, tt.train().y());
        byte[] pixels = IdxFiles.imagePixels(4, 4, 3);
        float[] x = tt.test().x().data();
        for (int k = 0; k < pixels.length; k++) {
            assertEquals(pixels[k] & 0xFF, x[k], 0f, "pixel " + k);
        }
    }

    @Test
    void mismatchedImageAndLabelCountsNameBothFilesAndBothCounts() throws Exception {
        Path images = IdxFiles.write(home.resolve("imgs"), IdxFiles.images(3, 2, 2));
        Path labels = IdxFiles.write(home.resolve("labs"), IdxFiles.labels(2, 10));

        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Datasets.readIdxPair(images, labels, 10, "tiny"));

        assertTrue(e.getMessage().contains(images + " holds 3 images"), e.getMessage());
        assertTrue(e.getMessage().contains(labels + " holds 2 labels"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassCountNamesTheLabelFile() throws Exception {
        Path images = IdxFiles.write(home.resolve("imgs"), IdxFiles.images(12, 2, 2));
        Path labels = IdxFiles.write(home.resolve("labs"), IdxFiles.labels(12, 12));

        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> Datasets.readIdxPair(images, labels, 10, "tiny"));

        assertTrue(e.getMessage().startsWith(labels.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 at index 10 is outside [0, 10)"), e.getMessage());
    }

    @Test
    void missingFilesWithoutAFetchScriptNameTheFilesAndTheCommand() throws Exception {
        Path dir = home.resolve("data/mnist");
        IdxFiles.write(dir.resolve(Datasets.TRAIN_IMAGES), IdxFiles.images(2, 2, 2));
        IdxFiles.write(dir.resolve(Datasets.TRAIN_LABELS), IdxFiles.labels(2, 10));

        IOException e = assertThrows(IOException.class, () -> Datasets.load("mnist", home));

        assertTrue(e.getMessage().contains(Datasets.TEST_IMAGES), e.getMessage());
        assertTrue(e.getMessage().contains(Datasets.TEST_LABELS), e.getMessage());
        assertFalse(e.getMessage().contains(Datasets.TRAIN_IMAGES), e.getMessage());
        assertTrue(e.getMessage().contains("data/fetch.sh mnist"), e.getMessage());
    }

    @Test
    void missingFilesRunTheFetchScriptOnceThenLoad() throws Exception {
        // A stand-in fetch.sh that copies prepared files and counts its runs: no network involved.
        Path source = home.resolve("prepared");
        writeTinyDataset(source, 5, 3);
        Path script = IdxFiles.write(home.resolve("data/fetch.sh"), String.join("\n",
                "set -e",
                "echo run >> \"" + home.resolve("runs.log") + "\"",
                "mkdir -p \"$(dirname \"$0\")/$1\"",
                "cp \"" + source + "\"/* \"$(dirname \"$0\")/$1/\"",
                "").getBytes(StandardCharsets.UTF_8));

        TrainTest tt = Datasets.load("fashion-mnist", home);
        TrainTest again = Datasets.load("fashion-mnist", home);

        assertEquals(5, tt.train().size());
        assertEquals(3, again.test().size());
        assertEquals(List.of("run"), Files.readAllLines(home.resolve("runs.log")));
        assertTrue(Files.exists(script));
    }

    @Test
    void failingFetchScriptIsReportedWithItsExitStatusAndNotRerun() throws Exception {
        IdxFiles.write(home.resolve("data/fetch.sh"), "echo offline >&2; exit 1\n".getBytes(StandardCharsets.UTF_8));

        IOException first = assertThrows(IOException.class, () -> Datasets.load("mnist", home));
        IOException second = assertThrows(IOException.class, () -> Datasets.load("mnist", home));

        assertTrue(first.getMessage().contains("exited with status 1"), first.getMessage());
        assertTrue(first.getMessage().contains(Datasets.TRAIN_IMAGES), first.getMessage());
        assertTrue(second.getMessage().contains("already failed once"), second.getMessage());
    }

    /** The real datasets, when a developer has fetched them; never fetched from a test. */
    private static TrainTest realDatasetOrSkip(String name) throws IOException {
        Path dir = Datasets.home().resolve("data").resolve(name);
        for (String base : Datasets.IDX_FILES) {
            boolean present = Files.isRegularFile(dir.resolve(base)) || Files.isRegularFile(dir.resolve(base + ".gz"));
            String why = dir + " lacks " + base + "; run data/fetch.sh " + name + " to include this test";
            if (!present) { // Surefire's console shows only the count of skipped tests: say which and why
                System.err.println("SKIPPED DatasetsTest (" + name + "): " + why);
            }
            assumeTrue(present, why);
        }
        return Datasets.readDirectory(dir, name, 10);
    }

    private static void assertMnistShaped(TrainTest tt) {
        assertArrayEquals(new int[] {60000, 28, 28}, tt.train().x().shape());
        assertArrayEquals(new int[] {10000, 28, 28}, tt.test().x().shape());
        for (Dataset d : List.of(tt.train(), tt.test())) {
            for (int count : d.classCounts()) {
                assertTrue(count > 0, d.name() + " lacks a class: " + Arrays.toString(d.classCounts()));
            }
            float max = 0;
            for (float v : d.x().data()) {
                assertTrue(v >= 0 && v <= 255, d.name() + " pixel " + v);
                max = Math.max(max, v);
            }
            assertEquals(255f, max, d.name() + " max pixel");
        }
    }

    @Test
    void realMnistHas60000TrainAnd10000TestImagesOf28x28() throws Exception {
        TrainTest tt = realDatasetOrSkip("mnist");
        assertMnistShaped(tt);
        // Published class sizes of MNIST's training set (e.g. 5923 zeros, 6742 ones).
        assertEquals(5923, tt.train().classCounts()[0]);
        assertEquals(6742, tt.train().classCounts()[1]);
    }

    @Test
    void realFashionMnistHas60000TrainAnd10000TestImagesOf28x28() throws Exception {
        TrainTest tt = realDatasetOrSkip("fashion-mnist");
        assertMnistShaped(tt);
        // Fashion-MNIST is balanced by construction: 6000 train and 1000 test images per class.
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, tt.train().classCounts()[c]);
            assertEquals(1000, tt.test().classCounts()[c]);
        }
    }
}
