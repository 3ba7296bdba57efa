package glassbox.neighbors;

import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import glassbox.util.Preview;

/**
 * Exact nearest neighbours by brute force: every distance is computed, as GEMMs over blocks, and only the
 * {@code k} best per query are kept. scikit-learn's
 * {@code NearestNeighbors(n_neighbors=k, algorithm="brute").fit(data).kneighbors(queries)} and
 * {@code pairwise_distances_argmin_min}.
 *
 * <p><b>How.</b> The data is cut once into blocks of {@value #DATA_BLOCK} rows (each its own array, with its
 * squared norms); the queries into blocks of {@value #QUERY_BLOCK} rows, shared out over the cores. For a
 * query block, each data block in turn gives a {@code QUERY_BLOCK × DATA_BLOCK} tile of squared distances
 * ({@link PairwiseDistances#squaredEuclidean}, one GEMM), and each query keeps its {@code k} best so far in
 * a bounded max-heap: a candidate enters only if it beats the current k-th best, which after the first
 * block is rare, so the scan costs little beyond the GEMM. Memory: one tile per worker plus the
 * {@code n·k} answer — linear in {@code n}, never an {@code n×n} matrix.
 *
 * <p><b>Precision and order.</b> The tiles are float GEMM distances ({@code ‖q‖² + ‖x‖² − 2q·x}), which
 * decide which {@code k} rows are kept. Those {@code k} are then re-measured in double from the definition,
 * sorted by that exact distance (ties to the lower data index) and reported as its square root. So a query
 * that is also a data row finds itself first at distance 0 (or a duplicate of itself with a lower index),
 * as in scikit-learn. Where the k-th and (k+1)-th neighbours are within float rounding of each other
 * (relative ~1e-7 of the squared norms), which one is kept may differ from an exact computation.
 *
 * <p>The result depends only on the inputs: each query block writes only its own rows of the answer.
 *
 * <p>Speed: t-SNE's neighbour search — 70,000 rows of 50 features, {@code k = 90}, queries = data — takes
 * 12–15 s on this project's 2-core machine with the launcher's 2-thread OpenBLAS (9 s with
 * {@code OPENBLAS_NUM_THREADS=1}); scikit-learn 1.2.1's brute force takes 11 s. About a third of it is
 * the GEMM, a quarter {@link PairwiseDistances}' double-precision pass adding the norms, a fifth the heaps.
 */
public final class NearestNeighbors {
    /** Data rows per GEMM tile: a 128 × 1024 float tile (512 KB) stays in L2 while it is scanned. */
    static final int DATA_BLOCK = 1024;
    /** Query rows per parallel task (and per GEMM tile). */
    static final int QUERY_BLOCK = 128;

    private NearestNeighbors() {
    }

    /**
     * The answer of {@link #kneighbors}: for query {@code q}, its {@code j}-th nearest data row
     * ({@code j = 0} nearest) is {@code indices[q·k + j]} at Euclidean distance {@code distances[q·k + j]}.
     *
     * @param k         neighbours per query
     * @param indices   {@code n_queries × k}, row-major, nearest first, ties to the lower index
     * @param distances {@code n_queries × k}, Euclidean (not squared)
     */
    public record Result(int k, int[] indices, float[] distances) {
        /** The data index of query {@code query}'s {@code j}-th nearest neighbour. */
        public int index(int query, int j) {
            return indices[query * k + j];
        }

        /** The Euclidean distance from query {@code query} to its {@code j}-th nearest neighbour. */
        public float distance(int query, int j) {
            return distances[query * k + j];
        }

        /** The counts, then the flat arrays as their length and first values (query 0's nearest). */
        @Override
        public String toString() {
            return "NearestNeighbors.Result(nQueries=" + indices.length / k + ", k=" + k + ", indices="
                    + Preview.of(indices) + ", distances=" + Preview.of(distances) + ")";
        }
    }

