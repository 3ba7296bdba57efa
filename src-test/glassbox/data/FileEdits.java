package glassbox.data;

import glassbox.util.Rng;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The damage {@link FileFuzz} does to a file: {@link Edit edits} of its bytes, and the seeded generators
 * that draw them for one try — cuts, bit flips, header fields claiming huge sizes.
 */
public final class FileEdits {
    private FileEdits() {
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
