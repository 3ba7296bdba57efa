package glassbox.metrics;

import glassbox.neighbors.BruteForceNeighbours;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustworthinessTest {

    /** Venna &amp; Kaski's T(k) from the formula: full rankings by sorting all distances (double), ties by index. */
    private static double reference(float[] x, int dx, float[] e, int de, int n, int k) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int[] rankX = ranking(x, dx, n, i);            // rankX[r] = r-th nearest (r = 0: nearest other point)
            int[] rankOf = new int[n];
            for (int r = 0; r < n - 1; r++) {
                rankOf[rankX[r]] = r + 1;
            }
            int[] rankE = ranking(e, de, n, i);
            for (int r = 0; r < k; r++) {
                sum += Math.max(0, rankOf[rankE[r]] - k);
            }
        }
        return 1 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * sum;
    }

    private static int[] ranking(float[] m, int d, int n, int i) {
        return BruteForceNeighbours.ranking(m, n, d, i);
    }

    private static Tensor gaussian(long seed, int n, int d) {
        Rng rng = new Rng(seed);
        float[] v = new float[n * d];
        for (int c = 0; c < v.length; c++) {
            v[c] = (float) rng.nextGaussian();
        }
        return new Tensor(v, n, d);
    }

    @Test
    void equalsVennaAndKaskisFormulaComputedByBruteForce() {
        int n = 80;
        Tensor x = gaussian(1, n, 6);
        // a noisy projection: partly trustworthy
        Tensor noise = gaussian(2, n, 2);
        float[] e = new float[n * 2];
        for (int i = 0; i < n; i++) {
            e[2 * i] = x.data()[i * 6] + 0.5f * noise.data()[2 * i];
            e[2 * i + 1] = x.data()[i * 6 + 1] + 0.5f * noise.data()[2 * i + 1];
        }
        Tensor embedding = new Tensor(e, n, 2);
        for (int k : new int[]{1, 5, 12, 39}) {
            double expected = reference(x.data(), 6, e, 2, n, k);
            double got = Trustworthiness.score(x, embedding, k);
            assertEquals(expected, got, 1e-12, "k " + k);
            assertTrue(got > 0.5 && got < 1, "k " + k + ": " + got);
        }
    }

    @Test
    void isOneForTheDataItselfAndLowForARandomEmbedding() {
        Tensor x = gaussian(3, 100, 5);
        float[] before = x.data().clone();
        assertEquals(1.0, Trustworthiness.score(x, x, 10), 1e-15);
        assertArrayEquals(before, x.data(), "input left unmodified");
        double random = Trustworthiness.score(x, gaussian(4, 100, 2), 10);
        assertTrue(random < 0.65, "random embedding scored " + random);
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = gaussian(5, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(x, x, 5));
        assertTrue(e.getMessage().contains("nNeighbors is 5") && e.getMessage().contains("5.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(x, x, 0));
        e = assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(x, gaussian(6, 9, 2), 2));
        assertTrue(e.getMessage().contains("embedding has 9 rows"), e.getMessage());
        float[] withNaN = x.data().clone();
        withNaN[4] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(new Tensor(withNaN, 10, 3), x, 2));
        assertTrue(e.getMessage().contains("x contains NaN") && e.getMessage().contains("row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(x, new Tensor(withNaN, 10, 3), 2));
        assertTrue(e.getMessage().contains("embedding contains NaN"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trustworthiness.score(Tensor.zeros(0, 3), Tensor.zeros(0, 2), 1));
    }
}
