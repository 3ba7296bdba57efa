package glassbox.data;

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
import java.util.Arrays;
import java.util.HexFormat;
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
 * tries, a seeded generator draws a list of {@link Edit edits} — cut the file at a random length, flip
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

    /**
     * One change to a file's bytes: returns a new array and never fails (offsets are clamped). Tests may add
     * their own (a PNG header field with its checksum fixed, say).
     */
    public interface Edit {
        byte[] apply(byte[] b);

        /** A smaller version of this edit to try while shrinking, or null when there is none. */
        default Edit smaller(int fileLength) {
            return null;
        }
    }

    /** Keeps the first {@code length} bytes. */
    public record Truncate(int length) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            return Arrays.copyOf(b, Math.min(length, b.length));
        }

        @Override
        public Edit smaller(int fileLength) {
            int longer = length + Math.max(1, (fileLength - length) / 2);
            return longer < fileLength ? new Truncate(longer) : null;
        }
    }

    /** Flips bit {@code bit} (0 = least significant) of the byte at {@code offset}. */
    public record FlipBit(int offset, int bit) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            byte[] out = b.clone();
            if (offset < out.length) {
                out[offset] ^= (byte) (1 << bit);
            }
            return out;
        }
    }

    /** Writes {@code value} big-endian over the 4 bytes at {@code offset}: a header size claiming anything. */
    public record PutInt(int offset, int value) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            byte[] out = b.clone();
            if (offset + 4 <= out.length) {
                ByteBuffer.wrap(out).putInt(offset, value);
            }
            return out;
        }

        @Override
        public Edit smaller(int fileLength) {
            return value == 0 ? null : new PutInt(offset, value / 2);
        }
    }

    /** Writes {@code value} big-endian over the 2 bytes at {@code offset} (a modified-UTF-8 length). */
    public record PutShort(int offset, short value) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            byte[] out = b.clone();
            if (offset + 2 <= out.length) {
                ByteBuffer.wrap(out).putShort(offset, value);
            }
            return out;
        }
    }

    /** Replaces {@code removed} bytes at {@code offset} by {@code inserted}: text edits, appended garbage. */
    public record Splice(int offset, int removed, byte[] inserted) implements Edit {
        @Override
        public byte[] apply(byte[] b) {
            int from = Math.min(offset, b.length);
            int to = Math.min(from + removed, b.length);
            byte[] out = new byte[b.length - (to - from) + inserted.length];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(inserted, 0, out, from, inserted.length);
            System.arraycopy(b, to, out, from + inserted.length, b.length - to);
            return out;
        }

        @Override
        public String toString() {
            String shown = inserted.length <= 32 ? HexFormat.of().formatHex(inserted)
                    : HexFormat.of().formatHex(inserted, 0, 32) + "… (" + inserted.length + " bytes)";
            return "Splice[offset=" + offset + ", removed=" + removed + ", inserted=" + shown + "]";
        }
    }

    /** Draws the edits of one try from the valid file's bytes. */
    @FunctionalInterface
    public interface Generator {
        List<Edit> draw(Rng rng, byte[] valid);
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

    // ---- generators shared by the readers' properties ----

    /** Cuts the file at a uniformly random length in {@code [0, length)}. */
    public static Generator truncations() {
        return (rng, valid) -> List.of(new Truncate(rng.nextInt(valid.length)));
    }

    /**
     * Flips 1 to {@code maxFlips} random bits; each lands in the first {@code headerBytes} bytes with
     * probability one half (the header is where a flip changes the most), anywhere otherwise.
     */
    public static Generator bitFlips(int maxFlips, int headerBytes) {
        return (rng, valid) -> {
            int flips = 1 + rng.nextInt(maxFlips);
            List<Edit> edits = new ArrayList<>();
            for (int i = 0; i < flips; i++) {
                int range = rng.nextInt(2) == 0 ? Math.min(headerBytes, valid.length) : valid.length;
                edits.add(new FlipBit(rng.nextInt(range), rng.nextInt(8)));
            }
            return edits;
        };
    }

    /** Sizes a corrupt header might claim: the int extremes, powers of two, and just past the real value. */
    public static int hugeSize(Rng rng, int real) {
        int[] candidates = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, 1 << 30, 1 << 28, 1 << 24, 1 << 20, 65_536,
            46_341 /* its square passes 2^31 */, real + 1, real * 1000, rng.nextInt(Integer.MAX_VALUE)};
        return candidates[rng.nextInt(candidates.length)];
    }

    /** Overwrites one of the int fields at {@code offsets} with a {@link #hugeSize}. */
    public static Generator hugeIntFields(int... offsets) {
        return (rng, valid) -> {
            int offset = offsets[rng.nextInt(offsets.length)];
            int real = offset + 4 <= valid.length ? ByteBuffer.wrap(valid).getInt(offset) : 0;
            return List.of(new PutInt(offset, hugeSize(rng, real)));
        };
    }
}
