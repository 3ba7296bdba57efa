package glassbox.nn;

import glassbox.nn.loss.Loss;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The one numerical gradient check every layer and loss test uses.
 *
 * <p>For a layer, the scalar checked is {@code f = Σ forward(x)·g} for a seeded random {@code g}, summed
 * in double: its analytic gradient with respect to the input is {@code backward(g)} and with respect to
 * each trainable parameter is what backward accumulates into the parameter's gradient. Each is compared
 * with central differences {@code (f(θ+h) − f(θ−h)) / 2h}. Probes sitting on a kink (ReLU at 0, a tie
 * in max-pooling) are recognised because their two one-sided differences disagree, and are skipped; a
 * check that has to skip more than a quarter of its probes fails, so kinks cannot hide a wrong gradient.
 */
public final class GradientCheck {
    /** Probes per tensor at most; larger tensors are sampled with a seeded generator. */
    private static final int MAX_PROBES = 150;

    private final double step;
    private final double relativeTolerance;
    private final double absoluteTolerance;

    public GradientCheck(double step, double relativeTolerance, double absoluteTolerance) {
        this.step = step;
        this.relativeTolerance = relativeTolerance;
        this.absoluteTolerance = absoluteTolerance;
    }

    /** The defaults for float layers: h = 1e-2, rtol = 1e-2, atol = 1e-3 (float rounding of f bounds it). */
    public static GradientCheck forFloatLayers() {
        return new GradientCheck(1e-2, 1e-2, 1e-3);
    }

    /** Checks {@code dL/dx} and every trainable parameter's gradient of a built layer at {@code x}. */
    public void checkLayer(Layer layer, Tensor x, long seed) {
        Rng rng = new Rng(seed);
        Tensor out = layer.forward(x, true);
        Tensor g = Tensor.zeros(out.shape());
        for (int i = 0; i < g.size(); i++) {
            g.data()[i] = (float) rng.uniform(-1, 1);
        }
        for (Param p : layer.params()) {
            p.zeroGrad();
        }
        boolean wantInput = layer.inputGradientNeeded();
        Tensor dx = layer.backward(g);
        Tensor analyticDx = wantInput ? dx.copy() : null;
        List<float[]> analyticParams = new ArrayList<>();
        for (Param p : layer.params()) {
            analyticParams.add(p.grad().data().clone());
        }
        Scalar f = () -> dot(layer.forward(x, true), g);
        if (wantInput) {
            compare("d/d input", x.data(), analyticDx.data(), f, rng);
        }
        for (int k = 0; k < layer.params().size(); k++) {
            Param p = layer.params().get(k);
            if (p.trainable()) {
                compare("d/d " + (layer.name() == null ? layer.kind() : layer.name()) + "." + p.name(), p.value().data(), analyticParams.get(k), f, rng);
            }
        }
    }

    /** Checks a loss's gradient with respect to the predictions. */
    public void checkLoss(Loss loss, Tensor pred, Tensor target, long seed) {
        Tensor grad = Tensor.zeros(pred.shape());
        loss.compute(pred, target, grad);
        compare("d " + loss.name() + "/d pred", pred.data(), grad.data(), () -> loss.compute(pred, target, null),
                new Rng(seed));
    }

    @FunctionalInterface
    private interface Scalar {
        double value();
    }

    private void compare(String what, float[] theta, float[] analytic, Scalar f, Rng rng) {
        int[] probes = probes(theta.length, rng);
        int skipped = 0;
        StringBuilder failures = new StringBuilder();
        for (int i : probes) {
            float saved = theta[i];
            theta[i] = (float) (saved + step);
            double plus = f.value();
            theta[i] = (float) (saved - step);
            double minus = f.value();
            theta[i] = saved;
            double center = f.value();
            double h = step;
            double numeric = (plus - minus) / (2 * h);
            double right = (plus - center) / h;
            double left = (center - minus) / h;
            if (Math.abs(right - left) > 0.5 * Math.max(Math.abs(right), Math.abs(left)) + 10 * absoluteTolerance) {
                skipped++; // a kink between θ−h and θ+h: the derivative is not defined there
                continue;
            }
            double a = analytic[i];
            if (Math.abs(a - numeric) > absoluteTolerance + relativeTolerance * Math.max(Math.abs(a), Math.abs(numeric))) {
                failures.append(String.format("%n  index %d: analytic %.6g, numerical %.6g", i, a, numeric));
            }
        }
        if (failures.length() > 0) {
            fail(what + " disagrees with central differences (h=" + step + "):" + failures);
        }
        assertTrue(skipped <= probes.length / 4, what + ": " + skipped + " of " + probes.length
                + " probes sat on kinks; move the test input away from them");
    }

    private static int[] probes(int n, Rng rng) {
        if (n <= MAX_PROBES) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] perm = rng.permutation(n);
        return java.util.Arrays.copyOf(perm, MAX_PROBES);
    }

    private static double dot(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += (double) a.data()[i] * b.data()[i];
        }
        return s;
    }

    /**
     * A tensor of the given shape holding evenly spaced, distinct values in [lo, hi) in a seeded random
     * order: for max-pooling, whose derivative jumps where two inputs tie. With values at least
     * {@code (hi − lo)/size} apart, a probe of step {@code h} below half that spacing never crosses a tie.
     */
    public static Tensor distinct(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.zeros(shape);
        int[] order = new Rng(seed).permutation(t.size());
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (lo + (hi - lo) * order[i] / t.size());
        }
        return t;
    }

    /** A tensor of the given shape filled uniformly from [lo, hi) by a seeded generator. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) rng.uniform(lo, hi);
        }
        return t;
    }
}
