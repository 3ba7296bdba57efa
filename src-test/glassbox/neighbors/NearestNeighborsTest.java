package glassbox.neighbors;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NearestNeighborsTest {

    @Test
    void kneighborsMatchesABruteForceSortInDouble() {
        // more data rows than one GEMM tile and more queries than one task, so blocks meet at the seams
        Tensor data = random(NearestNeighbors.DATA_BLOCK + 452, 7, 1);
        Tensor queries = random(NearestNeighbors.QUERY_BLOCK + 44, 7, 2);
        int k = 10;
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(data, queries, k);
        assertEquals(k, r.k());
        for (int q = 0; q < queries.dim(0); q++) {
            Integer[] order = bruteForceOrder(data, queries, q);
            for (int j = 0; j < k; j++) {
                assertEquals(order[j].intValue(), r.index(q, j), "query " + q + ", neighbour " + j);
                double exact = Math.sqrt(squared(data, order[j], queries, q));
                assertEquals(exact, r.distance(q, j), 1e-6 * (1 + exact));
            }
        }
    }

    @Test
    void kEqualToTheDataSizeSortsEveryRow() {
        Tensor data = random(40, 3, 3);
        Tensor queries = random(9, 3, 4);
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(data, queries, 40);
        for (int q = 0; q < 9; q++) {
            Integer[] order = bruteForceOrder(data, queries, q);
            for (int j = 0; j < 40; j++) {
                assertEquals(order[j].intValue(), r.index(q, j));
            }
        }
    }

    @Test
    void aQueryThatIsInTheDataFindsItselfFirst() {
        Tensor data = random(300, 12, 5);
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(data, data, 4);
        for (int q = 0; q < 300; q++) {
            assertEquals(q, r.index(q, 0));
            assertEquals(0f, r.distance(q, 0));
        }
    }

    @Test
    void equalDistancesGoToTheLowerIndex() {
        // rows 1 and 3 duplicate each other; rows 0 and 2 are both at distance 1 from the query
        Tensor data = new Tensor(new float[]{1, 0, 5, 5, 0, 1, 5, 5}, 4, 2);
        Tensor query = new Tensor(new float[]{0, 0, 5, 5}, 2, 2);
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(data, query, 3);
        assertArrayEquals(new int[]{0, 2, 1, 1, 3, 0}, r.indices());
        assertArrayEquals(new float[]{1, 1, (float) Math.sqrt(50), 0, 0, (float) Math.sqrt(41)}, r.distances());
    }

    @Test
    void argminMinMatchesBruteForce() {
        Tensor x = random(500, 6, 6);
        Tensor y = random(37, 6, 7);
        NearestNeighbors.ArgMin a = NearestNeighbors.argminMin(x, y);
        for (int i = 0; i < 500; i++) {
            Integer[] order = bruteForceOrder(y, x, i);
            assertEquals(order[0].intValue(), a.argmin()[i]);
            assertEquals(Math.sqrt(squared(y, order[0], x, i)), a.distances()[i], 1e-12);
        }
    }

    @Test
    void resultsAreIdenticalWhateverTheThreadCountAndInputsAreUntouched() throws Exception {
        Tensor data = random(2100, 5, 8);
        Tensor queries = random(700, 5, 9);
        float[] dataBefore = data.data().clone();
        float[] queriesBefore = queries.data().clone();
        NearestNeighbors.Result one = inPool(1, () -> NearestNeighbors.kneighbors(data, queries, 6));
        NearestNeighbors.Result two = inPool(2, () -> NearestNeighbors.kneighbors(data, queries, 6));
        assertArrayEquals(one.indices(), two.indices());
        assertArrayEquals(one.distances(), two.distances());
        NearestNeighbors.argminMin(queries, data);
        assertArrayEquals(dataBefore, data.data());
        assertArrayEquals(queriesBefore, queries.data());
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor data = random(5, 3, 1);
        expect("k is 0", () -> NearestNeighbors.kneighbors(data, data, 0));
        expect("k is 6", () -> NearestNeighbors.kneighbors(data, data, 6));
        expect("queries has 2 features", () -> NearestNeighbors.kneighbors(data, random(4, 2, 2), 1));
        expect("x has 2 features", () -> NearestNeighbors.argminMin(random(4, 2, 2), data));
        Tensor nan = data.copy();
        nan.data()[4] = Float.NaN;
        expect("data contains NaN", () -> NearestNeighbors.kneighbors(nan, data, 1));
        expect("queries contains NaN", () -> NearestNeighbors.kneighbors(data, nan, 1));
        expect("(0, 3)", () -> NearestNeighbors.kneighbors(Tensor.zeros(0, 3), data, 1));
        expect("(0, 3)", () -> NearestNeighbors.argminMin(Tensor.zeros(0, 3), data));
    }

    /** Data indices sorted by exact double distance to query {@code q}, ties by index. */
    private static Integer[] bruteForceOrder(Tensor data, Tensor queries, int q) {
        Integer[] order = new Integer[data.dim(0)];
        double[] dist = new double[data.dim(0)];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            dist[i] = squared(data, i, queries, q);
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> dist[i]).thenComparingInt(i -> i));
        return order;
    }

    private static double squared(Tensor a, int i, Tensor b, int j) {
        int d = a.dim(1);
        double s = 0;
        for (int f = 0; f < d; f++) {
            double diff = (double) a.data()[i * d + f] - b.data()[j * d + f];
            s += diff * diff;
        }
        return s;
    }

    private static Tensor random(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return new Tensor(v, n, d);
    }

    private static <T> T inPool(int threads, java.util.concurrent.Callable<T> task) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(task).get();
        } finally {
            pool.shutdown();
        }
    }

    private static void expect(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should name " + fragment);
    }
}
