package glassbox.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format MNIST and Fashion-MNIST are distributed in.
 *
 * <p>An IDX file is a 4-byte big-endian magic number {@code 00 00 TT NN}, where {@code TT} is the element
 * type ({@code 08} = unsigned byte, the only type these datasets use) and {@code NN} the number of
 * dimensions; then {@code NN} big-endian 32-bit sizes; then the elements, row-major (last index fastest).
 * So an MNIST image file starts {@code 00000803 0000ea60 0000001c 0000001c} — 60000 images of 28 × 28 —
 * followed by 60000·28·28 = 47,040,000 pixel bytes, and a label file starts {@code 00000801 0000ea60}
 * followed by 60000 label bytes.
 *
 * <p>The file may be gzip'd: that is told by its first two bytes ({@code 1f 8b}, gzip's own magic), not by
 * its name. The reader is strict, because a short or padded file almost always means a broken download:
 * it rejects a wrong magic number, a zero or negative size, fewer data bytes than the header promises
 * (truncated) and bytes after them (trailing garbage). Each of these throws a
 * {@link MalformedDataException} (a checked {@code IOException}) whose message starts with the file's
 * path and states what was expected and what was found; so does a damaged or cut-off gzip stream.
 *
 * <p><b>Errors</b>, all of them: {@link java.nio.file.NoSuchFileException} (or another plain
 * {@code IOException} from the file system) when the file cannot be opened or read, and
 * {@link MalformedDataException} naming the file for anything wrong with its contents — nothing else,
 * whatever the bytes. A corrupt header cannot make the reader allocate what it claims: the sizes are
 * checked against the file's length before the data array is made, and behind gzip, where the length is
 * unknown, the data is read in growing chunks, so a header promising 2³¹ bytes over a few real ones costs
 * only those few. (Fuzzed with truncated, bit-flipped and huge-header files in {@code IdxReaderFuzzTest}.)
 *
 * <p>Keras equivalent: the parsing inside {@code keras.datasets.mnist.load_data} (which reads a NumPy
 * {@code .npz} instead) and TensorFlow Datasets' MNIST builder.
 */
public final class IdxReader {
    /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int UNSIGNED_BYTE_TYPE = 0x08;
    private static final int BUFFER_BYTES = 1 << 16;

    private IdxReader() {
    }

    /**
     * One IDX array of unsigned bytes.
     *
     * @param path where it was read from (for error messages further on)
     * @param dims its sizes, e.g. {@code [60000, 28, 28]}
     * @param data its elements row-major, as Java's signed bytes: read them with {@link #unsigned(int)}
     *             or {@code data[i] & 0xFF}, so that 255 is not -1
     */
    public record IdxArray(Path path, int[] dims, byte[] data) {
        /** Element {@code i} of the flat data, as the unsigned value 0..255 the file means. */
        public int unsigned(int i) {
            return data[i] & 0xFF;
        }

        /** The size of the first dimension: the number of images or labels. */
        public int count() {
            return dims[0];
        }
    }

    /** Reads an image file (magic {@code 0x00000803}): dims {@code (count, rows, columns)}. */
    public static IdxArray readImages(Path path) throws IOException {
        return read(path, IMAGES_MAGIC);
    }

    /** Reads a label file (magic {@code 0x00000801}): dims {@code (count)}. */
    public static IdxArray readLabels(Path path) throws IOException {
        return read(path, LABELS_MAGIC);
    }

    /**
     * Reads an unsigned-byte IDX file whose magic number must be {@code expectedMagic}
     * ({@code 0x000008NN}, NN = the number of dimensions).
     *
     * @throws MalformedDataException if the magic differs, a size is not positive, the data is shorter
     *                                or longer than the sizes promise, or the gzip stream is damaged; the
     *                                message names {@code path}
     * @throws IOException            if the file cannot be read at all
     */
    public static IdxArray read(Path path, int expectedMagic) throws IOException {
        if ((expectedMagic >>> 8) != UNSIGNED_BYTE_TYPE || (expectedMagic & 0xFF) == 0) {
            throw new IllegalArgumentException("expectedMagic " + hex(expectedMagic)
                    + " is not an unsigned-byte IDX magic number 0x000008NN with NN > 0");
        }
        try (InputStream file = Files.newInputStream(path);
             BufferedInputStream buffered = new BufferedInputStream(file, BUFFER_BYTES)) {
            if (!startsWithGzipMagic(buffered)) {
                return readIdx(buffered, path, expectedMagic, Files.size(path));
            }
            try {
                return readIdx(new GZIPInputStream(buffered, BUFFER_BYTES), path, expectedMagic, -1);
            } catch (ZipException | EOFException e) {
                // Both come from GZIPInputStream (its constructor reads the gzip header): a damaged or cut-off
                // .gz, not a bad IDX header.
                throw new MalformedDataException(path + ": corrupt or truncated gzip data (" + e.getMessage()
                        + "); delete the file and fetch it again", e);
            }
        }
    }

