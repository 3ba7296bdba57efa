package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicatesTest {

    /** {@code n} samples of {@code d} small integers, with {@code copies} rows overwritten by earlier rows. */
    private static float[] withCopies(int n, int d, int copies, Rng rng) {
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(256);
        }
        for (int c = 0; c < copies; c++) {
            int to = 1 + rng.nextInt(n - 1);
            int from = rng.nextInt(to);
            System.arraycopy(v, from * d, v, to * d, d);
        }
        return v;
    }

    private static boolean same(float[] a, int i, float[] b, int j, int d) {
        for (int k = 0; k < d; k++) {
            if (a[i * d + k] != b[j * d + k]) {
                return false;
            }
        }
        return true;
    }

    /** Brute force: the lowest row of {@code ref} equal to query row {@code q}, or -1. */
    private static int[] bruteMatch(float[] ref, int n, float[] queries, int nq, int d) {
        int[] match = new int[nq];
        for (int q = 0; q < nq; q++) {
            match[q] = -1;
            for (int r = 0; r < n && match[q] < 0; r++) {
                if (same(ref, r, queries, q, d)) {
                    match[q] = r;
                }
            }
        }
        return match;
    }

    private static double distance(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = (double) a[i * d + k] - b[j * d + k];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    @Test
    void sha256IsHashlibsDigestOfTheFloat32Bytes() {
        // python: hashlib.sha256(np.array([1, 2, 3, 4], np.float32).tobytes()).hexdigest(), and the second row
        Tensor x = new Tensor(new float[]{1, 2, 3, 4, 0.5f, -2, 255, 0}, 2, 4);
        byte[][] digests = Duplicates.sha256(x);
        assertEquals("ad73b9acd6e4a74b2f5bb5386658ce3bb146cd040a1867646ab3b973fb6632b1",
                HexFormat.of().formatHex(digests[0]));
        assertEquals("1f5e4e2bb9317573b06ca37b681e4ce576200557aaa5709b71ccb354431f0328",
                HexFormat.of().formatHex(digests[1]));
    }

    @Test
    void firstCopyIsTheLowestIdenticalRowFoundByBruteForce() {
        int n = 300;
        int d = 16;
        float[] v = withCopies(n, d, 40, new Rng(1));
        int[] first = Duplicates.firstCopy(new Tensor(v, n, 4, 4));
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = bruteMatch(v, i + 1, v, n, d)[i];
        }
        assertArrayEquals(expected, first);
        assertTrue(Arrays.stream(expected).filter(j -> j >= 0).count() == n);
        long repeats = java.util.stream.IntStream.range(0, n).filter(i -> first[i] != i).count();
        assertTrue(repeats >= 30, "planted copies found: " + repeats);
    }

    @Test
    void collidingDigestsNeverMergeDifferentSamples() {
        int n = 60;
        int d = 5;
        float[] v = withCopies(n, d, 10, new Rng(2));
        Tensor x = new Tensor(v, n, d);
        byte[][] collide = new byte[n][];
        Arrays.fill(collide, new byte[]{42});
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = bruteMatch(v, i + 1, v, n, d)[i];
        }
        assertArrayEquals(expected, Duplicates.firstCopy(x, collide));

        float[] q = withCopies(20, d, 0, new Rng(3));
        System.arraycopy(v, 7 * d, q, 4 * d, d);
        Tensor queries = new Tensor(q, 20, d);
        byte[][] collideQ = new byte[20][];
        Arrays.fill(collideQ, new byte[]{42});
        assertArrayEquals(bruteMatch(v, n, q, 20, d), Duplicates.matchIn(x, collide, queries, collideQ));
    }

    @Test
    void matchInGivesTheLowestReferenceCopyAndSanitisingLeavesNoOverlap() {
        int d = 9;
        Rng rng = new Rng(4);
        float[] ref = withCopies(200, d, 30, rng);
        float[] q = withCopies(80, d, 5, rng);
        for (int c = 0; c < 25; c++) {
            System.arraycopy(ref, rng.nextInt(200) * d, q, rng.nextInt(80) * d, d);
        }
        int[] match = Duplicates.matchIn(new Tensor(ref, 200, d), new Tensor(q, 80, d));
        int[] expected = bruteMatch(ref, 200, q, 80, d);
        assertArrayEquals(expected, match);
        assertTrue(Arrays.stream(expected).filter(m -> m >= 0).count() >= 15);

        int[] kept = Duplicates.unmatched(match);
        assertEquals(Arrays.stream(expected).filter(m -> m < 0).count(), kept.length);
        for (int k : kept) {
            for (int r = 0; r < 200; r++) {
                assertTrue(!same(ref, r, q, k, d), "kept query " + k + " equals reference row " + r);
            }
        }
    }

    @Test
    void nearestIsTheBruteForceNearestReferenceRow() {
        int d = 8;
        Rng rng = new Rng(5);
        float[] ref = new float[50 * d];
        float[] q = new float[20 * d];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) rng.nextGaussian();
        }
        System.arraycopy(ref, 13 * d, q, 2 * d, d);
        Duplicates.Nearest nearest = Duplicates.nearest(new Tensor(ref, 50, d), new Tensor(q, 20, d));
        for (int i = 0; i < 20; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int r = 0; r < 50; r++) {
                double dist = distance(q, i, ref, r, d);
                if (dist < bestD) {
                    bestD = dist;
                    best = r;
                }
            }
            assertEquals(i, nearest.query()[i]);
            assertEquals(best, nearest.index()[i], "query " + i);
            assertEquals(bestD, nearest.distance()[i], 1e-5 * (1 + bestD));
        }
        assertEquals(13, nearest.index()[2]);
        assertEquals(0f, nearest.distance()[2]);
    }

    @Test
    void nearestDistinctSkipsExactCopiesAndNamesFirstCopies() {
        int n = 120;
        int d = 6;
        float[] v = withCopies(n, d, 20, new Rng(6));
        Duplicates.Nearest nearest = Duplicates.nearestDistinct(new Tensor(v, n, d));
        Duplicates.Nearest given = Duplicates.nearestDistinct(new Tensor(v, n, d),
                Duplicates.firstCopy(new Tensor(v, n, d)));
        assertArrayEquals(nearest.index(), given.index());
        assertArrayEquals(nearest.distance(), given.distance());
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = bruteMatch(v, i + 1, v, n, d)[i];
        }
        int[] distinct = java.util.stream.IntStream.range(0, n).filter(i -> first[i] == i).toArray();
        assertArrayEquals(distinct, nearest.query());
        for (int u = 0; u < distinct.length; u++) {
            int i = distinct[u];
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j : distinct) {
                double dist = distance(v, i, v, j, d);
                if (j != i && dist < bestD) {
                    bestD = dist;
                    best = j;
                }
            }
            assertEquals(best, nearest.index()[u], "sample " + i);
            assertEquals(bestD, nearest.distance()[u], 1e-4 * bestD);
            assertTrue(nearest.distance()[u] > 0);
        }
    }

    @Test
    void pairsAreNearButNotIdenticalAndCountedOnceWithinASet() {
        // One feature: 0, 0.1, 5, 5.05, and a copy of 5. Distinct: rows 0, 1, 2, 3.
        Tensor x = new Tensor(new float[]{0, 0.1f, 5, 5.05f, 5}, 5, 1);
        Duplicates.Nearest within = Duplicates.nearestDistinct(x);
        assertArrayEquals(new int[]{0, 1, 2, 3}, within.query());
        List<Duplicates.Pair> pairs = within.pairs(0.2);
        assertEquals(2, pairs.size(), pairs.toString());
        assertEquals(2, pairs.get(0).first());
        assertEquals(3, pairs.get(0).second());
        assertEquals(0.05, pairs.get(0).distance(), 1e-6);
        assertEquals(0, pairs.get(1).first());
        assertEquals(1, pairs.get(1).second());
        assertEquals(0, within.pairs(0.01).size());

        // Across: queries 0 (an exact copy), 0.1 (near row 0), 4 (far) against reference 0, 5.
        Duplicates.Nearest across = Duplicates.nearest(new Tensor(new float[]{0, 5}, 2, 1),
                new Tensor(new float[]{0, 0.1f, 4}, 3, 1));
        assertEquals(List.of(new Duplicates.Pair(1, 0, 0.1f)), across.pairs(0.5));
        assertEquals(2, across.countWithin(0.5));
        assertEquals(3, across.countWithin(1.0));
    }

    @Test
    void aSetOfOneDistinctSampleHasNoNearestOther() {
        Duplicates.Nearest n = Duplicates.nearestDistinct(new Tensor(new float[]{3, 3, 3, 3, 3, 3}, 3, 2));
        assertArrayEquals(new int[]{0}, n.query());
        assertArrayEquals(new int[]{-1}, n.index());
        assertEquals(Float.POSITIVE_INFINITY, n.distance()[0]);
        assertTrue(n.pairs(10).isEmpty());
    }

    @Test
    void badInputIsRejectedNamingTheArgument() {
        Tensor ok = new Tensor(new float[]{1, 2, 3, 4}, 2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Duplicates.sha256(null));
        assertTrue(e.getMessage().startsWith("x is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.firstCopy(Tensor.zeros(0, 4)));
        assertTrue(e.getMessage().contains("x has shape (0, 4)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Duplicates.firstCopy(new Tensor(new float[]{1, Float.NaN}, 1, 2)));
        assertTrue(e.getMessage().contains("x") && e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Duplicates.nearest(ok, new Tensor(new float[]{1, Float.POSITIVE_INFINITY}, 1, 2)));
        assertTrue(e.getMessage().startsWith("queries"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.matchIn(ok, Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("expected samples of the same size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.nearest(ok, Tensor.zeros(2, 3)));
        assertTrue(e.getMessage().contains("expected samples of the same size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.firstCopy(ok, new byte[1][]));
        assertTrue(e.getMessage().contains("digests of x has 1 entries; expected one digest per sample (2)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Duplicates.matchIn(ok, Duplicates.sha256(ok), ok, new byte[][]{{1}, null}));
        assertTrue(e.getMessage().contains("digests of queries[1] is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.nearestDistinct(ok, new int[]{0, 2}));
        assertTrue(e.getMessage().contains("firstCopy[1] = 2 is not a first copy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Duplicates.nearestDistinct(ok).pairs(-1));
        assertTrue(e.getMessage().contains("maxDistance is -1.0"), e.getMessage());
    }
}
