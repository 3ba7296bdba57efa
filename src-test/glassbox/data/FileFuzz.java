package glassbox.data;

import glassbox.data.FileEdits.Edit;
import glassbox.data.FileEdits.Generator;
import glassbox.util.Rng;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small property-based fuzzer for file readers, on JUnit 5 and {@link Rng} alone.
 *
 * <p>A property starts from the bytes of a valid file that the test wrote. For each of a fixed number of
 * tries, a seeded generator draws a list of {@link FileEdits edits} — cut the file at a random length, flip
 * random bits, overwrite a header field with a huge size, splice text in — the damaged bytes are written
 * to the reader's file, and the reader runs on it. The property holds when every try either
 * <ul>
 *   <li>returns a result that passes the test's consistency check, or</li>
 *   <li>throws exactly one of the documented exception classes (not a subclass: an {@code EOFException}
 *       leaking out of an {@code IOException} contract counts as a failure) with a message that contains
 *       the path the test names,</li>
 * </ul>
 * and never anything else: no other exception, no {@link Error} (out of memory, stack overflow), no run
 * longer than {@link #TIME_LIMIT} (2 s), and no allocation beyond the property's budget (measured per thread
 * with {@code com.sun.management.ThreadMXBean}), so a header that claims 2³¹ elements is caught even
 * when the heap could have held them.
 *
 * <p>A failing try is shrunk before it is reported: edits are dropped one at a time while the failure
 * persists, a cut is moved towards the end of the file and an overwritten value towards zero. The report
 * names the property, its seed, the try and the smallest edit list found, and the damaged file is kept
 * in {@code target/fuzz-failures/} to reproduce it by hand.
 *
 * <p>Why not jqwik: from 1.10 on its authors ask that it not be used by AI coding agents, which write
 * much of this project's code; this class keeps the method (seeded generation, many tries, shrinking,
 * a reproducible report) without the dependency.
 */
public final class FileFuzz {
    /** The longest a single read may take: far beyond any read of these small files. */
    public static final Duration TIME_LIMIT = Duration.ofSeconds(2);
    /** How long shrinking a failing try may take. */
    private static final Duration SHRINK_LIMIT = Duration.ofSeconds(20);
    /** Where a failing try's damaged file is kept (relative to the Maven project directory). */
    private static final Path FAILURES = Path.of("target", "fuzz-failures");

    private FileFuzz() {
    }

    /** Reads the damaged file. */
    @FunctionalInterface
    public interface Reader<T> {
        T read() throws Exception;
    }

    /** Checks a successful read against the bytes that were read. */
    @FunctionalInterface
    public interface Check<T> {
        void accept(T result, byte[] bytes) throws Exception;
    }

    /**
     * What a property runs: the file the damaged bytes go to, how it is read, what a successful read must
     * satisfy, the exception classes the reader documents, the path its messages must contain, and how
     * many bytes a read may allocate: {@code fixedBytes + bytesPerFileByte × file length}, and for how long.
     */
    public record Target<T>(Path file, Reader<T> reader, Check<T> ifRead, Set<Class<? extends IOException>> documented,
                            String named, long fixedBytes, long bytesPerFileByte, Duration timeLimit) {
        /**
         * A target whose messages must name {@code file}, which may allocate 16 MB + 64 bytes per file byte
         * and take {@link #TIME_LIMIT}.
         */
        public static <T> Target<T> of(Path file, Reader<T> reader, Check<T> ifRead,
                                       Class<? extends IOException> documented) {
            return new Target<>(file, reader, ifRead, Set.of(documented), file.toString(), 16L << 20, 64, TIME_LIMIT);
        }

        public Target<T> withTimeLimit(Duration limit) {
            return new Target<>(file, reader, ifRead, documented, named, fixedBytes, bytesPerFileByte, limit);
        }
    }

    /** The thread reads run on, so that a read that hangs can be abandoned (one thread, reused: fast). */
    private static ExecutorService reader;

