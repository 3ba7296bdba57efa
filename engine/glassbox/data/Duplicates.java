package glassbox.data;

import glassbox.neighbors.NearestNeighbors;
import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The same image twice: exact duplicates by content hash, near duplicates by nearest-neighbour distance —
 * the overlap check of the Udacity notMNIST assignment (problem 5), which a model's test score silently
 * depends on (Barz &amp; Denzler 2020, "Do we train on test data? Purging CIFAR of near-duplicates", found
 * 3.3 % of CIFAR-10's test images in its training set).
 *
 * <p>A sample is the whole of its row along axis 0 ({@code (n, 28, 28)} images or {@code (n, 784)} rows
 * alike), and its content is its float32 values.
 *
 * <p><b>Exact duplicates</b> ({@link #firstCopy}, {@link #matchIn}). Each sample is reduced to the
 * SHA-256 digest of its bytes — the float32 values little-endian, the bytes {@code hashlib.sha256(x[i])}
 * sees for a NumPy float32 array — samples are grouped by digest in a hash map, and every candidate found
 * that way is then confirmed by comparing the values themselves, so a digest collision can never merge two
 * different images. Expected cost: one pass over the bytes plus one comparison per true duplicate. This is
 * pandas' {@code df.duplicated(keep="first")} on the rows, and NumPy's {@code np.unique(x, axis=0)}.
 *
 * <p><b>Near duplicates</b> ({@link #nearest}, {@link #nearestDistinct}). Each query's nearest row by
 * Euclidean distance, from {@link NearestNeighbors#kneighbors} (exact, blocked GEMMs over all cores, never
 * an {@code n×n} matrix). Within one set the search runs over the distinct samples only ({@code k = 2}: a
 * sample finds itself first at distance 0, then its nearest <em>different</em> sample), so that exact and
 * near duplicates are disjoint findings. Which distance counts as "near" is the caller's choice: it depends
 * on the scale of the data and is best read off the distribution of these very distances.
 *
 * <p>Invalid input — null, empty, or holding NaN or ±∞ — is an {@code IllegalArgumentException} naming the
 * argument.
 */
public final class Duplicates {
    private Duplicates() {
    }

    /**
     * A sample and its nearest neighbour in a set: {@code first} is the query's row, {@code second} the
     * neighbour's row (in the same set for {@link #nearestDistinct}, in the reference set for
     * {@link #nearest}), {@code distance} Euclidean.
     */
    public record Pair(int first, int second, float distance) {
    }

    /**
     * Each query's nearest row. Entry {@code i} says: sample {@code query[i]} has its nearest row at
     * {@code index[i]}, at Euclidean distance {@code distance[i]}.
     *
     * @param query    the queried rows: all of them ({@link #nearest}), or the first copy of each distinct
     *                 sample ({@link #nearestDistinct})
     * @param index    the nearest row of each query; {@code -1} when a set has a single distinct sample
     * @param distance its Euclidean distance; {@code +∞} where {@code index} is {@code -1}
     * @param sameSet  whether queries and neighbours are rows of one set ({@link #nearestDistinct})
     */
    public record Nearest(int[] query, int[] index, float[] distance, boolean sameSet) {
        /**
         * The near duplicates at most {@code maxDistance} apart and not identical ({@code 0 < d ≤ maxDistance}),
         * closest first (ties by row). Within one set each unordered pair appears once, as
         * {@code (lower row, higher row)}, though both may name each other as nearest.
         */
        public List<Pair> pairs(double maxDistance) {
            if (!(maxDistance >= 0)) {
                throw new IllegalArgumentException("maxDistance is " + maxDistance + "; expected a distance >= 0");
            }
            List<Pair> pairs = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < query.length; i++) {
                if (index[i] < 0 || !(distance[i] > 0 && distance[i] <= maxDistance)) {
                    continue;
                }
                int a = sameSet ? Math.min(query[i], index[i]) : query[i];
                int b = sameSet ? Math.max(query[i], index[i]) : index[i];
                if (!sameSet || seen.add((long) a << 32 | b)) {
                    pairs.add(new Pair(a, b, distance[i]));
                }
            }
            pairs.sort(Comparator.comparingDouble(Pair::distance).thenComparingInt(Pair::first)
                    .thenComparingInt(Pair::second));
            return pairs;
        }

        /** How many queries have their nearest row at most {@code maxDistance} away, identical copies included. */
        public int countWithin(double maxDistance) {
            int count = 0;
            for (float d : distance) {
                count += d <= maxDistance ? 1 : 0;
            }
            return count;
        }
    }

    /**
     * The SHA-256 digest of every sample's bytes: its float32 values, little-endian (what
     * {@code hashlib.sha256(x[i]).digest()} gives for a NumPy float32 array).
     */
    public static byte[][] sha256(Tensor x) {
        int n = samples("x", x);
        int row = x.rowLength();
        float[] v = x.data();
        MessageDigest digest = newSha256();
        byte[] bytes = new byte[row * Float.BYTES];
        byte[][] out = new byte[n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < row; j++) {
                int bits = Float.floatToRawIntBits(v[i * row + j]);
                bytes[j * 4] = (byte) bits;
                bytes[j * 4 + 1] = (byte) (bits >>> 8);
                bytes[j * 4 + 2] = (byte) (bits >>> 16);
                bytes[j * 4 + 3] = (byte) (bits >>> 24);
            }
            out[i] = digest.digest(bytes);
        }
        return out;
    }

    /**
     * For each sample {@code i}, the lowest row {@code j <= i} with exactly the same content: {@code j == i}
     * for the first copy of each distinct sample. pandas' {@code duplicated(keep="first")} is
     * {@code firstCopy[i] != i}; the number of distinct samples is the number of {@code i} with
     * {@code firstCopy[i] == i}.
     */
    public static int[] firstCopy(Tensor x) {
        return firstCopy(x, sha256(x));
    }

    /**
     * {@link #firstCopy(Tensor)} with each sample's digest given (from {@link #sha256}), so that a set compared
     * several times is hashed once. Any digest works so long as identical samples get identical digests: samples
     * are grouped by digest, then compared value by value.
     */
    public static int[] firstCopy(Tensor x, byte[][] keys) {
        return firstCopy("x", x, keys);
    }

    private static int[] firstCopy(String argument, Tensor x, byte[][] keys) {
        int n = samples(argument, x);
        requireKeys("digests of " + argument, keys, n);
        int row = x.rowLength();
        Map<ByteBuffer, List<Integer>> groups = new HashMap<>();
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            List<Integer> candidates = groups.computeIfAbsent(ByteBuffer.wrap(keys[i]), k -> new ArrayList<>(1));
            first[i] = confirmed(candidates, x.data(), row, x.data(), i);
            if (first[i] < 0) {
                candidates.add(i);
                first[i] = i;
            }
        }
        return first;
    }

    /**
     * For each row of {@code queries}, the lowest row of {@code reference} with exactly the same content, or
     * {@code -1} if there is none: NumPy's {@code np.isin} on whole images. A sanitised query set keeps the
     * rows where this is {@code -1} ({@link #unmatched}).
     *
     * @throws IllegalArgumentException if either set is invalid or their samples differ in size
     */
    public static int[] matchIn(Tensor reference, Tensor queries) {
        return matchIn(reference, sha256(reference), queries, sha256(queries));
    }

    /** {@link #matchIn(Tensor, Tensor)} with the digests given, as {@link #firstCopy(Tensor, byte[][])}. */
    public static int[] matchIn(Tensor reference, byte[][] referenceKeys, Tensor queries, byte[][] queryKeys) {
        int[] first = firstCopy("reference", reference, referenceKeys);
        requireKeys("digests of queries", queryKeys, samples("queries", queries));
        int row = reference.rowLength();
        if (queries.rowLength() != row) {
            throw new IllegalArgumentException("queries have samples of shape "
                    + Tensor.shapeString(Arrays.copyOfRange(queries.shape(), 1, queries.rank()))
                    + " but reference has " + Tensor.shapeString(Arrays.copyOfRange(reference.shape(), 1,
                    reference.rank())) + "; expected samples of the same size");
        }
        // Only first copies enter the map, so the match found is the lowest reference row with that content.
        Map<ByteBuffer, List<Integer>> groups = new HashMap<>();
        for (int r = 0; r < first.length; r++) {
            if (first[r] == r) {
                groups.computeIfAbsent(ByteBuffer.wrap(referenceKeys[r]), k -> new ArrayList<>(1)).add(r);
            }
        }
        int[] match = new int[queries.dim(0)];
        for (int q = 0; q < match.length; q++) {
            List<Integer> candidates = groups.get(ByteBuffer.wrap(queryKeys[q]));
            match[q] = candidates == null ? -1 : confirmed(candidates, reference.data(), row, queries.data(), q);
        }
        return match;
    }

    /** The rows {@code i} with {@code match[i] == -1}, in order: the queries to keep in a sanitised set. */
    public static int[] unmatched(int[] match) {
        return IntStream.range(0, match.length).filter(i -> match[i] < 0).toArray();
    }

    /**
     * Each row of {@code queries} with its nearest row of {@code reference} (an identical copy, if there is
     * one, at distance 0). scikit-learn's {@code NearestNeighbors(n_neighbors=1).fit(reference)
     * .kneighbors(queries)}.
     */
    public static Nearest nearest(Tensor reference, Tensor queries) {
        samples("reference", reference);
        int nq = samples("queries", queries);
        if (queries.rowLength() != reference.rowLength()) {
            throw new IllegalArgumentException("queries have " + queries.rowLength() + " values per sample but "
                    + "reference has " + reference.rowLength() + "; expected samples of the same size");
        }
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(matrix(reference), matrix(queries), 1);
        int[] query = new int[nq];
        Arrays.setAll(query, i -> i);
        return new Nearest(query, r.indices(), r.distances(), false);
    }

    /**
     * For the first copy of each distinct sample of {@code x}, its nearest <em>different</em> sample (named
     * by that sample's first copy): the near-duplicate search within one set. Exact copies are left out of
     * the search, so every distance is {@code > 0}; a set of one distinct sample gives index {@code -1}.
     */
    public static Nearest nearestDistinct(Tensor x) {
        return nearestDistinct(x, firstCopy(x));
    }

    /**
     * {@link #nearestDistinct(Tensor)} with {@link #firstCopy} already known (of these samples, or of the same
     * samples before an element-wise scaling that keeps distinct values distinct, such as dividing by 255).
     */
    public static Nearest nearestDistinct(Tensor x, int[] first) {
        int n = samples("x", x);
        if (first == null || first.length != n) {
            throw new IllegalArgumentException("firstCopy has " + (first == null ? "no" : first.length) + " entries; "
                    + "expected one per sample of x (" + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (first[i] < 0 || first[i] > i || first[first[i]] != first[i]) {
                throw new IllegalArgumentException("firstCopy[" + i + "] = " + first[i] + " is not a first copy at "
                        + "or before row " + i + "; expected the output of firstCopy(x)");
            }
        }
        int[] distinct = IntStream.range(0, first.length).filter(i -> first[i] == i).toArray();
        int[] index = new int[distinct.length];
        float[] distance = new float[distinct.length];
        if (distinct.length == 1) {
            index[0] = -1;
            distance[0] = Float.POSITIVE_INFINITY;
            return new Nearest(distinct, index, distance, true);
        }
        Tensor unique = matrix(x).gather(distinct);
        // k = 2: each distinct sample is its own nearest (distance exactly 0, and no other row is identical),
        // so the second neighbour is the nearest different one.
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(unique, unique, 2);
        for (int u = 0; u < distinct.length; u++) {
            int other = r.index(u, 0) == u ? 1 : 0;
            index[u] = distinct[r.index(u, other)];
            distance[u] = r.distance(u, other);
        }
        return new Nearest(distinct, index, distance, true);
    }

    /** The first candidate row of {@code a} whose values equal row {@code i} of {@code b}, or -1. */
    private static int confirmed(List<Integer> candidates, float[] a, int row, float[] b, int i) {
        for (int c : candidates) {
            if (Arrays.equals(a, c * row, (c + 1) * row, b, i * row, (i + 1) * row)) {
                return c;
            }
        }
        return -1;
    }

    private static void requireKeys(String argument, byte[][] keys, int n) {
        if (keys == null || keys.length != n) {
            throw new IllegalArgumentException(argument + " has " + (keys == null ? "no" : keys.length) + " entries; "
                    + "expected one digest per sample (" + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (keys[i] == null) {
                throw new IllegalArgumentException(argument + "[" + i + "] is null; expected a digest");
            }
        }
    }

    /** Validates a set of samples (finite, at least one, each non-empty) and returns the count. */
    private static int samples(String argument, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(argument + " is null; expected samples along axis 0");
        }
        if (x.rank() < 1 || x.dim(0) == 0 || x.rowLength() == 0) {
            throw new IllegalArgumentException(argument + " has shape " + Tensor.shapeString(x.shape())
                    + "; expected at least one non-empty sample along axis 0");
        }
        PairwiseDistances.requireFiniteMatrix(argument, matrix(x));
        return x.dim(0);
    }

    /** The samples as an {@code (n, values per sample)} matrix, sharing the data. */
    private static Tensor matrix(Tensor x) {
        return x.rank() == 2 ? x : x.reshape(x.dim(0), x.rowLength());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE platform must provide it)", e);
        }
    }
}
