package glassbox.tensor;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Im2colTest {

    @Test
    void patchRowsOfASmallImageByHand() {
        // one 3×3 single-channel image 1..9, 2×2 window, stride 1, valid: four patches
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        Window2D g = Window2D.of(3, 3, 1, 2, 2, 1, 1, Padding.VALID);
        float[] cols = new float[4 * 4];
        Im2col.im2col(x, 0, 1, g, cols);
        assertArrayEquals(new float[]{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}, cols);
    }

    @Test
    void samePaddingReadsZerosOutsideTheImage() {
        // 2×2 image, 3×3 window, same: one padding row/column on each side; centre patch of (0,0) is
        // [0 0 0; 0 1 2; 0 3 4]
        float[] x = {1, 2, 3, 4};
        Window2D g = Window2D.of(2, 2, 1, 3, 3, 1, 1, Padding.SAME);
        float[] cols = new float[4 * 9];
        Im2col.im2col(x, 0, 1, g, cols);
        float[] first = java.util.Arrays.copyOf(cols, 9);
        assertArrayEquals(new float[]{0, 0, 0, 0, 1, 2, 0, 3, 4}, first);
    }

    /** col2im is im2col's adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for any x and c. */
    @Test
    void col2imIsTheAdjointOfIm2col() {
        Rng rng = new Rng(3);
        int[][] configs = {{7, 6, 3, 3, 3, 2, 2}, {5, 5, 2, 3, 3, 1, 1}, {8, 7, 4, 2, 3, 2, 1}};
        for (int[] k : configs) {
            for (Padding padding : Padding.values()) {
                Window2D g = Window2D.of(k[0], k[1], k[2], k[3], k[4], k[5], k[6], padding);
                int batch = 3;
                float[] x = new float[batch * g.inputSize()];
                float[] c = new float[batch * g.positions() * g.patchLength()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) rng.uniform(-1, 1);
                }
                for (int i = 0; i < c.length; i++) {
                    c[i] = (float) rng.uniform(-1, 1);
                }
                float[] ax = new float[c.length];
                Im2col.im2col(x, 0, batch, g, ax);
                float[] atc = new float[x.length];
                Im2col.col2im(c, 0, batch, g, atc);
                double lhs = 0;
                double rhs = 0;
                for (int i = 0; i < c.length; i++) {
                    lhs += (double) ax[i] * c[i];
                }
                for (int i = 0; i < x.length; i++) {
                    rhs += (double) x[i] * atc[i];
                }
                assertEquals(lhs, rhs, 1e-4 * Math.max(1, Math.abs(lhs)), g + " " + padding);
            }
        }
    }
}