    /**
     * For each row of {@code x}, the index of the closest row of {@code y} (the lower index among equals)
     * and the Euclidean distance to it.
     */
    public record ArgMin(int[] argmin, double[] distances) {
        @Override
        public String toString() {
            return "NearestNeighbors.ArgMin(argmin=" + Preview.of(argmin) + ", distances=" + Preview.of(distances) + ")";
        }
    }

    /**
     * Exact k nearest rows of {@code data} for each row of {@code queries} (blocked GEMM distances, both
     * cores), as sklearn's {@code NearestNeighbors(n_neighbors=k).fit(data).kneighbors(queries)}: a query
     * that is also in data finds itself first at distance 0.
     *
     * @throws IllegalArgumentException if either matrix is empty or not finite, their column counts differ,
     *                                  or {@code k} is not in {@code [1, n_data]}
     */
    public static Result kneighbors(Tensor data, Tensor queries, int k) {
        check(data, queries, "data", "queries");
        if (k <= 0 || k > data.dim(0)) {
            throw new IllegalArgumentException("k is " + k + "; expected 1 <= k <= n_samples of data ("
                    + data.dim(0) + ")");
        }
        Search s = search(data, queries, k);
        float[] distances = new float[s.squared.length];
        for (int i = 0; i < distances.length; i++) {
            distances[i] = (float) Math.sqrt(s.squared[i]);
        }
        return new Result(k, s.indices, distances);
    }

    /**
     * scikit-learn's {@code pairwise_distances_argmin_min(x, y)}: for each row of {@code x}, the index of the
     * closest row of {@code y} and that Euclidean distance (computed in double).
     *
     * @throws IllegalArgumentException if either matrix is empty or not finite, or their column counts differ
     */
    public static ArgMin argminMin(Tensor x, Tensor y) {
        check(y, x, "y", "x");
        Search s = search(y, x, 1);
        double[] distances = new double[s.squared.length];
        for (int i = 0; i < distances.length; i++) {
            distances[i] = Math.sqrt(s.squared[i]);
        }
        return new ArgMin(s.indices, distances);
    }

    private static void check(Tensor data, Tensor queries, String dataName, String queriesName) {
        PairwiseDistances.requireFiniteMatrix(dataName, data);
        PairwiseDistances.requireFiniteMatrix(queriesName, queries);
        if (data.dim(1) != queries.dim(1)) {
            throw new IllegalArgumentException(queriesName + " has " + queries.dim(1) + " features (shape "
                    + Tensor.shapeString(queries.shape()) + ") but " + dataName + " has " + data.dim(1)
                    + "; expected the same number of columns");
        }
    }

    /** The k nearest data rows of every query and their exact squared distances, both {@code n_queries × k}. */
    private record Search(int[] indices, double[] squared) {
    }

    private static Search search(Tensor data, Tensor queries, int k) {
        int n = data.dim(0);
        int d = data.dim(1);
        int nq = queries.dim(0);
        int blocks = (n + DATA_BLOCK - 1) / DATA_BLOCK;
        float[][] dataBlocks = new float[blocks][];
        double[][] dataNorms = new double[blocks][];
        for (int b = 0; b < blocks; b++) {
            int from = b * DATA_BLOCK;
            int m = Math.min(DATA_BLOCK, n - from);
            dataBlocks[b] = PairwiseDistances.copyRows(data.data(), d, from, from + m, new float[m * d]);
            dataNorms[b] = PairwiseDistances.squaredNorms(dataBlocks[b], m, d);
        }
        int[] indices = new int[nq * k];
        double[] squared = new double[nq * k];
        int queryBlocks = (nq + QUERY_BLOCK - 1) / QUERY_BLOCK;
        Parallel.forEach(queryBlocks, (long) QUERY_BLOCK * n * d, qb -> {
            int from = qb * QUERY_BLOCK;
            int m = Math.min(QUERY_BLOCK, nq - from);
            float[] q = PairwiseDistances.copyRows(queries.data(), d, from, from + m, new float[m * d]);
            double[] qNorms = PairwiseDistances.squaredNorms(q, m, d);
            TopK best = new TopK(m, k);
            float[] tile = new float[m * DATA_BLOCK];
            for (int b = 0; b < blocks; b++) {
                int p = Math.min(DATA_BLOCK, n - b * DATA_BLOCK);
                PairwiseDistances.squaredEuclidean(q, qNorms, m, dataBlocks[b], dataNorms[b], p, d, tile);
                for (int i = 0; i < m; i++) {
                    best.offerRow(i, tile, i * p, p, b * DATA_BLOCK);
                }
            }
            for (int i = 0; i < m; i++) {
                best.refine(i, q, i, data.data(), d, indices, squared, (from + i) * k);
            }
        });
        return new Search(indices, squared);
    }

