package glassbox.neighbors;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairwiseDistancesTest {

    @Test
    void gemmDistancesMatchTheDefinition() {
        Rng rng = new Rng(3);
        int m = 7, p = 11, d = 13;
        float[] a = random(rng, m * d);
        float[] b = random(rng, p * d);
        float[] out = new float[m * p];
        PairwiseDistances.squaredEuclidean(a, PairwiseDistances.squaredNorms(a, m, d), m,
                b, PairwiseDistances.squaredNorms(b, p, d), p, d, out);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < p; j++) {
                double expected = 0;
                for (int c = 0; c < d; c++) {
                    double diff = (double) a[i * d + c] - b[j * d + c];
                    expected += diff * diff;
                }
                assertEquals(expected, out[i * p + j], 1e-4 * (1 + expected), "distance " + i + "," + j);
                assertEquals(expected, PairwiseDistances.squaredDistanceExact(a, i, b, j, d), 1e-9);
            }
        }
    }

    @Test
    void distanceOfARowToItselfIsClampedAtZero() {
        float[] a = {1e3f, 1e-3f, 7f};
        float[] out = new float[1];
        double[] norms = PairwiseDistances.squaredNorms(a, 1, 3);
        PairwiseDistances.squaredEuclidean(a, norms, 1, a, norms, 1, 3, out);
        assertTrue(out[0] >= 0f && out[0] < 1e-1f, "got " + out[0]);
    }

    @Test
    void badMatricesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PairwiseDistances.requireFiniteMatrix("X", new Tensor(new float[]{1, Float.NaN}, 1, 2)));
        assertTrue(e.getMessage().contains("X") && e.getMessage().contains("NaN") && e.getMessage().contains("column 1"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PairwiseDistances.requireFiniteMatrix("X", Tensor.zeros(0, 4)));
        assertTrue(e.getMessage().contains("(0, 4)") || e.getMessage().contains("0"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PairwiseDistances.requireFiniteMatrix("X", Tensor.zeros(2, 2, 2)));
    }

    private static float[] random(Rng rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.uniform(-2, 2);
        }
        return v;
    }
}
