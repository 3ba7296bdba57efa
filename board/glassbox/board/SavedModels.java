package glassbox.board;

import glassbox.nn.Sequential;
import glassbox.nn.io.ModelFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Saved models ({@code .gbx}) loaded for the board, each kept while its file stays the same version: the
 * same path, modification time and size. An experiment that saves again replaces the file by an atomic
 * rename ({@code ModelFiles.save}), so a read sees either the old file or the new one whole; a file whose
 * version changed while it was being read is used for that request but not kept, so the next request reads
 * it again. A file that fails to load is never kept either.
 *
 * <p>What is computed from a model that takes seconds — the predictions behind its confusion matrix — is
 * kept with the version it was computed from, and so is dropped with it.
 */
final class SavedModels {
    /** How many models stay loaded (the custom CNN is 1 MB of weights; the board shows one at a time). */
    private static final int KEPT = 8;

    /** A model file's version: a new save changes its modification time (and usually its size). */
    record Version(long modified, long size) {
        static Version of(Path file) throws IOException {
            return new Version(Files.getLastModifiedTime(file).toMillis(), Files.size(file));
        }
    }

    /** One loaded version of a model file, with what has been computed from it. */
    static final class Entry {
        private final Version version;
        private final ModelViewer viewer;
        private final Map<Object, Object> computed = new LinkedHashMap<>();

        Entry(Version version, ModelViewer viewer) {
            this.version = version;
            this.viewer = viewer;
        }

        ModelViewer viewer() {
            return viewer;
        }

        /**
         * What {@code compute} gives for {@code key}, computed once per model version (two requests at once
         * compute it once: the second waits).
         */
        @SuppressWarnings("unchecked")
        synchronized <T> T computed(Object key, Supplier<T> compute) {
            return (T) computed.computeIfAbsent(key, k -> compute.get());
        }
    }

    /**
     * A model file that cannot be loaded, with one line naming the file (by its name, not its path) and what
     * is wrong, e.g. {@code custom-model.gbx is truncated: it ends inside the weights section (52 bytes)}.
     */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private final Map<Path, SavedModels.Entry> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, SavedModels.Entry> eldest) {
            return size() > KEPT;
        }
    };

    /** The model in {@code file} (a path the caller has already checked lies in the runs folder). */
    Entry get(Path file) throws Unreadable {
        Path key = file.toAbsolutePath().normalize();
        String name = key.getFileName().toString();
        try {
            Version before = Version.of(key);
            synchronized (this) {
                Entry entry = kept.get(key);
                if (entry != null && entry.version.equals(before)) {
                    return entry;
                }
            }
            Sequential model = ModelFiles.load(key);
            Entry entry = new Entry(before, new ModelViewer(model, name));
            if (Version.of(key).equals(before)) {
                synchronized (this) {
                    kept.put(key, entry);
                }
            }
            return entry;
        } catch (NoSuchFileException e) {
            throw new Unreadable(name + ": no such file (was the run deleted?)");
        } catch (IOException | RuntimeException e) {
            throw new Unreadable(oneLine(key, e));
        }
    }

    /**
     * The error's message with the file's full path replaced by its name, first line only; an error without
     * one (a bug in a layer's loading, say) by its type.
     */
    static String oneLine(Path file, Exception e) {
        String name = file.getFileName().toString();
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return name + ": cannot be loaded (" + e.getClass().getSimpleName() + ")";
        }
        message = message.replace(file.toString(), name).lines().findFirst().orElse("").strip();
        return message.startsWith(name) ? message : name + ": " + message;
    }
}