    /**
     * For each of {@code m} queries, the {@code k} best (distance, index) pairs so far, as a max-heap in
     * {@code heap[row·k …]}. Each pair is one {@code long}: the float distance's bits (non-negative floats
     * order as their bit patterns do) above the index, so one comparison orders by distance, then index.
     * The root is the worst pair kept.
     */
    private static final class TopK {
        private final int k;
        private final long[] heap;

        TopK(int m, int k) {
            this.k = k;
            this.heap = new long[m * k];
            java.util.Arrays.fill(heap, Long.MAX_VALUE);
        }

        /**
         * Offers data rows {@code first …} at squared distances {@code tile[offset … +p)} to query {@code row}.
         * They come in increasing index order, so a distance equal to the worst kept loses (the lower index
         * stays).
         */
        void offerRow(int row, float[] tile, int offset, int p, int first) {
            int base = row * k;
            float worst = distanceOf(heap[base]);
            for (int j = 0; j < p; j++) {
                float v = tile[offset + j];
                if (v < worst) {
                    heap[base] = ((long) Float.floatToRawIntBits(v) << 32) | (first + j);
                    siftDown(base, k);
                    worst = distanceOf(heap[base]);
                }
            }
        }

        private static float distanceOf(long pair) {
            return pair == Long.MAX_VALUE ? Float.POSITIVE_INFINITY : Float.intBitsToFloat((int) (pair >>> 32));
        }

        /** Restores the max-heap {@code heap[base … base+size)} after its root was replaced. */
        private void siftDown(int base, int size) {
            long moving = heap[base];
            int at = 0;
            while (true) {
                int child = 2 * at + 1;
                if (child >= size) {
                    break;
                }
                long larger = heap[base + child];
                if (child + 1 < size && heap[base + child + 1] > larger) {
                    larger = heap[base + ++child];
                }
                if (larger <= moving) {
                    break;
                }
                heap[base + at] = larger;
                at = child;
            }
            heap[base + at] = moving;
        }

        /**
         * Writes query {@code row}'s neighbours to {@code outIndex/outSquared[at … +k)}, re-measured in double
         * and sorted by that exact squared distance, ties to the lower index.
         */
        void refine(int row, float[] queries, int queryRow, float[] data, int d, int[] outIndex, double[] outSquared,
                    int at) {
            int base = row * k;
            for (int size = k - 1; size > 0; size--) { // heap sort: ascending (float distance, index)
                long top = heap[base];
                heap[base] = heap[base + size];
                heap[base + size] = top;
                siftDown(base, size);
            }
            for (int j = 0; j < k; j++) {
                int idx = (int) heap[base + j];
                double exact = PairwiseDistances.squaredDistanceExact(queries, queryRow, data, idx, d);
                int pos = at + j; // insertion sort: the float order is already nearly the exact one
                while (pos > at && (outSquared[pos - 1] > exact
                        || (outSquared[pos - 1] == exact && outIndex[pos - 1] > idx))) {
                    outSquared[pos] = outSquared[pos - 1];
                    outIndex[pos] = outIndex[pos - 1];
                    pos--;
                }
                outSquared[pos] = exact;
                outIndex[pos] = idx;
            }
        }
    }
}
