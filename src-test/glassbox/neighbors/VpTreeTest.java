package glassbox.neighbors;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VpTreeTest {

    /** Each row's k nearest other rows by sorting all distances (double, definition), ties by index. */
    private static int[] bruteForce(float[] x, int n, int d, int k, double[] distances) {
        int[] out = new int[n * k];
        for (int i = 0; i < n; i++) {
            int[] ranking = BruteForceNeighbours.ranking(x, n, d, i);
            for (int c = 0; c < k; c++) {
                out[i * k + c] = ranking[c];
                distances[i * k + c] = Math.sqrt(BruteForceNeighbours.squaredDistance(x, d, i, ranking[c]));
            }
        }
        return out;
    }

    private static void assertMatchesBruteForce(Tensor data, int k, long seed) {
        int n = data.dim(0);
        double[] expectedDist = new double[n * k];
        int[] expected = bruteForce(data.data(), n, data.dim(1), k, expectedDist);
        VpTree.Neighbors got = VpTree.build(data, seed).kneighbors(k);
        assertEquals(n, got.nQueries());
        assertArrayEquals(expected, got.indices(), "indices, k " + k + ", seed " + seed);
        assertArrayEquals(expectedDist, got.distances(), 1e-12);
    }

    @Test
    void kNearestNeighboursEqualBruteForceOnRandomData() {
        Rng rng = new Rng(1);
        int n = 300;
        int d = 7;
        float[] x = new float[n * d];
        for (int c = 0; c < x.length; c++) {
            x[c] = (float) rng.nextGaussian();
        }
        Tensor data = new Tensor(x, n, d);
        float[] before = x.clone();
        for (int k : new int[]{1, 5, 30, n - 1}) {
            assertMatchesBruteForce(data, k, 3);
        }
        assertMatchesBruteForce(data, 10, 99);          // another tree, same answer
        assertArrayEquals(before, x, "data left unmodified");
    }

    @Test
    void duplicatesAndTiedDistancesAreOrderedByIndex() {
        // Points on a small integer grid, many repeated: lots of exactly tied distances and zero distances.
        Rng rng = new Rng(2);
        int n = 250;
        int d = 3;
        float[] x = new float[n * d];
        for (int c = 0; c < x.length; c++) {
            x[c] = rng.nextInt(4);
        }
        Tensor data = new Tensor(x, n, d);
        for (int k : new int[]{1, 4, 17, 60}) {
            assertMatchesBruteForce(data, k, 5);
        }
        // All points identical: every distance is 0, the neighbours are the other indices in order.
        VpTree.Neighbors same = VpTree.build(Tensor.zeros(6, 2), 0).kneighbors(3);
        assertArrayEquals(new int[]{1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2, 0, 1, 2, 0, 1, 2}, same.indices());
    }

    @Test
    void badArgumentsAreNamed() {
        VpTree tree = VpTree.build(Tensor.zeros(5, 2), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tree.kneighbors(5));
        assertTrue(e.getMessage().contains("k is 5") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tree.kneighbors(0));
        e = assertThrows(IllegalArgumentException.class,
                () -> VpTree.build(new Tensor(new float[]{0, Float.POSITIVE_INFINITY}, 1, 2), 0));
        assertTrue(e.getMessage().contains("data") && e.getMessage().contains("Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VpTree.build(Tensor.zeros(0, 3), 0));
    }
}
