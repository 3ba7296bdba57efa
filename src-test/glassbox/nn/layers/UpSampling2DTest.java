package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UpSampling2DTest {

    @Test
    void eachPixelBecomesABlockByHand() {
        UpSampling2D up = new UpSampling2D(2);
        up.build(new int[]{2, 2, 1}, new Rng(0));
        Tensor y = up.forward(new Tensor(new float[]{1, 2, 3, 4}, 1, 2, 2, 1), false);
        assertArrayEquals(new float[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, y.data());
    }

    @Test
    void forwardAndGradientMatchTheDirectLoops() {
        int batch = 2, h = 3, w = 5, c = 3, sh = 2, sw = 3;
        UpSampling2D up = new UpSampling2D(sh, sw, null);
        up.build(new int[]{h, w, c}, new Rng(0));
        Tensor x = GradientCheck.uniform(1, -1, 1, batch, h, w, c);
        Tensor y = up.forward(x, true);
        Tensor dy = GradientCheck.uniform(2, -1, 1, y.shape());
        double[] refDx = new double[x.size()];
        for (int n = 0; n < batch; n++) {
            for (int i = 0; i < h * sh; i++) {
                for (int j = 0; j < w * sw; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        int o = ((n * h * sh + i) * w * sw + j) * c + ch;
                        int src = ((n * h + i / sh) * w + j / sw) * c + ch;
                        assertEquals(x.data()[src], y.data()[o], 0.0);
                        refDx[src] += dy.data()[o];
                    }
                }
            }
        }
        Tensor dx = up.backward(dy);
        for (int i = 0; i < dx.size(); i++) {
            assertEquals(refDx[i], dx.data()[i], 1e-5 * Math.max(1, Math.abs(refDx[i])));
        }
    }

    @Test
    void backwardMatchesNumericalGradient() {
        UpSampling2D up = new UpSampling2D(2, 2, null);
        up.build(new int[]{3, 4, 2}, new Rng(0));
        assertPasses(GradientCheck.forFloatLayers().checkLayer(up, GradientCheck.uniform(3, -1, 1, 2, 3, 4, 2), 4));
    }

    @Test
    void nonPositiveSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new UpSampling2D(0));
    }
}