    private static synchronized ExecutorService reader() {
        if (reader == null) {
            reader = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "file-fuzz-reader");
                t.setDaemon(true);
                return t;
            });
        }
        return reader;
    }

    private static synchronized void abandonReader() {
        reader.shutdownNow();
        reader = null;
    }

    /** Whether the last {@link #failure} run returned a result rather than throwing (for the summary line). */
    private static boolean lastReadSucceeded;

    /**
     * Writes {@code bytes} over {@code file} without truncating it to zero first: on ext4, closing a file
     * that was truncated to zero and rewritten forces it to disk (auto_da_alloc), milliseconds a try.
     */
    private static void overwrite(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.truncate(bytes.length);
        }
    }

    /** What one try did, in words, or null when the property held. */
    private static String failure(Target<?> target, byte[] bytes) throws IOException {
        overwrite(target.file(), bytes);
        Object[] outcome = new Object[2]; // {result or thrown, allocated bytes}
        Future<?> run = reader().submit(() -> {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                outcome[0] = target.reader().read();
            } catch (Throwable t) { // Errors included: an OutOfMemoryError is a finding, not a crash
                outcome[0] = t;
            }
            outcome[1] = threads.getCurrentThreadAllocatedBytes() - before;
        });
        try {
            run.get(target.timeLimit().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            abandonReader(); // it may never return: later tries get a fresh thread
            return "did not finish within " + target.timeLimit().toMillis() + " ms";
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
        long allocated = (Long) outcome[1];
        long budget = target.fixedBytes() + target.bytesPerFileByte() * bytes.length;
        if (allocated > budget) {
            return "allocated " + allocated + " bytes reading a " + bytes.length + "-byte file (budget " + budget + ")"
                    + (outcome[0] instanceof Throwable t ? ", then threw " + t : "");
        }
        lastReadSucceeded = !(outcome[0] instanceof Throwable);
        if (outcome[0] instanceof Throwable t) {
            boolean documented = target.documented().contains(t.getClass());
            String message = t.getMessage();
            if (documented && message != null && message.contains(target.named())) {
                return null;
            }
            return documented ? "threw " + t.getClass().getSimpleName() + " whose message does not name "
                    + target.named() + ": " + message : "threw " + describe(t);
        }
        try {
            @SuppressWarnings("unchecked")
            Check<Object> check = (Check<Object>) target.ifRead();
            check.accept(outcome[0], bytes);
            return null;
        } catch (Throwable t) {
            return "read without error, but the result is inconsistent: " + describe(t);
        }
    }

    private static String describe(Throwable t) {
        StackTraceElement[] where = t.getStackTrace();
        return t + (where.length > 0 ? " at " + where[0] : "");
    }

    /**
     * Runs {@code tries} tries of {@code generator} from {@code seed} on {@code valid} against {@code target}
     * and fails with a shrunk, reproducible report at the first try that breaks the property.
     */
    public static void check(String property, long seed, int tries, byte[] valid, Generator generator,
                             Target<?> target) throws IOException {
        overwrite(target.file(), valid);
        try { // warm up: class loading and one-off caches (ImageIO's plug-in registry) are not the reader's cost
            target.reader().read();
        } catch (Exception e) {
            // reported by the measured run just below
        }
        String original = failure(target, valid);
        if (original != null) {
            throw new AssertionError(property + ": the valid file itself fails: " + original);
        }
        Rng rng = new Rng(seed);
        int read = 0;
        for (int t = 0; t < tries; t++) {
            List<Edit> edits = generator.draw(rng, valid);
            byte[] damaged = apply(valid, edits);
            String why = failure(target, damaged);
            read += why == null && lastReadSucceeded ? 1 : 0;
            if (why != null) {
                List<Edit> shrunk = shrink(target, valid, edits);
                byte[] bytes = apply(valid, shrunk);
                Files.createDirectories(FAILURES);
                Path kept = FAILURES.resolve(property.replaceAll("[^A-Za-z0-9_-]", "_") + "-try" + t + ".bin");
                Files.write(kept, bytes);
                throw new AssertionError(property + " (seed " + seed + ", try " + t + "): " + failure(target, bytes)
                        + "\n  edits: " + shrunk + "\n  damaged file kept as " + kept.toAbsolutePath());
            }
        }
        overwrite(target.file(), valid); // the next property of the same test starts from intact files
        System.out.println("FileFuzz " + property + ": " + tries + " tries, " + read + " read consistently, "
                + (tries - read) + " refused with the documented error");
    }

    private static byte[] apply(byte[] valid, List<Edit> edits) {
        byte[] b = valid;
        for (Edit e : edits) {
            b = e.apply(b);
        }
        return b;
    }

    /**
     * Drops edits and makes the rest smaller while the property still fails: a greedy search, stopped after
     * {@link #SHRINK_LIMIT} so that a try that hangs is not re-run for minutes.
     */
    private static List<Edit> shrink(Target<?> target, byte[] valid, List<Edit> edits) throws IOException {
        long deadline = System.nanoTime() + SHRINK_LIMIT.toNanos();
        List<Edit> current = new ArrayList<>(edits);
        for (int round = 0; round < 64 && System.nanoTime() < deadline; round++) {
            boolean progress = false;
            for (int i = 0; i < current.size() && current.size() > 1; i++) {
                List<Edit> fewer = new ArrayList<>(current);
                fewer.remove(i);
                if (failure(target, apply(valid, fewer)) != null) {
                    current = fewer;
                    progress = true;
                    i--;
                }
            }
            for (int i = 0; i < current.size(); i++) {
                Edit smaller = current.get(i).smaller(valid.length);
                if (smaller != null) {
                    List<Edit> tried = new ArrayList<>(current);
                    tried.set(i, smaller);
                    if (failure(target, apply(valid, tried)) != null) {
                        current = tried;
                        progress = true;
                    }
                }
            }
            if (!progress) {
                break;
            }
        }
        return current;
    }
}
