package glassbox.metrics;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import java.util.Arrays;

/**
 * How well an embedding keeps local structure: scikit-learn's {@code sklearn.manifold.trustworthiness}
 * (Venna &amp; Kaski 2001), Euclidean in both spaces.
 *
 * <pre>
 *   T(k) = 1 − 2 / (n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_i^k} max(0, r(i, j) − k)
 * </pre>
 * where {@code N_i^k} are the {@code k} nearest neighbours of {@code i} in the embedding and {@code r(i, j)} is
 * the rank of {@code j} among {@code i}'s neighbours in the original space (1 = nearest). Points that come
 * close in the embedding but were far apart in the data are penalised by how far down the original ranking
 * they were; 1 means every embedded neighbourhood was a true one, and the score expected of a random embedding
 * is about 0.5.
 *
 * <p>Distances in both spaces are squared Euclidean from {@link PairwiseDistances} (a float GEMM per block of
 * rows); ties are broken by index (scikit-learn's {@code argsort} breaks them arbitrarily). A rank is found by
 * counting the points closer than {@code j} on {@code i}'s row, O(n·k) per row, with no n×n array held: rows
 * are processed in blocks, in parallel, and the integer penalties summed exactly.
 */
public final class Trustworthiness {
    private static final int ROWS = 256;

    private Trustworthiness() {
    }

    /**
     * {@code T(nNeighbors)} of {@code embedding} for {@code x}.
     *
     * @param x          the original data, {@code (n, d)}, finite
     * @param embedding  its embedding, {@code (n, d')}, finite
     * @param nNeighbors {@code k}: {@code 1 ≤ k < n / 2} (scikit-learn's bound, which keeps the normaliser positive)
     * @throws IllegalArgumentException naming the argument for a bad matrix, different row counts, or a bad k
     */
    public static double score(Tensor x, Tensor embedding, int nNeighbors) {
        PairwiseDistances.requireFiniteMatrix("Trustworthiness: x", x);
        PairwiseDistances.requireFiniteMatrix("Trustworthiness: embedding", embedding);
        int n = x.dim(0);
        if (embedding.dim(0) != n) {
            throw new IllegalArgumentException("Trustworthiness: embedding has " + embedding.dim(0) + " rows but x has "
                    + n + "; expected one embedded point per sample");
        }
        int k = nNeighbors;
        if (k < 1 || k >= n / 2.0) {
            throw new IllegalArgumentException("Trustworthiness: nNeighbors is " + k + "; expected 1 ≤ nNeighbors < n_samples / 2 = "
                    + (n / 2.0));
        }
        long[] blockPenalty = new long[(n + ROWS - 1) / ROWS];
        for (int b = 0; b < blockPenalty.length; b++) {
            int r0 = b * ROWS;
            int r1 = Math.min(n, r0 + ROWS);
            float[] dx = distanceRows(x, r0, r1);
            float[] de = distanceRows(embedding, r0, r1);
            long[] rowPenalty = new long[r1 - r0];
            Parallel.forEach(r1 - r0, (long) n * k, r -> {
                int[] neighbours = nearest(de, r * n, n, r0 + r, k);
                long penalty = 0;
                for (int j : neighbours) {
                    long rank = rank(dx, r * n, n, r0 + r, j);
                    penalty += Math.max(0, rank - k);
                }
                rowPenalty[r] = penalty;
            });
            blockPenalty[b] = Arrays.stream(rowPenalty).sum();
        }
        long t = Arrays.stream(blockPenalty).sum();
        return 1.0 - t * (2.0 / ((double) n * k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /** Squared distances from rows {@code [r0, r1)} of {@code m} to all its rows, row-major {@code (r1−r0)×n}. */
    private static float[] distanceRows(Tensor m, int r0, int r1) {
        int n = m.dim(0);
        int d = m.dim(1);
        double[] norms = PairwiseDistances.squaredNorms(m);
        float[] a = PairwiseDistances.copyRows(m.data(), d, r0, r1, new float[(r1 - r0) * d]);
        float[] out = new float[(r1 - r0) * n];
        PairwiseDistances.squaredEuclidean(a, Arrays.copyOfRange(norms, r0, r1), r1 - r0, m.data(), norms, n, d, out);
        return out;
    }

    /** The {@code k} nearest points to {@code self} on a distance row (itself excluded), ties by index. */
    private static int[] nearest(float[] dist, int off, int n, int self, int k) {
        int[] best = new int[k];
        int size = 0;
        for (int j = 0; j < n; j++) {
            if (j == self) {
                continue;
            }
            float v = dist[off + j];
            if (size == k && !(v < dist[off + best[k - 1]])) {
                continue;                      // ascending j: an equal distance loses the tie
            }
            int at = size < k ? size++ : k - 1;
            while (at > 0 && dist[off + best[at - 1]] > v) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = j;
        }
        return best;
    }

    /** The rank (1 = nearest) of {@code j} on {@code self}'s distance row, itself excluded, ties by index. */
    private static long rank(float[] dist, int off, int n, int self, int j) {
        float dj = dist[off + j];
        long closer = 0;
        for (int l = 0; l < n; l++) {
            float v = dist[off + l];
            if (l != self && (v < dj || (v == dj && l < j))) {
                closer++;
            }
        }
        return closer + 1;
    }
}
