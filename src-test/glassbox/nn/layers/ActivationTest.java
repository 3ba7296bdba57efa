package glassbox.nn.layers;

import glassbox.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The activations' fused bias form, {@code y = f(z + b)} in one pass: the same bits as adding the bias in
 * its own loop and then applying {@code f} — at offsets, in place, with one column (a one-filter
 * convolution) and with blocks of rows that do not divide the row count. The formulas themselves and
 * their gradients are checked in {@link ActivationLayerTest}.
 */
class ActivationTest {

    @ParameterizedTest
    @EnumSource(Activation.class)
    void biasFormGivesTheBitsOfABiasLoopThenTheActivation(Activation activation) {
        Rng rng = new Rng(3);
        for (int[] shape : new int[][]{{1, 1}, {3, 5}, {2000, 1}, {97, 32}, {33, 128}}) {
            int rows = shape[0];
            int cols = shape[1];
            float[] z = new float[7 + rows * cols];
            float[] b = new float[cols];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) rng.uniform(-4, 4);
            }
            for (int j = 0; j < cols; j++) {
                b[j] = (float) rng.uniform(-1, 1);
            }
            float[] expected = new float[5 + rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < cols; j++) {
                    expected[5 + r * cols + j] = z[7 + r * cols + j] + b[j];
                }
            }
            activation.forward(expected, 5, expected, 5, rows, cols);

            float[] y = new float[5 + rows * cols];
            activation.forward(z, 7, b, y, 5, rows, cols);
            assertArrayEquals(expected, y, activation + " " + rows + "×" + cols + " into another array");

            float[] inPlace = new float[5 + rows * cols];
            System.arraycopy(z, 7, inPlace, 5, rows * cols);
            activation.forward(inPlace, 5, b, inPlace, 5, rows, cols);
            assertArrayEquals(expected, inPlace, activation + " " + rows + "×" + cols + " in place");

            float[] noBias = new float[rows * cols];
            float[] plain = new float[rows * cols];
            activation.forward(z, 7, null, noBias, 0, rows, cols);
            activation.forward(z, 7, plain, 0, rows, cols);
            assertArrayEquals(plain, noBias, activation + " " + rows + "×" + cols + " without a bias");
        }
    }
}
