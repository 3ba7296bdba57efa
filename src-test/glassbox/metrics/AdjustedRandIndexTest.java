package glassbox.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

class AdjustedRandIndexTest {

    @Test
    void scikitLearnDocumentationExamples() {
        assertEquals(1.0, AdjustedRandIndex.score(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 1}));
        assertEquals(1.0, AdjustedRandIndex.score(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}));
        // Pairs (ordered): tp = 2, fp = 2, fn = 0, tn = 8, so ARI = 2·(2·8)/(2·8 + 4·10) = 4/7 exactly, rounded
        // once: 0.5714285714285714, as scikit-learn 1.2.1 prints (older docs show …715, from the C(n, 2)
        // formula's extra roundings).
        assertEquals(4.0 / 7, AdjustedRandIndex.score(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}));
        assertEquals(4.0 / 7, AdjustedRandIndex.score(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 2}));
        assertEquals(0.0, AdjustedRandIndex.score(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}));
        assertEquals(-0.5, AdjustedRandIndex.score(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}));
    }

    @Test
    void degenerateCasesFollowScikitLearn() {
        assertEquals(1.0, AdjustedRandIndex.score(new int[] {3, 3, 3}, new int[] {-1, -1, -1}), "one cluster each");
        assertEquals(1.0, AdjustedRandIndex.score(new int[] {0, 1, 2}, new int[] {5, 4, 3}), "all apart in both");
        assertEquals(1.0, AdjustedRandIndex.score(new int[0], new int[0]), "no samples");
        assertEquals(0.0, AdjustedRandIndex.score(new int[] {0, 0}, new int[] {0, 1}));
    }

    @Test
    void matchesHubertArabiesPairCountingFormulaOnRandomLabelings() {
        Rng rng = new Rng(4);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + rng.nextInt(200);
            int[] a = new int[n];
            int[] b = new int[n];
            for (int s = 0; s < n; s++) {
                a[s] = rng.nextInt(1 + trial % 6) - 1; // includes −1, as DBSCAN's noise
                b[s] = rng.nextDouble() < 0.7 ? a[s] * 3 + 7 : rng.nextInt(4);
            }
            assertEquals(hubertArabie(a, b), AdjustedRandIndex.score(a, b), 1e-12, "trial " + trial);
        }
    }

    @Test
    void invariantToRenamingLabelsPermutingSamplesAndSwappingArguments() {
        Rng rng = new Rng(9);
        int n = 150;
        int[] a = new int[n];
        int[] b = new int[n];
        for (int s = 0; s < n; s++) {
            a[s] = rng.nextInt(5);
            b[s] = rng.nextDouble() < 0.6 ? a[s] : rng.nextInt(7);
        }
        double score = AdjustedRandIndex.score(a, b);
        int[] renamed = new int[n];
        int[] perm = rng.permutation(n);
        int[] pa = new int[n];
        int[] pb = new int[n];
        for (int s = 0; s < n; s++) {
            renamed[s] = 100 - 13 * b[s];
            pa[s] = a[perm[s]];
            pb[s] = b[perm[s]];
        }
        assertEquals(score, AdjustedRandIndex.score(a, renamed));
        assertEquals(score, AdjustedRandIndex.score(pa, pb));
        assertEquals(score, AdjustedRandIndex.score(b, a));
        assertTrue(score > 0.2 && score < 1, "partly agreeing labelings: " + score);
    }

    @Test
    void labelArraysOfDifferentLengthsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdjustedRandIndex.score(new int[3], new int[4]));
        assertTrue(e.getMessage().contains("labelsTrue has 3") && e.getMessage().contains("labelsPred has 4"),
                e.getMessage());
    }

    /** The textbook form: (index − expected index) / (max index − expected index), with C(m, 2) pair counts. */
    private static double hubertArabie(int[] a, int[] b) {
        int n = a.length;
        double together = 0;
        double togetherA = 0;
        double togetherB = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean sameA = a[i] == a[j];
                boolean sameB = b[i] == b[j];
                together += sameA && sameB ? 1 : 0;
                togetherA += sameA ? 1 : 0;
                togetherB += sameB ? 1 : 0;
            }
        }
        double pairs = n * (n - 1) / 2.0;
        double expected = togetherA * togetherB / pairs;
        double max = (togetherA + togetherB) / 2;
        return max == expected ? 1.0 : (together - expected) / (max - expected);
    }
}
