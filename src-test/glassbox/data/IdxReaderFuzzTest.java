package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.data.FileEdits.Splice;
import glassbox.data.FileFuzz.Target;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IdxReader} on damaged files (see {@link FileFuzz}): whatever the damage, it returns an array
 * whose header and data agree or throws a {@link MalformedDataException} naming the file — and a header
 * that claims billions of elements is refused before anything that size is allocated, gzip'd or not.
 */
class IdxReaderFuzzTest {
    private static final int TRIES = 300;
    /** 5 images of 4 × 3: a 16-byte header and 60 pixel bytes. */
    private static final byte[] IMAGES = IdxFiles.images(5, 4, 3);
    /** 7 labels: an 8-byte header and 7 bytes. */
    private static final byte[] LABELS = IdxFiles.labels(7, 3);

    @TempDir
    Path dir;

    private Target<IdxReader.IdxArray> images(boolean gzip) {
        Path file = dir.resolve(gzip ? "images.idx.gz" : "images.idx");
        return Target.of(file, () -> IdxReader.readImages(file), (a, bytes) -> consistent(a, 3, bytes, gzip),
                MalformedDataException.class);
    }

    private Target<IdxReader.IdxArray> labels(boolean gzip) {
        Path file = dir.resolve(gzip ? "labels.idx.gz" : "labels.idx");
        return Target.of(file, () -> IdxReader.readLabels(file), (a, bytes) -> consistent(a, 1, bytes, gzip),
                MalformedDataException.class);
    }

    /**
     * A successful read has positive sizes whose product is the data length, and writing it back in the
     * format (independently, {@link IdxFiles#idx}) gives the file's bytes — after gunzip for a .gz.
     */
    private static void consistent(IdxReader.IdxArray a, int rank, byte[] bytes, boolean gzip) throws IOException {
        assertEquals(rank, a.dims().length);
        long product = 1;
        for (int d : a.dims()) {
            assertTrue(d > 0, "size " + d);
            product *= d;
        }
        assertEquals(product, a.data().length);
        byte[] plain = gzip ? gunzipFirstMember(bytes) : bytes;
        int magic = rank == 3 ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC;
        assertArrayEquals(plain, IdxFiles.idx(magic, a.dims(), a.data()));
    }

    /** What a gzip reader makes of the bytes (the JDK's, which stops quietly at garbage after a member). */
    private static byte[] gunzipFirstMember(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** Applies {@code plain} edits before gzip'ing: a valid .gz whose content claims whatever the edit says. */
    private static FileEdits.Generator gzipOf(byte[] plain, FileEdits.Generator plainEdits) {
        return (rng, valid) -> {
            byte[] edited = plain;
            for (FileEdits.Edit e : plainEdits.draw(rng, plain)) {
                edited = e.apply(edited);
            }
            try {
                return List.of(new Splice(0, valid.length, IdxFiles.gzip(edited)));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void truncatedFiles() throws IOException {
        FileFuzz.check("idx images truncated", 801, TRIES, IMAGES, FileEdits.truncations(), images(false));
        FileFuzz.check("idx labels truncated", 802, TRIES, LABELS, FileEdits.truncations(), labels(false));
        FileFuzz.check("idx images.gz truncated", 803, TRIES, IdxFiles.gzip(IMAGES), FileEdits.truncations(),
                images(true));
    }

    @Test
    void bitFlippedFiles() throws IOException {
        FileFuzz.check("idx images bit-flipped", 811, TRIES, IMAGES, FileEdits.bitFlips(4, 16), images(false));
        FileFuzz.check("idx labels bit-flipped", 812, TRIES, LABELS, FileEdits.bitFlips(4, 8), labels(false));
        // The header of a .gz is 10 bytes; the deflate stream and its CRC follow.
        FileFuzz.check("idx images.gz bit-flipped", 813, TRIES, IdxFiles.gzip(IMAGES), FileEdits.bitFlips(3, 10),
                images(true));
    }

    @Test
    void headersClaimingHugeSizes() throws IOException {
        FileEdits.Generator imageSizes = FileEdits.hugeIntFields(4, 8, 12);
        FileFuzz.check("idx images huge sizes", 821, TRIES, IMAGES, imageSizes, images(false));
        FileFuzz.check("idx labels huge count", 822, TRIES, LABELS, FileEdits.hugeIntFields(4), labels(false));
        // gzip hides the file's real length from the reader: only reading the data can tell it is short.
        FileFuzz.check("idx images.gz huge sizes", 823, TRIES, IdxFiles.gzip(IMAGES), gzipOf(IMAGES, imageSizes),
                images(true));
    }
}
