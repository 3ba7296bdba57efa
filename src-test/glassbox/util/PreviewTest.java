package glassbox.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PreviewTest {
    @Test
    void aLongArrayShowsItsLengthAndFirstThreeValues() {
        assertEquals("int[5] [3, 1, 0, …]", Preview.of(new int[] {3, 1, 0, 7, 9}));
        assertEquals("float[4] [0.0, 0.5, 0.1235, …]", Preview.of(new float[] {0f, 0.5f, 0.123456f, 1f}));
        assertEquals("double[4] [2.53e+10, -1.0, NaN, …]", Preview.of(new double[] {2.53e10, -1, Double.NaN, 4}));
    }

    @Test
    void aShortArrayShowsAllItsValuesAndNoEllipsis() {
        assertEquals("int[0] []", Preview.of(new int[0]));
        assertEquals("double[2] [1.0, 0.25]", Preview.of(new double[] {1, 0.25}));
        assertEquals("[7.0, 8.0, 9.0]", Preview.values(new float[] {7, 8, 9}));
    }

    @Test
    void numbersKeepFourSignificantDigitsAsNumpyPrintsThem() {
        assertEquals("3.0", Preview.number(3));
        assertEquals("0.1", Preview.number(0.1));
        assertEquals("1.235e+07", Preview.number(12_345_678.9));
        assertEquals("0.0001235", Preview.number(1.2345e-4));
        assertEquals("Infinity", Preview.number(Double.POSITIVE_INFINITY));
    }
}
