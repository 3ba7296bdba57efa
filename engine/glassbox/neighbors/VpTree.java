package glassbox.neighbors;

import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import glassbox.util.Rng;

/**
 * A vantage-point tree (Yianilos 1993) for exact k-nearest-neighbour search under the Euclidean distance:
 * the search bhtsne uses for t-SNE's input similarities (van der Maaten 2014, §4.1).
 *
 * <p><b>Build.</b> Pick a random point of the set as the vantage point {@code v} (seeded), compute every other
 * point's distance to it, and split them at the median distance {@code μ}: the inside half ({@code d(v,x) ≤ μ})
 * and the outside half ({@code d(v,x) ≥ μ}) become its two subtrees. O(n·log n) distances; the tree needs no
 * pointers: a node is a range {@code [lo, hi)} of a permutation, its vantage point at {@code lo}, its
 * inside half at {@code [lo+1, mid)}, its outside half at {@code [mid, hi)} with {@code mid = (lo+hi+1)/2},
 * and {@code μ} stored at {@code lo}. The rows are copied in that order, so a search walks memory forwards.
 *
 * <p><b>Search.</b> Keep the {@code k} best so far in a max-heap; {@code τ} is the k-th best distance
 * (infinite until there are {@code k}). At a node at distance {@code d} from the query, the triangle
 * inequality says the inside half can hold a point within {@code τ} only if {@code d − τ ≤ μ}, the outside
 * half only if {@code d + τ ≥ μ}; the half on the query's side is searched first, so {@code τ} shrinks before
 * the other is considered. The comparisons are non-strict (with a relative slack of 10⁻¹² for rounding), so
 * a point tied with the k-th distance is never pruned: results equal a brute-force search that orders by
 * (distance, index).
 *
 * <p><b>Cost.</b> Pruning works in low intrinsic dimension and fades as it grows. For t-SNE's search on the
 * 10,000 MNIST test images (k = 90, 2 cores) it took 2.3 s on their 50-D PCA and 48–62 s on the raw 784
 * pixels, where a brute-force blocked-GEMM search took 0.7 s and 2.0 s; so glassbox's t-SNE uses brute force
 * (see {@code glassbox.manifold}). Distances are summed in double from the float data, one at a time.
 *
 * <p>scikit-learn has no VP-tree; its {@code NearestNeighbors(algorithm='auto')} picks a ball tree, a k-d
 * tree or brute force, and returns the same neighbours (up to the order of ties).
 */
public final class VpTree {
    private final int n;
    private final int d;
    /** The rows in tree order: position {@code p} holds the row of point {@code index[p]}. */
    private final float[] points;
    /** {@code index[p]}: the original row index of the point at position {@code p}. */
    private final int[] index;
    /** {@code mu[p]}: the median distance of the node whose vantage point is at position {@code p}. */
    private final double[] mu;
    /** The original data (queries of {@link #kneighbors(int)} are its rows). */
    private final float[] data;

    /**
     * The k nearest neighbours of a set of queries, row-major {@code (nQueries, k)}: query {@code q}'s
     * {@code j}-th neighbour is row {@code indices[q·k + j]} of the data, at Euclidean distance
     * {@code distances[q·k + j]}, in ascending order of (distance, index).
     */
    public record Neighbors(int k, int[] indices, double[] distances) {
        public int nQueries() {
            return k == 0 ? 0 : indices.length / k;
        }
    }

    private VpTree(int n, int d, float[] points, int[] index, double[] mu, float[] data) {
        this.n = n;
        this.d = d;
        this.points = points;
        this.index = index;
        this.mu = mu;
        this.data = data;
    }

    /**
     * Builds the tree over the rows of {@code data} ({@code (n_samples, n_features)}, finite); {@code seed}
     * picks the vantage points. The tree keeps a reference to {@code data} (queries by row) and does not
     * modify it.
     */
    public static VpTree build(Tensor data, long seed) {
        PairwiseDistances.requireFiniteMatrix("data", data);
        int n = data.dim(0);
        int d = data.dim(1);
        float[] x = data.data();
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        double[] mu = new double[n];
        double[] dist = new double[n];
        buildNode(x, d, index, mu, dist, 0, n, new Rng(seed));
        float[] points = new float[n * d];
        for (int p = 0; p < n; p++) {
            System.arraycopy(x, index[p] * d, points, p * d, d);
        }
        return new VpTree(n, d, points, index, mu, x);
    }

    private static void buildNode(float[] x, int d, int[] index, double[] mu, double[] dist, int lo, int hi, Rng rng) {
        while (hi - lo > 1) {
            swap(index, lo, lo + rng.nextInt(hi - lo));
            int vantage = index[lo];
            for (int p = lo + 1; p < hi; p++) {
                dist[p] = distance(x, vantage * d, x, index[p] * d, d);
            }
            int mid = (lo + hi + 1) >>> 1;
            select(dist, index, lo + 1, hi, mid);
            mu[lo] = dist[mid];
            buildNode(x, d, index, mu, dist, lo + 1, mid, rng);
            lo = mid;                                  // the outside half: loop instead of recursing
        }
    }

