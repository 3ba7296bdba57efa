package glassbox.data;

import java.io.IOException;

/**
 * A data file is present but its contents are wrong: a bad magic number, fewer or more bytes than its
 * header promises, an image of the wrong size, image and label files that disagree on the count.
 *
 * <p>A checked {@link IOException} because it is a fault of a file on disk, not of the calling code, and
 * callers that read files already handle {@code IOException}. The message always starts with the file's
 * path and says what was expected and what was found.
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
