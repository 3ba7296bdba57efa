package glassbox.cluster;

import glassbox.util.Rng;
import java.util.Arrays;

/**
 * One step of {@link MiniBatchKMeans} and the per-centre counts it carries between steps: scikit-learn
 * 1.2's {@code _mini_batch_step} with {@code _minibatch_update_dense}.
 *
 * <ol>
 *   <li>Label the batch against the current centres; its inertia (double, from the definition) is what
 *       the step returns.</li>
 *   <li>For each centre {@code j} that received {@code m_j > 0} rows with sum {@code S_j}:
 *       {@code c_j ← (c_j·count_j + S_j) / (count_j + m_j)}, {@code count_j += m_j} — the mean of every row
 *       it has received, i.e. a gradient step with learning rate {@code 1/count_j}. Others stay.</li>
 *   <li>If asked to reassign: centres with {@code count < ratio · max count} — at most half a batch of
 *       them, keeping those of lowest count — move to distinct rows of the batch drawn uniformly, in
 *       centre order, and their counts become the smallest count among the others.</li>
 * </ol>
 */
final class MiniBatchStep {
    private final int k;
    private final int d;
    private final double reassignmentRatio;
    private final double[] counts;
    private final double[] sums;
    private final int[] batchCounts;

    MiniBatchStep(int k, int d, double reassignmentRatio) {
        this.k = k;
        this.d = d;
        this.reassignmentRatio = reassignmentRatio;
        this.counts = new double[k];
        this.sums = new double[k * d];
        this.batchCounts = new int[k];
    }

    /** The number of rows each centre has received (raised for reassigned centres). */
    double[] counts() {
        return counts.clone();
    }

    /** Whether some centre has not received a row yet (scikit-learn then always reassigns). */
    boolean anyEmpty() {
        for (double c : counts) {
            if (c == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Updates {@code centersNew} from {@code centers} with the {@code m} rows of {@code batch}; returns the
     * batch's inertia against {@code centers}.
     */
    double step(float[] batch, int m, float[] centers, float[] centersNew, boolean reassign, Rng rng) {
        int[] labels = Assignment.nearest(batch, m, d, centers, k);
        double inertia = Assignment.inertia(batch, m, d, centers, labels);
        Arrays.fill(sums, 0);
        Arrays.fill(batchCounts, 0);
        for (int i = 0; i < m; i++) {
            int at = labels[i] * d;
            for (int f = 0; f < d; f++) {
                sums[at + f] += batch[i * d + f];
            }
            batchCounts[labels[i]]++;
        }
        for (int j = 0; j < k; j++) {
            int at = j * d;
            if (batchCounts[j] == 0) {
                System.arraycopy(centers, at, centersNew, at, d);
                continue;
            }
            double updated = counts[j] + batchCounts[j];
            for (int f = 0; f < d; f++) {
                centersNew[at + f] = (float) ((centers[at + f] * counts[j] + sums[at + f]) / updated);
            }
            counts[j] = updated;
        }
        if (reassign && reassignmentRatio > 0) {
            reassignLowCounts(batch, m, centersNew, rng);
        }
        return inertia;
    }

    private void reassignLowCounts(float[] batch, int m, float[] centersNew, Rng rng) {
        double max = 0;
        for (double c : counts) {
            max = Math.max(max, c);
        }
        boolean[] toReassign = new boolean[k];
        int chosen = 0;
        for (int j = 0; j < k; j++) {
            toReassign[j] = counts[j] < reassignmentRatio * max;
            chosen += toReassign[j] ? 1 : 0;
        }
        int limit = (int) (0.5 * m);
        if (chosen > 0.5 * m) { // keep only the `limit` lowest counts (ties: the lower index first)
            Integer[] order = new Integer[k];
            for (int j = 0; j < k; j++) {
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(counts[a], counts[b]));
            for (int r = limit; r < k; r++) {
                toReassign[order[r]] = false;
            }
            chosen = 0;
            for (boolean t : toReassign) {
                chosen += t ? 1 : 0;
            }
        }
        if (chosen == 0) {
            return;
        }
        int[] rows = new int[m]; // a partial Fisher–Yates shuffle: `chosen` distinct batch rows
        for (int i = 0; i < m; i++) {
            rows[i] = i;
        }
        for (int s = 0; s < chosen; s++) {
            int r = s + rng.nextInt(m - s);
            int t = rows[s];
            rows[s] = rows[r];
            rows[r] = t;
        }
        double minKept = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (!toReassign[j]) {
                minKept = Math.min(minKept, counts[j]);
            }
        }
        int next = 0;
        for (int j = 0; j < k; j++) {
            if (toReassign[j]) {
                System.arraycopy(batch, rows[next++] * d, centersNew, j * d, d);
                counts[j] = minKept;
            }
        }
    }
}
