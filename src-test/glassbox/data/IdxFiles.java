package glassbox.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Test helper: writes small IDX files byte by byte, following the format's definition (not IdxReader). */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX file: big-endian magic, big-endian sizes, then {@code data} as is. */
    public static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length); // big-endian by default
        header.putInt(magic);
        for (int d : dims) {
            header.putInt(d);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    /** {@code count} images of {@code rows × cols} whose pixel k of image i is {@code (i·7 + k·13) mod 256}. */
    static byte[] imagePixels(int count, int rows, int cols) {
        byte[] data = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < rows * cols; k++) {
                data[i * rows * cols + k] = (byte) ((i * 7 + k * 13) % 256);
            }
        }
        return data;
    }

    static byte[] images(int count, int rows, int cols) {
        return idx(IdxReader.IMAGES_MAGIC, new int[] {count, rows, cols}, imagePixels(count, rows, cols));
    }

    /** Labels {@code i mod numClasses}. */
    static byte[] labels(int count, int numClasses) {
        byte[] data = new byte[count];
        for (int i = 0; i < count; i++) {
            data[i] = (byte) (i % numClasses);
        }
        return idx(IdxReader.LABELS_MAGIC, new int[] {count}, data);
    }
}
