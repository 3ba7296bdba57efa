package glassbox.data;

import java.io.IOException;

/**
 * A data file is present but its contents are wrong: a bad magic number, fewer or more bytes than its
 * header promises, an image of the wrong size, image and label files that disagree on the count.
 *
 * <p>A checked {@link IOException} because it is a fault of a file on disk, not of the calling code, and
 * callers that read files already handle {@code IOException}. The message always starts with the file's
 * path and says what was expected and what was found.
 *
 * <p>It is the one exception {@link IdxReader}, {@link CsvDatasetReader} and {@link ImageFolderReader}
 * throw for a file's contents, whatever those are: a truncated, bit-flipped or oversized file never
 * surfaces as an {@code EOFException}, an {@code ArrayIndexOutOfBoundsException}, a
 * {@code NumberFormatException} or an {@code OutOfMemoryError} (each reader's fuzz test checks this).
 * Files that are missing are {@link java.nio.file.NoSuchFileException}s instead.
 */
public class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
