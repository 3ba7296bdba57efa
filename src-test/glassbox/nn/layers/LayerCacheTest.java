package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Layer.cache()}: what the last forward kept, as read-only copies, for looking inside a layer. */
class LayerCacheTest {

    private static <L extends Layer> L built(L layer, int... sample) {
        layer.build(sample, new Rng(1));
        return layer;
    }

    @Test
    void denseKeepsItsInputAndActivatedOutput() {
        Dense dense = built(new Dense(3, "relu"), 4);
        assertTrue(dense.cache().isEmpty(), "nothing before the first forward");
        Tensor x = GradientCheck.uniform(1, -1, 1, 2, 4);
        Tensor y = dense.forward(x, true).copy();
        Map<String, Tensor> cache = dense.cache();
        assertEquals(List.of("x", "y"), List.copyOf(cache.keySet()));
        assertArrayEquals(x.data(), cache.get("x").data());
        assertArrayEquals(y.data(), cache.get("y").data());
        for (float v : cache.get("y").data()) {
            assertTrue(v >= 0, "relu output");
        }
    }

    @Test
    void theCacheIsACopyThatChangesNothing() {
        Conv2D conv = built(new Conv2D(2, 3, "same", "tanh"), 4, 4, 1);
        Tensor x = GradientCheck.uniform(1, -1, 1, 1, 4, 4, 1);
        Tensor y = conv.forward(x, true).copy();
        Map<String, Tensor> cache = conv.cache();
        java.util.Arrays.fill(cache.get("y").data(), 42f);
        assertArrayEquals(y.data(), conv.cache().get("y").data());
        assertThrows(UnsupportedOperationException.class, () -> cache.put("z", x));
    }

    @Test
    void dropoutsMaskIsWhatScaledTheOutput() {
        Dropout dropout = built(new Dropout(0.5), 20);
        Tensor x = GradientCheck.uniform(2, 0.5, 1, 3, 20); // no zeros, so y/x is the mask
        Tensor y = dropout.forward(x, true).copy();
        Tensor mask = dropout.cache().get("mask");
        assertArrayEquals(x.shape(), mask.shape());
        for (int i = 0; i < y.size(); i++) {
            assertEquals(y.data()[i] / x.data()[i], mask.data()[i], 1e-6);
            assertTrue(mask.data()[i] == 0f || mask.data()[i] == 2f, "0 or 1/(1 − rate)");
        }
        dropout.forward(x, false);
        assertTrue(dropout.cache().isEmpty(), "inference keeps no mask");
    }

    @Test
    void batchNormsNormalisedInputHasZeroMeanAndUnitVariancePerChannel() {
        BatchNormalization bn = built(new BatchNormalization(), 3, 2);
        Tensor x = GradientCheck.uniform(3, -2, 5, 4, 3, 2);
        bn.forward(x, true);
        Tensor xHat = bn.cache().get("x_hat");
        Tensor invStd = bn.cache().get("inv_std");
        assertEquals(2, invStd.size());
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double squares = 0;
            double xs = 0;
            double xSquares = 0;
            for (int i = c; i < xHat.size(); i += 2) {
                sum += xHat.data()[i];
                squares += xHat.data()[i] * xHat.data()[i];
                xs += x.data()[i];
                xSquares += x.data()[i] * x.data()[i];
            }
            int n = xHat.size() / 2;
            assertEquals(0, sum / n, 1e-5);
            double variance = xSquares / n - (xs / n) * (xs / n); // biased, as batch norm uses
            assertEquals(variance / (variance + 1e-3), squares / n, 1e-4);
            assertEquals(1 / Math.sqrt(variance + 1e-3), invStd.data()[c], 1e-4);
        }
    }

    @Test
    void poolingAndActivationKeepWhatTheirBackwardReads() {
        MaxPooling2D pool = built(new MaxPooling2D(), 4, 4, 1);
        pool.forward(GradientCheck.uniform(1, -1, 1, 1, 4, 4, 1), true);
        assertEquals(List.of("x", "y"), List.copyOf(pool.cache().keySet()));
        ActivationLayer softmax = built(ActivationLayer.softmax(), 5);
        softmax.forward(GradientCheck.uniform(1, -1, 1, 2, 5), true);
        assertEquals(List.of("y"), List.copyOf(softmax.cache().keySet()));
        Flatten flatten = built(new Flatten(), 2, 2);
        flatten.forward(Tensor.zeros(1, 2, 2), true);
        assertTrue(flatten.cache().isEmpty());
    }
}
