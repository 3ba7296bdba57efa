package glassbox.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformsTest {
    private static final float EPS = 1e-6f;

    @Test
    void normalizeL2Axis1OfOneImageScalesEachColumnOverItsRows() {
        // x[0] = [[3, 0],
        //         [4, 1]]: column 0 is (3, 4), norm 5; column 1 is (0, 1), norm 1.
        Tensor x = new Tensor(new float[] {3, 0, 4, 1}, 1, 2, 2);

        Tensor out = Transforms.normalizeL2(x, 1);

        assertArrayEquals(new float[] {0.6f, 0f, 0.8f, 1f}, out.data(), EPS);
        assertArrayEquals(new int[] {1, 2, 2}, out.shape());
    }

    @Test
    void normalizeL2Axis1OfTwoImagesMatchesHandArithmeticIncludingAZeroColumn() {
        // image 0 = [[3, 0, 1],     columns: (3,4)/5, (0,0) stays 0, (1,1)/√2
        //            [4, 0, 1]]
        // image 1 = [[6,  5, 0],    columns: (6,8)/10, (5,12)/13, (0,2)/2
        //            [8, 12, 2]]
        Tensor x = new Tensor(new float[] {3, 0, 1, 4, 0, 1, 6, 5, 0, 8, 12, 2}, 2, 2, 3);
        float r = 0.70710678f; // 1/√2

        Tensor out = Transforms.normalizeL2(x, 1);

        assertArrayEquals(new float[] {
            0.6f, 0f, r,
            0.8f, 0f, r,
            0.6f, 5f / 13f, 0f,
            0.8f, 12f / 13f, 1f}, out.data(), EPS);
    }

    @Test
    void normalizeL2LastAxisScalesEachRowAndNegativeAxisCountsFromTheEnd() {
        // row (2, 1, 2) has norm 3; the zero row is left as zeros.
        Tensor x = new Tensor(new float[] {2, 1, 2, 0, 0, 0}, 2, 3);
        float[] expected = {2f / 3, 1f / 3, 2f / 3, 0, 0, 0};

        assertArrayEquals(expected, Transforms.normalizeL2(x, -1).data(), EPS);
        assertArrayEquals(expected, Transforms.normalizeL2(x, 1).data(), EPS);
    }

    @Test
    void normalizeL2Axis0ScalesAcrossSamples() {
        // shape (2, 2): columns down axis 0 are (3, 4) and (0, 5).
        Tensor x = new Tensor(new float[] {3, 0, 4, 5}, 2, 2);

        assertArrayEquals(new float[] {0.6f, 0f, 0.8f, 1f}, Transforms.normalizeL2(x, 0).data(), EPS);
    }

    @Test
    void transformsLeaveTheirInputUntouched() {
        float[] data = {3, 0, 4, 1};
        Tensor x = new Tensor(data, 1, 2, 2);

        Transforms.normalizeL2(x, 1);
        Transforms.scale(x, 2);
        Transforms.divide(x, 255);
        Transforms.threshold(x, 1);
        Transforms.power(x, 2);

        assertArrayEquals(new float[] {3, 0, 4, 1}, data);
    }

    @Test
    void normalizeL2RejectsAnAxisOutOfRangeNamingTheShape() {
        Tensor x = Tensor.zeros(2, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Transforms.normalizeL2(x, 2));

        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
        assertTrue(e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void thresholdIsStrictlyGreaterThan() {
        Tensor x = new Tensor(new float[] {0f, 0.5f, 0.51f, 1f, -3f}, 5);

        assertArrayEquals(new float[] {0, 0, 1, 1, 0}, Transforms.threshold(x, 0.5).data());
    }

    @Test
    void scaleMultipliesAndDivideDivides() {
        Tensor x = new Tensor(new float[] {1, 2, -3}, 3);
        Tensor pixels = new Tensor(new float[] {0, 51, 255}, 3);

        assertArrayEquals(new float[] {0.5f, 1f, -1.5f}, Transforms.scale(x, 0.5).data());
        assertArrayEquals(new float[] {0f, 0.2f, 1f}, Transforms.divide(pixels, 255).data());
        assertThrows(IllegalArgumentException.class, () -> Transforms.divide(x, 0));
    }

    @Test
    void powerRaisesEachElement() {
        Tensor x = new Tensor(new float[] {2, 3, 0, 4, 9}, 5);

        assertArrayEquals(new float[] {4, 9, 0, 16, 81}, Transforms.power(x, 2).data());
        assertArrayEquals(new float[] {1.4142135f, 1.7320508f, 0, 2, 3}, Transforms.power(x, 0.5).data(), EPS);
    }
}