    /** Quickselect: reorders {@code [lo, hi)} so that position {@code nth} holds its sorted value, smaller before. */
    private static void select(double[] key, int[] item, int lo, int hi, int nth) {
        int left = lo;
        int right = hi - 1;
        while (left < right) {
            double pivot = key[(left + right) >>> 1];
            int i = left;
            int j = right;
            while (i <= j) {
                while (key[i] < pivot) {
                    i++;
                }
                while (key[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = key[i];
                    key[i] = key[j];
                    key[j] = t;
                    swap(item, i, j);
                    i++;
                    j--;
                }
            }
            if (nth <= j) {
                right = j;
            } else if (nth >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Euclidean distance between two rows, summed in double. */
    static double distance(float[] a, int aBase, float[] b, int bBase, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double diff = (double) a[aBase + c] - b[bBase + c];
            s += diff * diff;
        }
        return Math.sqrt(s);
    }

    /** The number of points in the tree. */
    public int size() {
        return n;
    }

    /**
     * The {@code k} nearest neighbours of every point of the tree, each point itself excluded (scikit-learn's
     * {@code NearestNeighbors.fit(X).kneighbors(n_neighbors=k)} with no query): {@code (n, k)}.
     *
     * @throws IllegalArgumentException if {@code k < 1} or {@code k > n − 1}
     */
    public Neighbors kneighbors(int k) {
        if (k < 1 || k > n - 1) {
            throw new IllegalArgumentException("kneighbors: k is " + k + "; expected 1 ≤ k ≤ n_samples − 1 = "
                    + (n - 1) + " (each point's own row is excluded)");
        }
        int[] indices = new int[n * k];
        double[] distances = new double[n * k];
        Parallel.forEach(n, (long) n * d / 4, i -> new Search(k, data, i * d, i).run(indices, distances, i * k));
        return new Neighbors(k, indices, distances);
    }

    /** One query's search state: a max-heap of the k best (distance, index) pairs. */
    private final class Search {
        private final int k;
        private final float[] q;
        private final int qBase;
        private final int exclude;
        private final double[] heapDist;
        private final int[] heapIndex;
        private int size;
        private double tau = Double.POSITIVE_INFINITY;

        Search(int k, float[] q, int qBase, int exclude) {
            this.k = k;
            this.q = q;
            this.qBase = qBase;
            this.exclude = exclude;
            this.heapDist = new double[k];
            this.heapIndex = new int[k];
        }

        void run(int[] indices, double[] distances, int out) {
            visit(0, n);
            for (int end = size - 1; end >= 0; end--) {    // heap-sort: pop the largest to the back
                indices[out + end] = heapIndex[0];
                distances[out + end] = heapDist[0];
                heapIndex[0] = heapIndex[end];
                heapDist[0] = heapDist[end];
                size = end;
                siftDown(0);
            }
        }

        private void visit(int lo, int hi) {
            while (lo < hi) {
                double dist = distance(q, qBase, points, lo * d, d);
                int point = index[lo];
                if (point != exclude) {
                    offer(dist, point);
                }
                if (hi - lo == 1) {
                    return;
                }
                double median = mu[lo];
                int mid = (lo + hi + 1) >>> 1;
                int inLo = lo + 1;
                if (dist < median) {
                    if (insideReachable(dist, median)) {
                        visit(inLo, mid);
                    }
                    if (!outsideReachable(dist, median)) {
                        return;
                    }
                    lo = mid;
                } else {
                    if (outsideReachable(dist, median)) {
                        visit(mid, hi);
                    }
                    if (!insideReachable(dist, median)) {
                        return;
                    }
                    lo = inLo;
                    hi = mid;
                }
            }
        }

        private boolean insideReachable(double dist, double median) {
            return dist - tau <= median + 1e-12 * (dist + median);
        }

        private boolean outsideReachable(double dist, double median) {
            return dist + tau >= median - 1e-12 * (dist + median);
        }

        /** Adds (dist, point) if it beats the worst kept pair in the (distance, index) order. */
        private void offer(double dist, int point) {
            if (size < k) {
                int c = size++;
                while (c > 0) {                            // sift up
                    int parent = (c - 1) >>> 1;
                    if (!worse(dist, point, heapDist[parent], heapIndex[parent])) {
                        break;
                    }
                    heapDist[c] = heapDist[parent];
                    heapIndex[c] = heapIndex[parent];
                    c = parent;
                }
                heapDist[c] = dist;
                heapIndex[c] = point;
            } else if (worse(heapDist[0], heapIndex[0], dist, point)) {
                heapDist[0] = dist;
                heapIndex[0] = point;
                siftDown(0);
            } else {
                return;
            }
            if (size == k) {
                tau = heapDist[0];
            }
        }

        private void siftDown(int c) {
            double dist = heapDist[c];
            int point = heapIndex[c];
            while (true) {
                int child = 2 * c + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && worse(heapDist[child + 1], heapIndex[child + 1], heapDist[child], heapIndex[child])) {
                    child++;
                }
                if (!worse(heapDist[child], heapIndex[child], dist, point)) {
                    break;
                }
                heapDist[c] = heapDist[child];
                heapIndex[c] = heapIndex[child];
                c = child;
            }
            heapDist[c] = dist;
            heapIndex[c] = point;
        }
    }

    /** {@code (da, ia)} comes after {@code (db, ib)} in the (distance, index) order. */
    private static boolean worse(double da, int ia, double db, int ib) {
        return da > db || (da == db && ia > ib);
    }
}
