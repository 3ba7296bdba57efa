package glassbox.nn.optim;

import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Three steps of each optimiser on one weight w = 1 with gradients 0.5, −0.2, 0.1, worked out by hand. */
class OptimizerTest {
    private static final float[] GRADS = {0.5f, -0.2f, 0.1f};

    private static double[] run(Optimizer opt) {
        Param p = new Param("w", new Tensor(new float[]{1f}, 1), true);
        double[] w = new double[3];
        for (int t = 0; t < 3; t++) {
            p.grad().data()[0] = GRADS[t];
            opt.step(List.of(p));
            w[t] = p.value().data()[0];
        }
        return w;
    }

    @Test
    void adamFollowsKerasUpdateRuleForThreeSteps() {
        // lr 0.1, β1 0.9, β2 0.999, ε 1e-7; αt = lr·sqrt(1 − β2^t)/(1 − β1^t); w −= αt·m/(sqrt(v) + ε)
        // t=1: m = 0.05,   v = 0.00025,      α = 0.1·sqrt(0.001)/0.1   = 0.0316228 → w = 0.9000006
        // t=2: m = 0.025,  v = 0.00028975,   α = 0.1·sqrt(0.001999)/0.19 = 0.0235317 → w = 0.8654403
        // t=3: m = 0.0325, v = 0.00029946,   α = 0.1·sqrt(0.002997)/0.271 = 0.0202011 → w = 0.8275013
        double[] w = run(new Adam(0.1f, 0.9f, 0.999f, 1e-7f));
        assertEquals(0.9000006, w[0], 2e-6);
        assertEquals(0.8654403, w[1], 2e-6);
        assertEquals(0.8275013, w[2], 2e-6);
    }

    @Test
    void plainSgdSubtractsLearningRateTimesGradient() {
        double[] w = run(new Sgd(0.1f));
        assertEquals(0.95, w[0], 1e-6);   // 1 − 0.1·0.5
        assertEquals(0.97, w[1], 1e-6);   // + 0.1·0.2
        assertEquals(0.96, w[2], 1e-6);   // − 0.1·0.1
    }

    @Test
    void sgdMomentumAccumulatesVelocity() {
        // v = 0.9·v − 0.1·g; w += v:  v = −0.05, −0.025, −0.0325
        double[] w = run(new Sgd(0.1f, 0.9f, false));
        assertEquals(0.95, w[0], 1e-6);
        assertEquals(0.925, w[1], 1e-6);
        assertEquals(0.8925, w[2], 1e-6);
    }

    @Test
    void nesterovLooksAhead() {
        // w += 0.9·v − 0.1·g with the new v: −0.095, −0.0025, −0.03925
        double[] w = run(new Sgd(0.1f, 0.9f, true));
        assertEquals(0.905, w[0], 1e-6);
        assertEquals(0.9025, w[1], 1e-6);
        assertEquals(0.86325, w[2], 1e-6);
    }

    @Test
    void adadeltaFollowsKerasUpdateRuleForThreeSteps() {
        // lr 1, ρ 0.95, ε 1e-7:  E[g²] = 0.0125 → Δ = sqrt(1e-7)/sqrt(0.0125001)·0.5 = 0.00141421 → w = 0.99858579
        //   E[Δ²] = 0.05·Δ² = 1.0e-7;  t=2: E[g²] = 0.013875, Δ = −0.00075932 → w = 0.99934511
        //   t=3: E[g²] = 0.01368125, Δ = 0.00040448 → w = 0.99894064
        double[] w = run(new Adadelta(1f, 0.95f, 1e-7f));
        assertEquals(0.99858579, w[0], 2e-7);
        assertEquals(0.99934511, w[1], 2e-7);
        assertEquals(0.99894064, w[2], 2e-7);
        assertArrayEquals(w, run(Adadelta.keras2()), 0.0, "keras2() is lr 1, rho 0.95, epsilon 1e-7");
    }

    @Test
    void adadeltaWithKeras20EpsilonStartsSqrtTenTimesSlower() {
        // ε 1e-8: Δ1 = sqrt(1e-8)/sqrt(0.0125 + 1e-8)·0.5 = 4.47213e-4 (against 1.41421e-3 with 1e-7)
        double[] w = run(new Adadelta(1f, 0.95f, 1e-8f));
        assertEquals(1 - 4.4721341e-4, w[0], 2e-7);
    }

    @Test
    void nonTrainableParametersAreLeftAlone() {
        Param frozen = new Param("moving_mean", new Tensor(new float[]{3f}, 1), false);
        frozen.grad().data()[0] = 1f;
        new Adam().step(List.of(frozen));
        new Sgd(0.5f, 0.9f, false).step(List.of(frozen));
        new Adadelta().step(List.of(frozen));
        assertEquals(3f, frozen.value().data()[0]);
    }

    @Test
    void badHyperparametersAreRejectedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(-1f));
        assertEquals("Adam learningRate must be > 0, got -1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1f, 1.5f, false));
    }
}
