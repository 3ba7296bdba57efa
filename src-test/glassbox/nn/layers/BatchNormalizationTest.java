package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static glassbox.nn.GradientAssert.assertPasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNormalization against the paper's step-by-step form (Ioffe &amp; Szegedy 2015, Algorithm 1 and its
 * backward chain rule through μ and σ², computed in double) — a different formula from the layer's compact
 * one — plus the numerical gradient check in training mode and Keras's moving statistics.
 */
class BatchNormalizationTest {

    private static BatchNormalization built(int[] shape, long seed) {
        BatchNormalization bn = new BatchNormalization();
        bn.build(shape, new Rng(0));
        Rng rng = new Rng(seed);
        for (float[] p : new float[][]{bn.params().get(0).value().data(), bn.params().get(1).value().data()}) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) rng.uniform(0.5, 1.5); // γ and β away from their 1/0 defaults
            }
        }
        return bn;
    }

    @Test
    void trainingForwardAndGradientsMatchThePapersChainRule() {
        int batch = 4, h = 3, w = 2, c = 5;
        BatchNormalization bn = built(new int[]{h, w, c}, 3);
        Tensor x = GradientCheck.uniform(4, -2, 3, batch, h, w, c);
        Tensor y = bn.forward(x, true);
        Tensor dy = GradientCheck.uniform(5, -1, 1, y.shape());
        bn.params().forEach(Param::zeroGrad);
        Tensor dx = bn.backward(dy);

        int m = batch * h * w;
        double eps = 1e-3;
        float[] gamma = bn.params().get(0).value().data();
        float[] beta = bn.params().get(1).value().data();
        for (int ch = 0; ch < c; ch++) {
            double mu = 0;
            for (int i = 0; i < m; i++) {
                mu += x.data()[i * c + ch];
            }
            mu /= m;
            double var = 0;
            for (int i = 0; i < m; i++) {
                var += Math.pow(x.data()[i * c + ch] - mu, 2);
            }
            var /= m;
            double dVar = 0;
            double dMu = 0;
            double dGamma = 0;
            double dBeta = 0;
            double sumCentered = 0;
            for (int i = 0; i < m; i++) {
                double xc = x.data()[i * c + ch] - mu;
                double xHat = xc / Math.sqrt(var + eps);
                double g = dy.data()[i * c + ch];
                assertEquals(gamma[ch] * xHat + beta[ch], y.data()[i * c + ch], 1e-5, "y");
                double dxHat = g * gamma[ch];
                dVar += dxHat * xc * -0.5 * Math.pow(var + eps, -1.5);
                dMu += -dxHat / Math.sqrt(var + eps);
                sumCentered += -2 * xc;
                dGamma += g * xHat;
                dBeta += g;
            }
            dMu += dVar * sumCentered / m;
            assertEquals(dGamma, bn.params().get(0).grad().data()[ch], 1e-5 * Math.max(1, Math.abs(dGamma)), "dγ");
            assertEquals(dBeta, bn.params().get(1).grad().data()[ch], 1e-5 * Math.max(1, Math.abs(dBeta)), "dβ");
            for (int i = 0; i < m; i++) {
                double xc = x.data()[i * c + ch] - mu;
                double ref = dy.data()[i * c + ch] * gamma[ch] / Math.sqrt(var + eps) + dVar * 2 * xc / m + dMu / m;
                assertEquals(ref, dx.data()[i * c + ch], 1e-5 * Math.max(1, Math.abs(ref)), "dx");
            }
        }
    }

    @Test
    void backwardMatchesNumericalGradientInTrainingMode() {
        BatchNormalization bn = built(new int[]{3, 3, 4}, 6);
        // h = 1e-2 on inputs of spread ~1: the batch statistics move with every probe and the check sees it
        assertPasses(GradientCheck.forFloatLayers().checkLayer(bn, GradientCheck.uniform(7, -1, 1, 3, 3, 3, 4), 8));
        BatchNormalization dense = built(new int[]{6}, 9);
        assertPasses(GradientCheck.forFloatLayers().checkLayer(dense, GradientCheck.uniform(10, -1, 1, 5, 6), 11));
    }

    @Test
    void inferenceUsesTheMovingStatisticsByHand() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[]{2}, new Rng(0));
        List<Param> p = bn.params();
        p.get(0).value().data()[0] = 2f;    // γ
        p.get(1).value().data()[0] = 0.5f;  // β
        p.get(2).value().data()[0] = 1f;    // moving mean
        p.get(3).value().data()[0] = 3.999f; // moving variance: sqrt(3.999 + 0.001) = 2
        Tensor y = bn.forward(new Tensor(new float[]{5, 7, -3, 7}, 2, 2), false);
        // channel 0: 2·(5 − 1)/2 + 0.5 = 4.5 and 2·(−3 − 1)/2 + 0.5 = −3.5; channel 1 (defaults): 7/sqrt(1.001)
        assertEquals(4.5f, y.data()[0], 1e-5f);
        assertEquals(-3.5f, y.data()[2], 1e-5f);
        assertEquals(7 / Math.sqrt(1.001), y.data()[1], 1e-5);
        // and the moving statistics are left alone by inference
        assertEquals(1f, p.get(2).value().data()[0]);
    }

    @Test
    void trainingUpdatesMovingStatisticsWithKerasMomentum() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[]{1}, new Rng(0));
        bn.forward(new Tensor(new float[]{1, 2, 3, 6}, 4, 1), true);
        // batch mean 3, biased variance (4 + 1 + 0 + 9)/4 = 3.5, unbiased 14/3
        assertEquals(0.99 * 0 + 0.01 * 3, bn.params().get(2).value().data()[0], 1e-7);
        assertEquals(0.99 * 1 + 0.01 * 14.0 / 3, bn.params().get(3).value().data()[0], 1e-6);
    }

    @Test
    void movingStatisticsAreNotTrainableAndCountedAsKerasDoes() {
        BatchNormalization bn = new BatchNormalization();
        bn.build(new int[]{13, 13, 128}, new Rng(0));
        assertEquals(4 * 128, bn.params().stream().mapToLong(q -> q.value().size()).sum());
        assertTrue(bn.params().get(0).trainable() && bn.params().get(1).trainable());
        assertFalse(bn.params().get(2).trainable() || bn.params().get(3).trainable());
        assertEquals(List.of("gamma", "beta", "moving_mean", "moving_variance"),
                bn.params().stream().map(Param::name).toList());
    }

    @Test
    void badMomentumOrEpsilonIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNormalization(1.5, 1e-3, null));
        assertThrows(IllegalArgumentException.class, () -> new BatchNormalization(0.99, 0, null));
    }
}
