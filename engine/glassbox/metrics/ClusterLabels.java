package glassbox.metrics;

/**
 * Naming clusters by class labels, to score an unsupervised clustering against the truth as a classifier:
 * map each cluster to a label, then count the samples whose cluster's label is their own.
 *
 * <p>Two ways to choose a cluster's label:
 * <ul>
 *   <li>{@link #majority} — the most frequent true label among the cluster's members (what the usual
 *       "k-means on MNIST" accuracy does: {@code scipy.stats.mode} / {@code np.bincount(...).argmax()} per
 *       cluster). Ties go to the smallest label and an empty cluster gets label 0, both as
 *       {@code argmax} over all-equal counts returns the first index.</li>
 *   <li>{@link #fromRepresentatives} — the label of one chosen sample per cluster (say the sample nearest
 *       each centre), which uses only {@code k} labels.</li>
 * </ul>
 * Several clusters may map to the same label; nothing here is a one-to-one (Hungarian) matching. Cluster
 * ids must be {@code 0 … nClusters−1}: DBSCAN's noise (−1) is not a cluster, so filter it out (or give it
 * its own id) first. Errors name the array, the index and the value.
 */
public final class ClusterLabels {
    private ClusterLabels() {
    }

    /**
     * {@code cluster → the most frequent label among its members} (ties → smallest label; empty cluster → 0).
     *
     * @param clusterOfSample each sample's cluster, in {@code [0, nClusters)}
     * @param labels          each sample's true label, in {@code [0, nClasses)}, same length
     */
    public static int[] majority(int[] clusterOfSample, int[] labels, int nClusters, int nClasses) {
        requirePositive("nClusters", nClusters);
        requirePositive("nClasses", nClasses);
        requireSameLength(clusterOfSample, labels);
        long[][] counts = new long[nClusters][nClasses];
        for (int s = 0; s < labels.length; s++) {
            requireRange("clusterOfSample", s, clusterOfSample[s], nClusters);
            requireRange("labels", s, labels[s], nClasses);
            counts[clusterOfSample[s]][labels[s]]++;
        }
        int[] map = new int[nClusters];
        for (int c = 0; c < nClusters; c++) {
            for (int label = 1; label < nClasses; label++) {
                if (counts[c][label] > counts[c][map[c]]) {
                    map[c] = label;
                }
            }
        }
        return map;
    }

    /**
     * {@code cluster c → labels[representativeOfCluster[c]]}.
     *
     * @param representativeOfCluster for each cluster, the index of its representative sample
     */
    public static int[] fromRepresentatives(int[] representativeOfCluster, int[] labels) {
        int[] map = new int[representativeOfCluster.length];
        for (int c = 0; c < map.length; c++) {
            requireRange("representativeOfCluster", c, representativeOfCluster[c], labels.length);
            map[c] = labels[representativeOfCluster[c]];
        }
        return map;
    }

    /**
     * The fraction of samples whose cluster maps to their true label:
     * {@code mean(clusterToLabel[clusterOfSample[s]] == labels[s])}.
     *
     * @throws IllegalArgumentException on lengths that differ, no samples, or a cluster id outside
     *                                  {@code clusterToLabel}
     */
    public static double accuracy(int[] clusterOfSample, int[] clusterToLabel, int[] labels) {
        requireSameLength(clusterOfSample, labels);
        if (labels.length == 0) {
            throw new IllegalArgumentException("ClusterLabels: no samples; expected at least one to score");
        }
        long correct = 0;
        for (int s = 0; s < labels.length; s++) {
            requireRange("clusterOfSample", s, clusterOfSample[s], clusterToLabel.length);
            correct += clusterToLabel[clusterOfSample[s]] == labels[s] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }

    private static void requireSameLength(int[] clusterOfSample, int[] labels) {
        if (clusterOfSample.length != labels.length) {
            throw new IllegalArgumentException("ClusterLabels: clusterOfSample has " + clusterOfSample.length
                    + " entries but labels has " + labels.length + "; expected one of each per sample");
        }
    }

    private static void requireRange(String array, int index, int value, int bound) {
        if (value < 0 || value >= bound) {
            throw new IllegalArgumentException("ClusterLabels: " + array + "[" + index + "] is " + value
                    + "; expected a value in [0, " + bound + ")");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("ClusterLabels: " + name + " is " + value + "; expected at least 1");
        }
    }
}
