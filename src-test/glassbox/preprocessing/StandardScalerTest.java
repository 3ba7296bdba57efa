package glassbox.preprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

class StandardScalerTest {
    /** Columns: 1,3,5 (mean 3, var 8/3); constant 5; 2,4,9 (mean 5, deviations −3,−1,4, var 26/3). */
    private static final Tensor X = new Tensor(new float[] {1, 5, 2, 3, 5, 4, 5, 5, 9}, 3, 3);

    @Test
    void handWorkedMeansPopulationVariancesAndScales() {
        StandardScaler.Result r = StandardScaler.fit(X);
        assertArrayEquals(new double[] {3, 5, 5}, r.mean(), 1e-15);
        assertArrayEquals(new double[] {8.0 / 3, 0, 26.0 / 3}, r.variance(), 1e-14);
        assertArrayEquals(new double[] {Math.sqrt(8.0 / 3), 1, Math.sqrt(26.0 / 3)}, r.scale(), 1e-14);
        assertEquals(3, r.nSamples());
    }

    @Test
    void transformStandardisesAndLeavesTheConstantColumnAtZero() {
        StandardScaler.Result r = StandardScaler.fit(X);
        Tensor z = r.transform(X);
        float[] expected = {
            (float) (-2 / Math.sqrt(8.0 / 3)), 0, (float) (-3 / Math.sqrt(26.0 / 3)),
            0, 0, (float) (-1 / Math.sqrt(26.0 / 3)),
            (float) (2 / Math.sqrt(8.0 / 3)), 0, (float) (4 / Math.sqrt(26.0 / 3))};
        assertArrayEquals(expected, z.data(), 1e-6f);
        assertArrayEquals(new int[] {3, 3}, z.shape());
    }

    @Test
    void transformedRandomDataHasMeanZeroAndUnitPopulationVariance() {
        Rng rng = new Rng(5);
        int n = 200;
        int d = 4;
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (100 + 7 * rng.nextGaussian() * (1 + i % d));
        }
        Tensor x = new Tensor(v, n, d);
        float[] before = v.clone();
        StandardScaler.Result r = StandardScaler.fit(x);
        Tensor z = r.transform(x);
        for (int j = 0; j < d; j++) {
            double s = 0;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                s += z.data()[i * d + j];
                ss += (double) z.data()[i * d + j] * z.data()[i * d + j];
            }
            assertEquals(0, s / n, 1e-6, "mean of column " + j);
            assertEquals(1, ss / n, 1e-5, "population variance of column " + j);
        }
        assertArrayEquals(v, r.inverseTransform(z).data(), 1e-4f);
        assertArrayEquals(before, v, "input left unmodified");
    }

    @Test
    void resultIsImmutable() {
        StandardScaler.Result r = StandardScaler.fit(X);
        r.mean()[0] = 99;
        r.scale()[0] = 99;
        assertEquals(3, r.mean()[0]);
        assertEquals(Math.sqrt(8.0 / 3), r.scale()[0], 1e-15);
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StandardScaler.fit(new Tensor(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2)));
        assertTrue(e.getMessage().contains("x") && e.getMessage().contains("Infinity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(Tensor.zeros(0, 3)));
        e = assertThrows(IllegalArgumentException.class, () -> StandardScaler.fit(X).transform(Tensor.zeros(2, 4)));
        assertTrue(e.getMessage().contains("4 features") && e.getMessage().contains("expected 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StandardScaler.fit(X).inverseTransform(Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().startsWith("z has 2 features"), e.getMessage());
    }
}
