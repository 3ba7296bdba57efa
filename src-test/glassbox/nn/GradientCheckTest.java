package glassbox.nn;

import glassbox.nn.layers.ActivationLayer;
import glassbox.nn.loss.Loss;
import glassbox.nn.loss.MeanSquaredError;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it passes a right gradient, and catches wrong ones, kinks and NaN. */
class GradientCheckTest {
    private static final GradientCheck CHECK = GradientCheck.forFloatLayers();

    private static ScaleLayer built(double inputFactor, double weightFactor, int... sample) {
        ScaleLayer layer = new ScaleLayer(inputFactor, weightFactor);
        layer.build(sample, new Rng(1));
        return layer;
    }

    @Test
    void aCorrectLayerPassesWithEveryValueProbed() {
        GradientCheck.Report report = CHECK.checkLayer(built(1, 1, 3, 4), GradientCheck.uniform(2, -1, 1, 2, 3, 4), 3);
        assertTrue(report.passed(), report.failures());
        assertEquals(List.of("input", "weight"), report.tensors().stream().map(GradientCheck.TensorCheck::name).toList());
        GradientCheck.TensorCheck input = report.tensors().get(0);
        assertEquals(24, input.size());
        assertEquals(24, input.probes());
        assertEquals(0, input.skipped());
        assertEquals(0, input.refined());
        // f is linear in each value, so central differences are exact up to float rounding of f
        assertTrue(input.maxAbsError() < 1e-3, "max abs error " + input.maxAbsError());
        assertEquals("", report.failures());
    }

    @Test
    void anInputGradientOffByAFactorFailsOnTheInputOnly() {
        GradientCheck.Report report = CHECK.checkLayer(built(1.5, 1, 5), GradientCheck.uniform(4, -1, 1, 3, 5), 5);
        assertFalse(report.passed());
        GradientCheck.TensorCheck input = report.tensors().get(0);
        GradientCheck.TensorCheck weight = report.tensors().get(1);
        assertFalse(input.passed());
        assertTrue(weight.passed());
        // analytic = 1.5·numerical, so the relative error is 0.5/1.5 wherever the derivative is not tiny
        assertEquals(1.0 / 3, input.maxRelError(), 1e-2);
        assertTrue(report.failures().contains("d/d input disagrees"), report.failures());
        assertFalse(report.failures().contains("d/d weight"), report.failures());
    }

    @Test
    void aWeightGradientOffByAFactorFailsOnTheWeight() {
        GradientCheck.Report report = CHECK.checkLayer(built(1, 0.9, 5), GradientCheck.uniform(4, -1, 1, 3, 5), 5);
        assertTrue(report.tensors().get(0).passed());
        assertFalse(report.tensors().get(1).passed());
        assertTrue(report.failures().contains("scale: d/d weight disagrees"), report.failures());
    }

    @Test
    void inputsOnAKinkAreSkippedAndTooManyFailTheCheck() {
        Layer relu = ActivationLayer.relu();
        relu.build(new int[]{8}, new Rng(1));
        GradientCheck.Report report = CHECK.checkLayer(relu, Tensor.zeros(2, 8), 3); // every probe at ReLU's kink
        GradientCheck.TensorCheck input = report.tensors().get(0);
        // a probe is taken for a kink when its one-sided slopes differ by more than half: here g and 0, unless
        // g itself is within the absolute tolerance of 0
        assertTrue(input.skipped() >= 12, input.skipped() + " skipped");
        assertTrue(input.tooManyKinks());
        assertFalse(report.passed());
        assertTrue(report.failures().contains(input.skipped() + " of 16 probes sat on kinks"), report.failures());
    }

    /** {@code y[n, r, c] = relu(x[n, r, c] + b[c])}: each bias value sits behind many units' kinks. */
    private static final class SharedBiasRelu extends Layer {
        private Param bias;
        private Tensor y;

        SharedBiasRelu() {
            super("shared_bias_relu");
        }

        @Override
        protected int[] doBuild(int[] inputShape, Rng rng) {
            bias = new Param("bias", Tensor.zeros(inputShape[inputShape.length - 1]), true);
            return inputShape;
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            y = Tensor.zeros(x.shape());
            int c = bias.value().size();
            for (int i = 0; i < x.size(); i++) {
                y.data()[i] = Math.max(0f, x.data()[i] + bias.value().data()[i % c]);
            }
            return y;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor dx = Tensor.zeros(dOut.shape());
            for (int i = 0; i < dOut.size(); i++) {
                dx.data()[i] = y.data()[i] > 0 ? dOut.data()[i] : 0;
                bias.grad().data()[i % bias.value().size()] += dx.data()[i];
            }
            return dx;
        }

