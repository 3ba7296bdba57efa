package glassbox.manifold;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import java.util.Arrays;

/**
 * Exact k nearest neighbours of every row by brute force: all {@code n²} squared distances, a block of
 * rows against a block of columns at a time as one GEMM ({@link PairwiseDistances}), each row keeping its
 * {@code k} best in a max-heap. t-SNE's neighbour search (scikit-learn's
 * {@code NearestNeighbors(n_neighbors=k).fit(X).kneighbors_graph(mode='distance')}).
 *
 * <p>A stand-in for {@code glassbox.neighbors.NearestNeighbors}, written while that class did not yet exist:
 * it should replace this one once it does. It beat the VP-tree ({@link glassbox.neighbors.VpTree}) on
 * MNIST's 50-D PCA and on raw pixels (see the package documentation for the figures).
 *
 * <p>Candidates are ranked by the float GEMM distance (absolute error about {@code 10⁻⁷·(‖a‖² + ‖b‖²)}); the
 * {@code k} kept are then recomputed in double and re-sorted by (distance, index), so the distances handed
 * to the perplexity calibration are exact. A neighbour tied with the k-th within the float error may be
 * swapped for another; the affinities do not notice.
 */
final class BruteForceKnn {
    /** Rows per GEMM block and columns per GEMM block: the float block of distances is 2 M floats (8 MB). */
    private static final int ROWS = 512;
    private static final int COLS = 4096;

    /** Row {@code i}'s {@code k} neighbours at {@code indices[i·k ..]}, their squared distances alongside. */
    record Knn(int k, int[] indices, double[] sqDistances) {
    }

    private BruteForceKnn() {
    }

    /** The {@code k} nearest other rows of every row of {@code x} ({@code (n, d)}), {@code 1 ≤ k ≤ n − 1}. */
    static Knn kneighbors(Tensor x, int k) {
        int n = x.dim(0);
        int d = x.dim(1);
        float[] data = x.data();
        double[] norms = PairwiseDistances.squaredNorms(data, n, d);
        float[] heapDist = new float[n * k];
        int[] heapIndex = new int[n * k];
        int[] heapSize = new int[n];
        float[] a = new float[Math.min(ROWS, n) * d];
        float[] b = new float[Math.min(COLS, n) * d];
        float[] out = new float[Math.min(ROWS, n) * Math.min(COLS, n)];
        for (int r0 = 0; r0 < n; r0 += ROWS) {
            int r1 = Math.min(n, r0 + ROWS);
            int m = r1 - r0;
            PairwiseDistances.copyRows(data, d, r0, r1, a);
            double[] aNorms = Arrays.copyOfRange(norms, r0, r1);
            for (int c0 = 0; c0 < n; c0 += COLS) {
                int c1 = Math.min(n, c0 + COLS);
                int p = c1 - c0;
                PairwiseDistances.copyRows(data, d, c0, c1, b);
                PairwiseDistances.squaredEuclidean(a, aNorms, m, b, Arrays.copyOfRange(norms, c0, c1), p, d, out);
                int rowStart = r0;
                int colStart = c0;
                Parallel.forEach(m, p, r -> {
                    int i = rowStart + r;
                    heapSize[i] = offerRow(out, r * p, p, colStart, i, k, heapDist, heapIndex, i * k, heapSize[i]);
                });
            }
        }
        int[] indices = new int[n * k];
        double[] sq = new double[n * k];
        Parallel.forEach(n, 4L * k * d, i -> exactSorted(data, d, i, k, heapIndex, indices, sq));
        return new Knn(k, indices, sq);
    }

    /** Offers columns {@code colStart + j} (distances {@code dist[off + j]}) to row {@code self}'s heap; returns its size. */
    private static int offerRow(float[] dist, int off, int p, int colStart, int self, int k,
                                float[] hd, int[] hi, int base, int size) {
        for (int j = 0; j < p; j++) {
            int col = colStart + j;
            if (col == self) {
                continue;
            }
            float v = dist[off + j];
            if (size < k) {
                int c = size++;
                while (c > 0) {
                    int parent = (c - 1) >>> 1;
                    if (!(v > hd[base + parent] || (v == hd[base + parent] && col > hi[base + parent]))) {
                        break;
                    }
                    hd[base + c] = hd[base + parent];
                    hi[base + c] = hi[base + parent];
                    c = parent;
                }
                hd[base + c] = v;
                hi[base + c] = col;
            } else if (v < hd[base]) {               // columns arrive in ascending order: a tie never wins
                siftDown(hd, hi, base, k, v, col);
            }
        }
        return size;
    }

    private static void siftDown(float[] hd, int[] hi, int base, int size, float v, int col) {
        int c = 0;
        while (true) {
            int child = 2 * c + 1;
            if (child >= size) {
                break;
            }
            int right = child + 1;
            if (right < size && (hd[base + right] > hd[base + child]
                    || (hd[base + right] == hd[base + child] && hi[base + right] > hi[base + child]))) {
                child = right;
            }
            if (!(hd[base + child] > v || (hd[base + child] == v && hi[base + child] > col))) {
                break;
            }
            hd[base + c] = hd[base + child];
            hi[base + c] = hi[base + child];
            c = child;
        }
        hd[base + c] = v;
        hi[base + c] = col;
    }

    /** Row {@code i}'s kept neighbours, their squared distances recomputed in double, sorted by (distance, index). */
    private static void exactSorted(float[] x, int d, int i, int k, int[] heapIndex, int[] indices, double[] sq) {
        Integer[] order = new Integer[k];
        double[] exact = new double[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
            exact[c] = PairwiseDistances.squaredDistanceExact(x, i, x, heapIndex[i * k + c], d);
        }
        Arrays.sort(order, (u, v) -> exact[u] != exact[v] ? Double.compare(exact[u], exact[v])
                : Integer.compare(heapIndex[i * k + u], heapIndex[i * k + v]));
        for (int c = 0; c < k; c++) {
            indices[i * k + c] = heapIndex[i * k + order[c]];
            sq[i * k + c] = exact[order[c]];
        }
    }
}
