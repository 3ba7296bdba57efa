package glassbox.cluster;

import glassbox.neighbors.PairwiseDistances;
import glassbox.tensor.Tensor;
import glassbox.util.Preview;
import java.util.Arrays;

/**
 * DBSCAN, density-based spatial clustering of applications with noise (Ester, Kriegel, Sander &amp; Xu 1996,
 * KDD): scikit-learn 1.2's {@code DBSCAN(eps=0.5, min_samples=5)} with the Euclidean metric.
 *
 * <p><b>What it finds.</b> A cluster is a maximal set of points connected through dense regions. A point
 * is a <em>core</em> point if its {@code eps}-neighbourhood — every point within distance {@code eps},
 * inclusive, itself counted — holds at least {@code minSamples} points. Core points within {@code eps} of
 * each other belong to the same cluster (take the transitive closure); a non-core point within {@code eps}
 * of a core point is a <em>border</em> point of that point's cluster; everything else is <em>noise</em>
 * (label −1). No number of clusters is asked for, clusters may have any shape, and outliers are left out —
 * at the price of one density threshold for the whole data set: clusters of different densities cannot all
 * be found with one {@code eps}.
 *
 * <p><b>Phases.</b>
 * <ol>
 *   <li><b>Neighbourhoods</b> by blocked GEMM distances, exact at the {@code eps} boundary
 *       ({@link RadiusNeighborhoods}); lists kept only for core points.</li>
 *   <li><b>Expansion</b>, exactly scikit-learn's {@code dbscan_inner}: visit the points in index order; an
 *       unlabelled core point opens the next cluster label and a depth-first search (an explicit stack)
 *       labels everything reachable from it, expanding only core points. A border point within reach of
 *       two clusters therefore keeps the label of the first cluster to reach it — the one whose lowest
 *       core-point index is smallest — so labels equal scikit-learn's, numbering included.</li>
 * </ol>
 *
 * <p>Cost: {@code n²·d} flops for the distances (two cores: about a second for 10,000 MNIST images), and
 * memory for the core points' neighbour lists, which grow with {@code eps}: a huge {@code eps} makes every
 * list all {@code n} points ({@code 4·n²} bytes).
 */
public final class Dbscan {
    private Dbscan() {
    }

    /**
     * @param eps        the neighbourhood radius, {@code > 0} (scikit-learn's default 0.5)
     * @param minSamples how many points, itself included, make a neighbourhood dense, {@code ≥ 1} (default 5)
     */
    public record Options(double eps, int minSamples) {
        public Options {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps is " + eps + "; expected a finite radius > 0");
            }
            if (minSamples < 1) {
                throw new IllegalArgumentException("minSamples is " + minSamples + "; expected at least 1");
            }
        }

        /** scikit-learn's defaults: {@code eps = 0.5, min_samples = 5}. */
        public static Options defaults() {
            return new Options(0.5, 5);
        }

        public Options withEps(double e) {
            return new Options(e, minSamples);
        }

        public Options withMinSamples(int m) {
            return new Options(eps, m);
        }
    }

    /**
     * The clustering: {@code labels} ({@code labels_}: cluster {@code 0 … nClusters−1}, or −1 for noise),
     * {@code coreSampleIndices} ({@code core_sample_indices_}, ascending), the number of clusters and of
     * noise points. Immutable (arrays are copied in and out).
     */
    public record Result(int[] labels, int[] coreSampleIndices, int nClusters, int nNoise) {
        public Result {
            labels = labels.clone();
            coreSampleIndices = coreSampleIndices.clone();
        }

        @Override
        public int[] labels() {
            return labels.clone();
        }

        @Override
        public int[] coreSampleIndices() {
            return coreSampleIndices.clone();
        }

        /** How many points each cluster {@code 0 … nClusters−1} holds (noise not counted). */
        public int[] clusterSizes() {
            int[] sizes = new int[nClusters];
            for (int label : labels) {
                if (label >= 0) {
                    sizes[label]++;
                }
            }
            return sizes;
        }

        /** scikit-learn's fitted attributes in one line, arrays as their length and first values. */
        @Override
        public String toString() {
            return "Dbscan.Result(nClusters=" + nClusters + ", nNoise=" + nNoise + ", labels_=" + Preview.of(labels)
                    + ", coreSampleIndices_=" + Preview.of(coreSampleIndices) + ")";
        }
    }

    /**
     * Clusters the rows of {@code x}.
     *
     * @param x {@code (n_samples, n_features)}, finite, at least one sample; left unmodified
     * @throws IllegalArgumentException if {@code x} is not such a matrix
     */
    public static Result fit(Tensor x, Options o) {
        PairwiseDistances.requireFiniteMatrix("x", x);
        int n = x.dim(0);
        RadiusNeighborhoods hoods = RadiusNeighborhoods.compute(x.data(), n, x.dim(1), o.eps(), o.minSamples());
        boolean[] core = new boolean[n];
        int nCore = 0;
        for (int i = 0; i < n; i++) {
            core[i] = hoods.counts[i] >= o.minSamples();
            nCore += core[i] ? 1 : 0;
        }
        int[] labels = new int[n];
        Arrays.fill(labels, -1);
        int nClusters = expand(core, hoods.lists, labels);
        int[] coreIndices = new int[nCore];
        int nNoise = 0;
        for (int i = 0, c = 0; i < n; i++) {
            if (core[i]) {
                coreIndices[c++] = i;
            }
            nNoise += labels[i] == -1 ? 1 : 0;
        }
        return new Result(labels, coreIndices, nClusters, nNoise);
    }

    /**
     * scikit-learn's {@code dbscan_inner}: labels every point reachable from each unlabelled core point,
     * in index order, by depth-first search; returns the number of clusters.
     */
    private static int expand(boolean[] core, int[][] neighborhoods, int[] labels) {
        int label = 0;
        int[] stack = new int[64];
        for (int start = 0; start < labels.length; start++) {
            if (labels[start] != -1 || !core[start]) {
                continue;
            }
            int top = 0;
            int i = start;
            while (true) {
                if (labels[i] == -1) {
                    labels[i] = label;
                    if (core[i]) {
                        for (int v : neighborhoods[i]) {
                            if (labels[v] == -1) {
                                if (top == stack.length) {
                                    stack = Arrays.copyOf(stack, 2 * top);
                                }
                                stack[top++] = v;
                            }
                        }
                    }
                }
                if (top == 0) {
                    break;
                }
                i = stack[--top];
            }
            label++;
        }
        return label;
    }
}
