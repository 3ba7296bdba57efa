package glassbox.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TensorFlow's output sizes and padding offsets, worked out by hand from its documented rule. */
class PaddingTest {

    @Test
    void validKeepsOnlyWholeWindows() {
        assertEquals(26, Padding.VALID.outputLength(28, 3, 1)); // 28 − 3 + 1
        assertEquals(13, Padding.VALID.outputLength(26, 2, 2)); // the seed's pooling after the 128-filter conv
        assertEquals(6, Padding.VALID.outputLength(13, 2, 2));  // ⌊13/2⌋: the last row is dropped
        assertEquals(2, Padding.VALID.outputLength(6, 3, 2));   // windows at 0 and 2; one at 4 would need row 6
        assertEquals(0, Padding.VALID.padBefore(28, 3, 1));
    }

    @Test
    void sameSplitsOddPaddingWithTheExtraRowAfter() {
        // 28, k 3, s 1: out 28, total (27·1 + 3 − 28) = 2 → 1 before, 1 after
        assertEquals(28, Padding.SAME.outputLength(28, 3, 1));
        assertEquals(1, Padding.SAME.padBefore(28, 3, 1));
        // 7, k 2, s 2 (seed 003's third pooling): out 4, total (3·2 + 2 − 7) = 1 → 0 before, 1 after
        assertEquals(4, Padding.SAME.outputLength(7, 2, 2));
        assertEquals(0, Padding.SAME.padBefore(7, 2, 2));
        // 6, k 3, s 2: out 3, total (2·2 + 3 − 6) = 1 → 0 before (TensorFlow), where PyTorch's padding=1 puts 1
        assertEquals(3, Padding.SAME.outputLength(6, 3, 2));
        assertEquals(0, Padding.SAME.padBefore(6, 3, 2));
        // 5, k 3, s 2: out 3, total (2·2 + 3 − 5) = 2 → 1 before
        assertEquals(3, Padding.SAME.outputLength(5, 3, 2));
        assertEquals(1, Padding.SAME.padBefore(5, 3, 2));
        // 8, k 2, s 2: windows tile exactly, no padding
        assertEquals(4, Padding.SAME.outputLength(8, 2, 2));
        assertEquals(0, Padding.SAME.padBefore(8, 2, 2));
    }

    @Test
    void unknownNameListsTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Padding.of("full"));
        assertTrue(e.getMessage().contains("'full'") && e.getMessage().contains("\"same\""), e.getMessage());
        assertEquals(Padding.SAME, Padding.of("SAME"));
    }
}
