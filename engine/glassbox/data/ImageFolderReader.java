package glassbox.data;

import glassbox.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder of images sorted into one sub-folder per class — the layout of notMNIST and of Keras's
 * {@code image_dataset_from_directory}:
 *
 * <pre>
 * root/
 *   A/  a1.png a2.png …
 *   B/  b1.png …
 *   …
 * </pre>
 *
 * <p>Class {@code k} is the {@code k}-th sub-folder in name order (as Keras sorts them), and every image
 * becomes one greyscale sample of shape {@code (height, width)} holding its pixel values 0..255 as floats,
 * so the result looks exactly like an MNIST {@link Dataset}. Files within a class are read in name order,
 * so the same folder always gives the same dataset.
 *
 * <p>Images are decoded by {@code javax.imageio} (PNG, JPEG, BMP, GIF). An 8-bit greyscale image is read
 * as is; a colour image is converted with the ITU-R 601 luma weights {@code 0.299 R + 0.587 G + 0.114 B}
 * (what PIL's {@code convert('L')} and TensorFlow's {@code rgb_to_grayscale} use).
 *
 * <p>Corrupt files are expected: notMNIST ships a few PNGs that no decoder can read. A file that cannot be
 * decoded is skipped and reported in {@link Result#skipped()}; a file whose header declares the wrong size
 * is an error (a {@link MalformedDataException} naming the file, the expected and the found size),
 * because it means the folder is not the dataset the caller thinks it is. The size is read from the header
 * before the pixels are decoded, so a damaged header claiming a gigapixel image costs nothing: such a
 * claim, more pixels than a file of that length could encode, marks the file as unreadable. Hidden
 * files (names starting with a dot) are ignored.
 *
 * <p><b>Errors</b>, all of them: {@link NoSuchFileException} for a missing root, a plain
 * {@code IOException} when a folder cannot be listed, and {@link MalformedDataException} naming the root
 * or the file at fault. Whatever an image file's bytes — cut off, bit-flipped, a header claiming 2³⁰
 * pixels with a valid checksum — it is read, skipped and counted, or refused as the wrong size: no other
 * exception comes out (fuzzed in {@code ImageFolderReaderFuzzTest}).
 */
public final class ImageFolderReader {
    /**
     * More pixels per file byte than any image format reaches (deflate compresses at most 1032:1, and a
     * PNG pixel takes at least one bit: about 8,256 pixels per byte). A header declaring more than this
     * for its file's length is corrupt, and the file is unreadable rather than of the wrong size.
     */
    private static final long MAX_PIXELS_PER_BYTE = 10_000;

    private ImageFolderReader() {
    }

    /**
     * What {@link #read} found.
     *
     * @param dataset    the images, {@code x} of shape {@code (n, height, width)}, labels by class folder
     * @param classNames the class folder names, indexed by label
     * @param skipped    the files that could not be decoded, as paths relative to the root
     *                   ({@code "A/RGVtb2NyYXRpY2FCb2xkT2xkc3R5bGUgQm9sZC50dGY=.png"}), in reading order
     */
    public record Result(Dataset dataset, List<String> classNames, List<String> skipped) {
        /** One line for a log: how many images and classes were read, and which files were skipped. */
        public String report() {
            String line = "read " + dataset.size() + " images in " + classNames.size() + " classes from "
                    + dataset.name();
            if (skipped.isEmpty()) {
                return line + "; none skipped";
            }
            return line + "; skipped " + skipped.size() + " unreadable: " + String.join(", ", skipped);
        }
    }

    /**
     * Reads every image under {@code root}'s class sub-folders; each must be {@code height × width}.
     *
     * @throws NoSuchFileException    if {@code root} does not exist or is not a folder
     * @throws MalformedDataException if {@code root} has no class sub-folders, no image could be read, an
     *                                image's header declares the wrong size (the message names the file and
     *                                both sizes), or there are too many images for one array
     */
    public static Result read(Path root, int height, int width) throws IOException {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("ImageFolderReader: image size " + height + "x" + width
                    + " must be positive");
        }
        if (!Files.isDirectory(root)) {
            throw new NoSuchFileException(root.toString(), null, "not a folder; expected one sub-folder per class");
        }
        List<Path> classDirs = sortedChildren(root, true);
        if (classDirs.isEmpty()) {
            throw new MalformedDataException(root + ": no class sub-folders; expected one folder per class "
                    + "(A/, B/, …) each holding that class's images");
        }
        List<String> classNames = classDirs.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());

        List<Path> files = new ArrayList<>();
        List<Integer> fileLabels = new ArrayList<>();
        for (int label = 0; label < classDirs.size(); label++) {
            for (Path file : sortedChildren(classDirs.get(label), false)) {
                files.add(file);
                fileLabels.add(label);
            }
        }

        long total = (long) files.size() * height * width;
        if (total > Integer.MAX_VALUE - 8) {
            throw new MalformedDataException(root + ": " + files.size() + " files of " + height + "x" + width
                    + " pixels are more than 2^31 values; a Java array cannot hold them");
        }
        int pixels = height * width;
        float[] x = new float[(int) total];
        int[] y = new int[files.size()];
        List<String> skipped = new ArrayList<>();
        int n = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            if (decodeGrey(file, height, width, x, n * pixels)) {
                y[n] = fileLabels.get(f);
                n++;
            } else {
                skipped.add(root.relativize(file).toString());
            }
        }
        if (n == 0) {
            throw new MalformedDataException(root + ": no readable images in " + classDirs.size()
                    + " class folder(s) (" + files.size() + " file(s), " + skipped.size() + " unreadable)");
        }
        // Skipped files leave the tail of the buffers unused; trim to the n images actually read.
        Tensor xs = new Tensor(n == files.size() ? x : Arrays.copyOf(x, n * pixels), n, height, width);
        Dataset dataset = new Dataset(xs, Arrays.copyOf(y, n), classNames.size(), root.getFileName().toString());
        return new Result(dataset, List.copyOf(classNames), List.copyOf(skipped));
    }

    /**
     * Decodes {@code file} into {@code out[offset …]} as grey levels; false when no decoder can read it
     * (unknown format, corrupt or cut off, or a header claiming more pixels than the file could encode).
     * The size comes from the image's header before anything is decoded, so a corrupt header claiming
     * 100000 × 100000 pixels is never handed to a decoder that would allocate a 10-gigabyte raster for it.
     *
     * @throws MalformedDataException if the header declares a size other than {@code height × width} that
     *                                the file could hold
     */
    private static boolean decodeGrey(Path file, int height, int width, float[] out, int offset)
            throws MalformedDataException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return false;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true); // forward only, metadata ignored: as ImageIO.read does
                int h = reader.getHeight(0);
                int w = reader.getWidth(0);
                if (h != height || w != width) {
                    if ((long) h * w > MAX_PIXELS_PER_BYTE * Files.size(file)) {
                        return false; // no file this small holds so many pixels: the header itself is corrupt
                    }
                    throw new MalformedDataException(file + ": image is " + h + "x" + w + " (height x width); expected "
                            + height + "x" + width + " like the rest of the dataset");
                }
                // Inside the try: a damaged palette or bit depth can surface while the pixels are converted.
                copyGrey(reader.read(0), out, offset);
                return true;
            } finally {
                reader.dispose();
            }
        } catch (MalformedDataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Corrupt PNGs surface as IIOException, but also as runtime exceptions from deep in the decoder.
            return false;
        }
    }

    /** Writes the image's grey levels 0..255 row by row into {@code out} from {@code offset}. */
    private static void copyGrey(BufferedImage image, float[] out, int offset) {
        Raster raster = image.getRaster();
        ColorModel colorModel = image.getColorModel();
        int bands = raster.getNumBands();
        // 16-bit images keep their top byte, so every format lands on the same 0..255 scale.
        int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
        int h = image.getHeight();
        int w = image.getWidth();
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float v;
                if (colorModel instanceof IndexColorModel) {
                    int rgb = colorModel.getRGB(raster.getDataElements(c, r, null));
                    v = luma((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF);
                } else if (bands < 3) {
                    // Grey, or grey + alpha: band 0 is the grey level. Read samples, not getRGB, which
                    // would push grey through a colour-space conversion and change the values.
                    v = raster.getSample(c, r, 0) >> shift;
                } else {
                    v = luma(raster.getSample(c, r, 0) >> shift, raster.getSample(c, r, 1) >> shift,
                            raster.getSample(c, r, 2) >> shift);
                }
                out[offset + r * w + c] = v;
            }
        }
    }

    private static float luma(int red, int green, int blue) {
        return Math.round(0.299 * red + 0.587 * green + 0.114 * blue);
    }

    /** The folders (or the visible regular files) directly inside {@code dir}, sorted by name. */
    private static List<Path> sortedChildren(Path dir, boolean folders) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> folders ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }
}