    /**
     * Reads the header and data from {@code in}. {@code fileBytes} is the file's length when {@code in} is
     * the file itself, or -1 behind gunzip, where the length of the data is only known by reading it.
     */
    private static IdxArray readIdx(InputStream in, Path path, int expectedMagic, long fileBytes) throws IOException {
        boolean gzip = fileBytes < 0;
        String where = gzip ? " (after gunzip)" : "";
        int rank = expectedMagic & 0xFF;
        int headerBytes = 4 + 4 * rank;

        int magic = readHeaderInt(in, path, 0, headerBytes, where);
        if (magic != expectedMagic) {
            throw new MalformedDataException(path + ": wrong magic number" + where
                    + ": expected " + hex(expectedMagic) + " (" + describeMagic(expectedMagic) + ")"
                    + ", found " + hex(magic) + " (" + describeMagic(magic) + ")");
        }

        int[] dims = new int[rank];
        long elements = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = readHeaderInt(in, path, 4 + 4 * i, headerBytes, where);
            if (dims[i] <= 0) {
                // The format stores sizes as unsigned 32-bit; anything past 2^31 is corruption here.
                throw new MalformedDataException(path + ": dimension " + i + " of the header is " + dims[i]
                        + " (" + hex(dims[i]) + "); expected a positive size");
            }
            elements *= dims[i];
            if (elements > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(path + ": header sizes " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " describe more than 2^31 elements; a Java array cannot hold them");
            }
        }

        // A corrupt header may promise far more data than there is: never allocate what the header says
        // before knowing the bytes exist. A plain file's length says it; behind gunzip, readNBytes(n) grows
        // its buffer as data arrives, so a short stream costs only what it holds.
        byte[] data;
        if (!gzip && elements > fileBytes - headerBytes) {
            throw truncated(path, where, dims, elements, headerBytes, fileBytes - headerBytes);
        } else if (!gzip) {
            data = new byte[(int) elements];
            int got = in.readNBytes(data, 0, data.length);
            if (got < data.length) { // the file shrank while being read
                throw truncated(path, where, dims, elements, headerBytes, got);
            }
        } else {
            data = in.readNBytes((int) elements);
            if (data.length < elements) {
                throw truncated(path, where, dims, elements, headerBytes, data.length);
            }
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new MalformedDataException(path + ": " + trailing + " trailing byte(s)" + where + " after the "
                    + data.length + " data bytes the header " + dimsString(dims)
                    + " promises; expected the file to end there");
        }
        return new IdxArray(path, dims, data);
    }

    private static MalformedDataException truncated(Path path, String where, int[] dims, long promised,
                                                    int headerBytes, long found) {
        return new MalformedDataException(path + ": truncated" + where + ": the header " + dimsString(dims)
                + " promises " + promised + " data bytes after the " + headerBytes + "-byte header, found " + found);
    }

    /** Peeks at the first two bytes without consuming them. */
    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1;
    }

    /** A big-endian 32-bit int at header offset {@code offset}; a short read means the header is cut off. */
    private static int readHeaderInt(InputStream in, Path path, int offset, int headerBytes, String where)
            throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new MalformedDataException(path + ": truncated" + where + ": the file ends after "
                    + (offset + b.length) + " bytes, inside the " + headerBytes + "-byte IDX header");
        }
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    private static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file";
        }
        int type = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        String kind = magic == IMAGES_MAGIC ? "images, " : magic == LABELS_MAGIC ? "labels, " : "";
        return "IDX " + kind + (type == UNSIGNED_BYTE_TYPE ? "unsigned bytes" : "element type " + hex2(type))
                + ", " + rank + " dimension" + (rank == 1 ? "" : "s");
    }

    private static String dimsString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }

    private static String hex2(int v) {
        return String.format("0x%02x", v);
    }
}
