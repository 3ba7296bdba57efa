package glassbox.neighbors;

import java.util.Arrays;

/**
 * The test oracle for every neighbour search: each row's other rows ranked by sorting all distances,
 * computed from the definition in double, ties to the lower index. Slow on purpose (O(n² log n)) and
 * independent of the GEMM route the engine takes.
 */
public final class BruteForceNeighbours {
    private BruteForceNeighbours() {
    }

    /** {@code ‖x_i − x_j‖²} of a row-major {@code n×d} matrix, in double. */
    public static double squaredDistance(float[] x, int d, int i, int j) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double diff = (double) x[i * d + c] - x[j * d + c];
            s += diff * diff;
        }
        return s;
    }

    /** Every row but {@code i}, nearest first: {@code ranking[r]} is row {@code i}'s {@code (r+1)}-th neighbour. */
    public static int[] ranking(float[] x, int n, int d, int i) {
        double[] dist = new double[n];
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            dist[j] = squaredDistance(x, d, i, j);
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> dist[a] != dist[b] ? Double.compare(dist[a], dist[b]) : Integer.compare(a, b));
        return Arrays.stream(order).mapToInt(Integer::intValue).filter(j -> j != i).toArray();
    }
}
