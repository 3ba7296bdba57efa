package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** Four 1x2 samples whose values identify them: sample i is (10i, 10i + 1). */
    private static Dataset four() {
        return new Dataset(new Tensor(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, 4, 1, 2),
                new int[] {2, 0, 1, 2}, 3, "four");
    }

    @Test
    void sliceCopiesTheRowsAndLabelsInRange() {
        Dataset d = four();

        Dataset s = d.slice(1, 3);
        s.x().data()[0] = -1;

        assertArrayEquals(new int[] {2, 1, 2}, s.x().shape());
        assertArrayEquals(new int[] {0, 1}, s.y());
        assertEquals(10f, d.x().data()[2], "slice must copy");
        assertEquals(3, s.numClasses());
    }

    @Test
    void subsetFollowsTheIndexOrderWithRepeats() {
        Dataset s = four().subset(new int[] {3, 0, 3});

        assertArrayEquals(new float[] {30, 31, 0, 1, 30, 31}, s.x().data());
        assertArrayEquals(new int[] {2, 2, 2}, s.y());
    }

    @Test
    void yAsTensorGivesFloatClassIndicesOfShapeN() {
        Tensor y = four().yAsTensor();

        assertArrayEquals(new int[] {4}, y.shape());
        assertArrayEquals(new float[] {2, 0, 1, 2}, y.data());
    }

    @Test
    void classCountsCountEachLabel() {
        assertArrayEquals(new int[] {1, 1, 2}, four().classCounts());
    }

    @Test
    void constructorRejectsALabelOutsideTheClassRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 3), new int[] {0, 3}, 3, "bad"));

        assertTrue(e.getMessage().contains("y[1] = 3"), e.getMessage());
    }

    @Test
    void constructorRejectsLabelCountDifferentFromSampleCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset(Tensor.zeros(2, 3), new int[] {0}, 3, "bad"));

        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("1 labels"), e.getMessage());
    }

    @Test
    void outOfRangeSliceAndSubsetAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> four().slice(2, 5));
        assertThrows(IllegalArgumentException.class, () -> four().subset(new int[] {4}));
    }
}