        @Override
        public List<Param> params() {
            return bias == null ? List.of() : List.of(bias);
        }

        @Override
        public String kind() {
            return "shared_bias_relu";
        }

        @Override
        public java.util.Map<String, Object> config() {
            return java.util.Map.of();
        }
    }

    @Test
    void aKinkOfOneUnitAmongManyIsDecidedAtTheSmallerStep() {
        // Bias 0 feeds 10 units at 1 and one at −0.004: moving it by h = 1e-2 switches that unit on, by h/10
        // not. Its slope change is small next to the slope of the whole, so the one-sided test cannot see it;
        // the disagreement at h sends the probe to h/10, where the derivative is clean.
        Layer layer = new SharedBiasRelu();
        layer.build(new int[]{11, 4}, new Rng(1));
        Tensor x = Tensor.zeros(1, 11, 4);
        java.util.Arrays.fill(x.data(), 1f);
        x.data()[5 * 4] = -0.004f;
        GradientCheck.Report report = CHECK.checkLayer(layer, x, 2);
        GradientCheck.TensorCheck bias = report.tensors().get(1);
        assertEquals("bias", bias.name());
        assertEquals(1, bias.refined(), "bias 0 is decided at h/10");
        assertEquals(0, bias.skipped());
        assertTrue(report.passed(), report.failures());
        // the input value at −0.004 is a kink of the whole function at h, and clean at h/10 too
        assertEquals(1, report.tensors().get(0).refined());
        // with h = 1e-3 the kinks are out of reach, and every probe is decided at h
        GradientCheck.Report fine = new GradientCheck(1e-3, 1e-2, 1e-3).checkLayer(layer, x, 2);
        assertEquals(0, fine.tensors().get(0).refined() + fine.tensors().get(1).refined());
        assertTrue(fine.passed(), fine.failures());
    }

    @Test
    void aWrongGradientIsNotRescuedByTheSmallerStep() {
        GradientCheck.Report report = CHECK.checkLayer(built(1.02, 1, 30), GradientCheck.uniform(4, -1, 1, 2, 30), 5);
        GradientCheck.TensorCheck input = report.tensors().get(0);
        // 2 % off: beyond rtol = 1 % wherever the derivative is large enough for atol not to cover it
        assertTrue(input.refined() > 0, "disagreeing probes are taken again at h/10");
        assertFalse(input.mismatches().isEmpty());
        assertEquals(input.refined(), input.mismatches().size(), "and still disagree there");
        assertFalse(report.passed());
    }

    @Test
    void largeTensorsAreSampled() {
        GradientCheck.Report report = CHECK.checkLayer(built(1, 1, 400), GradientCheck.uniform(4, -1, 1, 2, 400), 5);
        assertEquals(800, report.tensors().get(0).size());
        assertEquals(GradientCheck.MAX_PROBES, report.tensors().get(0).probes());
        assertEquals(GradientCheck.MAX_PROBES, report.tensors().get(1).probes());
    }

    @Test
    void aNanGradientFails() {
        Loss mse = new MeanSquaredError();
        Loss nanGradient = new Loss() { // MSE whose gradient has one NaN
            @Override
            public double compute(Tensor pred, Tensor target, Tensor grad) {
                double loss = mse.compute(pred, target, grad);
                if (grad != null) {
                    grad.data()[1] = Float.NaN;
                }
                return loss;
            }

            @Override
            public double correct(Tensor pred, Tensor target) {
                return Double.NaN;
            }

            @Override
            public String name() {
                return "nan_gradient";
            }
        };
        Tensor target = GradientCheck.uniform(1, -1, 1, 2, 3);
        GradientCheck.Report report = new GradientCheck(1e-3, 1e-2, 1e-4)
                .checkLoss(nanGradient, GradientCheck.uniform(2, -1, 1, 2, 3), target, 3);
        assertFalse(report.passed());
        assertEquals(1, report.tensors().get(0).mismatches().size());
        assertTrue(Double.isNaN(report.tensors().get(0).maxAbsError()));
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GradientCheck(0, 1e-2, 1e-3));
        assertTrue(e.getMessage().contains("step > 0"), e.getMessage());
    }
}
