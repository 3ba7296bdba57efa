package glassbox.manifold;

import glassbox.neighbors.BruteForceNeighbours;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** t-SNE's neighbour search ({@link Tsne#nearestOthers}) against sorting every distance in double. */
class NearestOthersTest {

    private static void assertMatchesSortedDistances(Tensor x, int k) {
        int n = x.dim(0);
        int d = x.dim(1);
        float[] v = x.data();
        int[] gotIndices = new int[n * k];
        double[] gotSq = new double[n * k];
        Tsne.nearestOthers(x, k, gotIndices, gotSq);
        for (int i = 0; i < n; i++) {
            int[] expected = java.util.Arrays.copyOf(BruteForceNeighbours.ranking(v, n, d, i), k);
            assertArrayEquals(expected, java.util.Arrays.copyOfRange(gotIndices, i * k, i * k + k), "row " + i);
            for (int c = 0; c < k; c++) {
                double sq = BruteForceNeighbours.squaredDistance(v, d, i, expected[c]);
                assertEquals(sq, gotSq[i * k + c], 1e-12 * (1 + sq));
            }
        }
    }

    @Test
    void equalsSortingAllDistancesAcrossSeveralGemmBlocks() {
        Rng rng = new Rng(4);
        int n = 700;
        int d = 9;
        float[] v = new float[n * d];
        for (int c = 0; c < v.length; c++) {
            v[c] = (float) rng.nextGaussian();
        }
        assertMatchesSortedDistances(new Tensor(v, n, d), 12);
    }

    @Test
    void tiesAndDuplicatesAreOrderedByIndex() {
        Rng rng = new Rng(5);
        int n = 200;
        int d = 2;
        float[] v = new float[n * d];
        for (int c = 0; c < v.length; c++) {
            v[c] = rng.nextInt(5);
        }
        assertMatchesSortedDistances(new Tensor(v, n, d), 30);
        assertMatchesSortedDistances(new Tensor(v, n, d), n - 1);
    }
}
