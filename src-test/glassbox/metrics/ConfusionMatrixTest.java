package glassbox.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    // Ten samples of three classes, counted by hand:
    //   true 0: predicted 0, 1, 0, 0   → row 0 = [3, 1, 0]
    //   true 1: predicted 1, 0         → row 1 = [1, 1, 0]
    //   true 2: predicted 2, 2, 0, 2   → row 2 = [1, 0, 3]
    private static final int[] Y_TRUE = {0, 0, 0, 1, 1, 2, 2, 2, 2, 0};
    private static final int[] Y_PRED = {0, 1, 0, 1, 0, 2, 2, 0, 2, 0};

    @Test
    void countsTruePredictedPairsRowsTrueColumnsPredicted() {
        ConfusionMatrix cm = ConfusionMatrix.of(Y_TRUE, Y_PRED, 3);

        assertArrayEquals(new long[][] {{3, 1, 0}, {1, 1, 0}, {1, 0, 3}}, cm.counts());
        assertEquals(1, cm.count(0, 1), "one sample of class 0 predicted as 1");
        assertEquals(10, cm.total());
        assertEquals(3, cm.numClasses());
    }

    @Test
    void matchesScikitLearnsDocumentedExample() {
        // sklearn.metrics.confusion_matrix docstring: y_true = [2, 0, 2, 2, 0, 1], y_pred = [0, 0, 2, 2, 0, 2]
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {2, 0, 2, 2, 0, 1}, new int[] {0, 0, 2, 2, 0, 2}, 3);
        assertArrayEquals(new long[][] {{2, 0, 0}, {0, 0, 1}, {1, 0, 2}}, cm.counts());
    }

    @Test
    void accuracyRecallPrecisionAndNormalizedRows() {
        ConfusionMatrix cm = ConfusionMatrix.of(Y_TRUE, Y_PRED, 3);

        assertEquals(0.7, cm.accuracy(), 1e-15); // (3 + 1 + 3) / 10
        assertArrayEquals(new double[] {3 / 4.0, 1 / 2.0, 3 / 4.0}, cm.recall(), 1e-15);
        assertArrayEquals(new double[] {3 / 5.0, 1 / 2.0, 3 / 3.0}, cm.precision(), 1e-15); // column sums 5, 2, 3
        double[][] normalized = cm.normalized();
        assertArrayEquals(new double[] {0.75, 0.25, 0}, normalized[0], 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, normalized[1], 1e-15);
        assertArrayEquals(new double[] {0.25, 0, 0.75}, normalized[2], 1e-15);
    }

    @Test
    void classWithNoSamplesHasUndefinedRecallAndPrecisionAndAZeroRow() {
        ConfusionMatrix cm = ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 0}, 4);

        assertEquals(4, cm.numClasses());
        double[] recall = cm.recall();
        assertEquals(1.0, recall[0]);
        assertEquals(0.0, recall[1]);
        assertTrue(Double.isNaN(recall[2]) && Double.isNaN(recall[3]), "no samples of 2 or 3");
        double[] precision = cm.precision();
        assertEquals(0.5, precision[0]);
        assertTrue(Double.isNaN(precision[1]), "1 was never predicted");
        assertArrayEquals(new double[] {0, 0, 0, 0}, cm.normalized()[3]);
        assertTrue(Double.isNaN(ConfusionMatrix.of(new int[0], new int[0], 2).accuracy()), "no samples");
    }

    @Test
    void mismatchedLengthsAndLabelsOutOfRangeAreRejectedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1, 1}, new int[] {0, 1}, 2));
        assertEquals("ConfusionMatrix: yTrue has 3 labels but yPred has 2; expected one prediction per sample",
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ConfusionMatrix.of(new int[] {0, 1}, new int[] {0, 5}, 2));
        assertEquals("ConfusionMatrix: yPred[1] = 5 is outside [0, 2); expected a class index below numClasses",
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[] {-1}, new int[] {0}, 2));
        assertTrue(e.getMessage().contains("yTrue[0] = -1"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[0], new int[0], 0));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(new long[][] {{1, 2}, {3}}));
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.ofCounts(new long[][] {{-1}}));
    }

    @Test
    void ofCountsCopiesAndCountsIsACopy() {
        long[][] counts = {{5, 1}, {2, 7}};
        ConfusionMatrix cm = ConfusionMatrix.ofCounts(counts);
        counts[0][0] = 99;
        cm.counts()[0][0] = 99;
        assertEquals(5, cm.count(0, 0));
        assertEquals(12 / 15.0, cm.accuracy(), 1e-15);
    }

    @Test
    void tableListsCountsRecallAndPrecision() {
        ConfusionMatrix cm = ConfusionMatrix.of(Y_TRUE, Y_PRED, 3);
        var table = cm.table("confusion", List.of("a", "b", "c"));
        assertEquals(List.of("true \\ predicted", "a", "b", "c", "recall"), table.columns());
        assertEquals(List.of("a", 3L, 1L, 0L, 0.75), table.rows().get(0));
        assertEquals(List.of("precision", 0.6, 0.5, 1.0), table.rows().get(3).subList(0, 4));
        assertThrows(IllegalArgumentException.class, () -> cm.table("t", List.of("a")));
    }
}
