package glassbox.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a file so that readers see either the old content or the new content, never half of it.
 *
 * <p>The recipe: write everything to a temporary file in the <em>same directory</em> (so that the final
 * step is a rename within one file system), flush it to disk, then rename it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A run killed mid-write (Ctrl-C, out of memory, an exception in the
 * code producing the bytes) leaves the previous file untouched; on failure the temporary file is deleted.
 * Missing parent directories are created.
 *
 * <p>Every file glassbox writes — results, figures, weights — goes through here, so an interrupted run
 * never leaves a truncated {@code results.json} that looks complete.
 */
public final class AtomicFiles {

    /** Something that writes bytes to a stream and may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /** Makes temporary names unique within this JVM; the process id makes them unique across JVMs. */
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {
    }

    /** Atomically replaces {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces {@code target} with whatever {@code writer} writes to the stream it is given.
     * If {@code writer} throws, {@code target} keeps its previous content (or stays absent) and the
     * exception propagates. The stream is buffered; the writer may close it (closing only flushes: the
     * file is finished and renamed here, after the writer returns).
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = createTemp(absolute);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.accept(new NonClosing(out));
                out.flush();
                // Without this, a power cut shortly after the rename can leave an empty file on some
                // file systems: the rename reaches the disk before the data does.
                channel.force(true);
            }
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * Creates an empty {@code .<name>.<pid>-<n>.tmp} next to {@code target}. The leading dot keeps it out
     * of casual {@code ls} listings. Not {@link Files#createTempFile}: that makes the file owner-only
     * (0600), and the rename would carry those permissions over to results meant to be shared; a plain
     * create honours the umask like any other new file.
     */
    private static Path createTemp(Path target) throws IOException {
        while (true) {
            Path temp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + "-" + COUNTER.incrementAndGet() + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // left behind by a killed process that had our pid; take the next name
            }
        }
    }

    /** Hands the writer a stream whose {@code close()} only flushes, so wrapping writers may close it. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;

        NonClosing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
