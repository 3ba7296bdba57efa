package glassbox.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DBSCAN against a brute-force reference written from the definitions rather than from scikit-learn's
 * loop: core points by counting exact double distances; clusters = connected components of the core
 * points, numbered by their lowest core index; a border point joins the lowest-numbered cluster among its
 * core neighbours (which is what visiting the points in index order, as scikit-learn does, amounts to).
 */
class DbscanTest {

    @Test
    void borderPointReachableFromTwoClustersJoinsTheFirstClusterInIndexOrder() {
        // 1-D, eps 1, minSamples 4. A = {0, .3, .6, 1}, B = {3, 3.4, 3.7, 4}; b = 2 is exactly eps from the
        // ends 1 and 3 of both, with only 3 points in its neighbourhood: a border point of both clusters.
        // 10 is noise.
        float[] aFirst = {0, 0.3f, 0.6f, 1, 2, 3, 3.4f, 3.7f, 4, 10};
        Dbscan.Result r = Dbscan.fit(new Tensor(aFirst, 10, 1), new Dbscan.Options(1.0, 4));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, -1}, r.labels());
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7, 8}, r.coreSampleIndices());
        assertEquals(2, r.nClusters());
        assertEquals(1, r.nNoise());
        assertArrayEquals(new int[] {5, 4}, r.clusterSizes());

        float[] bFirst = {3, 3.4f, 3.7f, 4, 2, 0, 0.3f, 0.6f, 1, 10}; // now B opens cluster 0 and takes b
        r = Dbscan.fit(new Tensor(bFirst, 10, 1), new Dbscan.Options(1.0, 4));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 1, 1, 1, 1, -1}, r.labels());
        assertArrayEquals(referenceLabels(bFirst, 10, 1, 1.0, 4), r.labels());
    }

    @Test
    void aDistanceOfExactlyEpsCountsAsANeighbour() {
        float[] x = {0, 0.1f};
        double exact = 0.1f; // the float 0.1, exactly, as a double
        Dbscan.Result in = Dbscan.fit(new Tensor(x, 2, 1), new Dbscan.Options(exact, 2));
        assertArrayEquals(new int[] {0, 0}, in.labels());
        Dbscan.Result out = Dbscan.fit(new Tensor(x, 2, 1), new Dbscan.Options(Math.nextDown(exact), 2));
        assertArrayEquals(new int[] {-1, -1}, out.labels());
    }

    @Test
    void matchesTheBruteForceReferenceOnBlobsWithNoise() {
        Rng rng = new Rng(21);
        int n = 700;
        int d = 3;
        float[] x = new float[n * d];
        double[][] centres = {{0, 0, 0}, {2.2, 0, 0}, {0, 2.5, 0}, {5, 5, 5}};
        for (int i = 0; i < n; i++) {
            boolean noise = i % 10 == 0;
            double[] c = centres[rng.nextInt(centres.length)];
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (noise ? rng.uniform(-3, 8) : c[j] + 0.6 * rng.nextGaussian());
            }
        }
        float[] before = x.clone();
        int sharedBorders = 0;
        for (double eps : new double[] {0.3, 0.45, 0.7}) {
            for (int minSamples : new int[] {1, 5, 12}) {
                int[] expected = referenceLabels(x, n, d, eps, minSamples);
                Dbscan.Result r = Dbscan.fit(new Tensor(x, n, d), new Dbscan.Options(eps, minSamples));
                assertArrayEquals(expected, r.labels(), "eps " + eps + ", minSamples " + minSamples);
                sharedBorders += countSharedBorders(x, n, d, eps, minSamples);
                int noise = 0;
                for (int label : expected) {
                    noise += label == -1 ? 1 : 0;
                }
                assertEquals(noise, r.nNoise());
            }
        }
        assertTrue(sharedBorders > 0, "the data must contain border points reachable from two clusters");
        assertArrayEquals(before, x, "input left unmodified");
    }

    @Test
    void blockedNeighbourhoodsAreExactAtTheBoundaryEvenWhereFloatGemmIsNot() {
        // Points far from the origin (norms ~ 3·300²) with partners exactly eps away: the float GEMM distance
        // is off by far more than the gap to eps², so these pairs must be decided by the exact recheck.
        Rng rng = new Rng(8);
        int pairs = 90;
        int n = 2 * pairs;
        int d = 3;
        float eps = 0.5f;
        float[] x = new float[n * d];
        for (int i = 0; i < pairs; i++) {
            for (int j = 0; j < d; j++) {
                float v = (float) rng.uniform(280, 320);
                x[2 * i * d + j] = v;
                x[(2 * i + 1) * d + j] = j == i % d ? v + eps : v; // exactly representable: ulp(300) = 2⁻¹⁵
            }
        }
        RadiusNeighborhoods hoods = RadiusNeighborhoods.compute(x, n, d, eps, 3, 7); // 7-row blocks
        assertTrue(hoods.rechecked > 0, "borderline pairs were rechecked in double");
        for (int i = 0; i < n; i++) {
            List<Integer> expected = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                if (squaredDistance(x, i, j, d) <= (double) eps * eps) {
                    expected.add(j);
                }
            }
            assertEquals(expected.size(), hoods.counts[i], "neighbourhood size of " + i);
            if (expected.size() >= 3) {
                assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), hoods.lists[i]);
            } else {
                assertNull(hoods.lists[i], "only lists that can make a core point are kept");
            }
        }
        int[] labels = Dbscan.fit(new Tensor(x, n, d), new Dbscan.Options(eps, 2)).labels();
        assertArrayEquals(referenceLabels(x, n, d, eps, 2), labels);
    }

    @Test
    void badArgumentsAreNamed() {
        for (double eps : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Dbscan.Options.defaults().withEps(eps));
            assertTrue(e.getMessage().startsWith("eps is " + eps), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dbscan.Options.defaults().withMinSamples(0));
        assertTrue(e.getMessage().contains("minSamples is 0") && e.getMessage().contains("at least 1"));
        e = assertThrows(IllegalArgumentException.class,
                () -> Dbscan.fit(new Tensor(new float[] {0, Float.NaN}, 2, 1), Dbscan.Options.defaults()));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dbscan.fit(Tensor.zeros(0, 2), Dbscan.Options.defaults()));
        assertEquals(new Dbscan.Options(0.5, 5), Dbscan.Options.defaults());
    }

    private static double squaredDistance(float[] x, int i, int j, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double diff = (double) x[i * d + c] - x[j * d + c];
            s += diff * diff;
        }
        return s;
    }

    private static boolean[] corePoints(float[] x, int n, int d, double eps, int minSamples) {
        boolean[] core = new boolean[n];
        for (int i = 0; i < n; i++) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                count += squaredDistance(x, i, j, d) <= eps * eps ? 1 : 0;
            }
            core[i] = count >= minSamples;
        }
        return core;
    }

    /** The reference: components of the core graph by breadth-first search, then borders to the lowest label. */
    static int[] referenceLabels(float[] x, int n, int d, double eps, int minSamples) {
        boolean[] core = corePoints(x, n, d, eps, minSamples);
        int[] component = new int[n];
        Arrays.fill(component, -1);
        int next = 0;
        for (int s = 0; s < n; s++) {
            if (!core[s] || component[s] != -1) {
                continue;
            }
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(s));
            component[s] = next;
            while (!queue.isEmpty()) {
                int i = queue.poll();
                for (int j = 0; j < n; j++) {
                    if (core[j] && component[j] == -1 && squaredDistance(x, i, j, d) <= eps * eps) {
                        component[j] = next;
                        queue.add(j);
                    }
                }
            }
            next++;
        }
        int[] labels = component.clone();
        for (int b = 0; b < n; b++) {
            if (core[b]) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                if (core[c] && squaredDistance(x, b, c, d) <= eps * eps
                        && (labels[b] == -1 || component[c] < labels[b])) {
                    labels[b] = component[c];
                }
            }
        }
        return labels;
    }

    /** Non-core points with core neighbours in two different clusters. */
    private static int countSharedBorders(float[] x, int n, int d, double eps, int minSamples) {
        boolean[] core = corePoints(x, n, d, eps, minSamples);
        int[] labels = referenceLabels(x, n, d, eps, minSamples);
        int shared = 0;
        for (int b = 0; b < n; b++) {
            if (core[b]) {
                continue;
            }
            for (int c = 0; c < n; c++) {
                if (core[c] && labels[c] != labels[b] && squaredDistance(x, b, c, d) <= eps * eps) {
                    shared++;
                    break;
                }
            }
        }
        return shared;
    }
}
