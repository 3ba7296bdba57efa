package glassbox.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusterLabelsTest {
    //                                        s: 0  1  2  3  4  5  6  7
    private static final int[] CLUSTER = {0, 0, 0, 1, 1, 2, 2, 2};
    private static final int[] LABELS = {4, 4, 1, 2, 3, 0, 0, 1};

    @Test
    void majorityTakesTheMostFrequentLabelTiesToTheSmallestEmptyClusterToZero() {
        // cluster 0: {4, 4, 1} → 4; cluster 1: {2, 3} tie → 2; cluster 2: {0, 0, 1} → 0; cluster 3 empty → 0
        assertArrayEquals(new int[] {4, 2, 0, 0}, ClusterLabels.majority(CLUSTER, LABELS, 4, 5));
    }

    @Test
    void representativesGiveTheirOwnLabel() {
        assertArrayEquals(new int[] {1, 3, 0}, ClusterLabels.fromRepresentatives(new int[] {2, 4, 6}, LABELS));
    }

    @Test
    void accuracyCountsSamplesWhoseClusterMapsToTheirLabel() {
        int[] map = ClusterLabels.majority(CLUSTER, LABELS, 3, 5); // {4, 2, 0}: samples 0, 1, 3, 5, 6 right
        assertEquals(5.0 / 8, ClusterLabels.accuracy(CLUSTER, map, LABELS));
        assertEquals(1.0, ClusterLabels.accuracy(LABELS, new int[] {0, 1, 2, 3, 4}, LABELS));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage(() -> ClusterLabels.majority(new int[3], new int[4], 2, 2), "clusterOfSample has 3",
                "labels has 4");
        assertMessage(() -> ClusterLabels.majority(new int[] {0, -1}, new int[2], 2, 2), "clusterOfSample[1] is -1",
                "[0, 2)");
        assertMessage(() -> ClusterLabels.majority(new int[2], new int[] {0, 7}, 2, 3), "labels[1] is 7");
        assertMessage(() -> ClusterLabels.majority(new int[0], new int[0], 0, 3), "nClusters is 0");
        assertMessage(() -> ClusterLabels.fromRepresentatives(new int[] {8}, LABELS),
                "representativeOfCluster[0] is 8", "[0, 8)");
        assertMessage(() -> ClusterLabels.accuracy(new int[] {0, 3}, new int[] {0, 1}, new int[2]),
                "clusterOfSample[1] is 3");
        assertMessage(() -> ClusterLabels.accuracy(new int[0], new int[1], new int[0]), "no samples");
        assertMessage(() -> ClusterLabels.accuracy(new int[1], new int[1], new int[2]), "clusterOfSample has 1");
    }

    private static void assertMessage(Runnable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should contain '" + p + "'");
        }
    }
}
