package glassbox.nn;

import glassbox.nn.loss.Loss;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The numerical gradient check: every layer and loss test uses it, and so does {@code ./glassbox gradcheck}.
 *
 * <p>For a layer, the scalar checked is {@code f = Σ forward(x)·g} for a seeded random {@code g}, summed
 * in double: its analytic gradient with respect to the input is {@code backward(g)} and with respect to
 * each trainable parameter is what backward accumulates into the parameter's gradient. Each is compared
 * with central differences {@code (f(θ+h) − f(θ−h)) / 2h}. For a loss, {@code f} is the loss itself and
 * the gradient is the one {@link Loss#compute} writes.
 *
 * <p>A probe agrees when {@code |analytic − numerical| ≤ atol + rtol·max(|analytic|, |numerical|)}: the
 * relative part judges large derivatives, the absolute part the small ones, whose central difference is
 * mostly float rounding of {@code f} divided by {@code 2h}.
 *
 * <p><b>Kinks.</b> Where the function is not differentiable (ReLU at 0, a tie in max-pooling) between
 * {@code θ − h} and {@code θ + h}, central differences measure an average of two slopes, not the
 * derivative. A kink of the whole function shows as one-sided differences that disagree by more than half;
 * a kink of one of many units behind a parameter (one of a conv bias's ReLUs, say) changes the slope too
 * little for that, but shows as a probe that disagrees with the analytic value. Either way the probe is
 * taken again with step {@code h/10}, where a kink is ten times less likely to lie. If the one-sided
 * differences there still part by more than the curvature explains and the tolerance allows, a kink lies
 * within {@code h/10} too and the probe is skipped; otherwise the central difference at {@code h/10}
 * decides. Skipping looks at {@code f} alone, never at the analytic gradient, so it cannot single out the
 * probes a wrong gradient gets wrong; and a tensor that has to skip more than half of its probes fails, so
 * kinks cannot leave a wrong gradient unexamined either.
 *
 * <p>The check runs the layer in training mode, as training does: BatchNormalization normalises with the
 * batch's own statistics. A Dropout must hold its mask ({@code Dropout.holdMask(true)}), or every
 * evaluation of {@code f} would draw a new one.
 *
 * <p>The result is a {@link Report} — per tensor: probes, those taken at {@code h/10}, those skipped, largest absolute and relative
 * error, the probes that disagree — which tests turn into assertions and the command into a table.
 */
public final class GradientCheck {
    /** Probes per tensor at most; larger tensors are sampled with a seeded generator. */
    public static final int MAX_PROBES = 150;

    private final double step;
    private final double relativeTolerance;
    private final double absoluteTolerance;

    /**
     * @param step              {@code h} of the central difference; float layers want 1e-2–1e-3
     * @param relativeTolerance {@code rtol}, the share of the larger derivative a probe may be off by
     * @param absoluteTolerance {@code atol}, what a probe may be off by whatever the derivative's size
     */
    public GradientCheck(double step, double relativeTolerance, double absoluteTolerance) {
        if (!(step > 0) || !(relativeTolerance >= 0) || !(absoluteTolerance >= 0)) {
            throw new IllegalArgumentException("GradientCheck needs step > 0, rtol ≥ 0 and atol ≥ 0; got step "
                    + step + ", rtol " + relativeTolerance + ", atol " + absoluteTolerance);
        }
        this.step = step;
        this.relativeTolerance = relativeTolerance;
        this.absoluteTolerance = absoluteTolerance;
    }

    /** The defaults for float layers: h = 1e-2, rtol = 1e-2, atol = 1e-3 (float rounding of f bounds it). */
    public static GradientCheck forFloatLayers() {
        return new GradientCheck(1e-2, 1e-2, 1e-3);
    }

    public double step() {
        return step;
    }

    public double relativeTolerance() {
        return relativeTolerance;
    }

    public double absoluteTolerance() {
        return absoluteTolerance;
    }

    /** One probe whose analytic and numerical derivatives disagree beyond the tolerance. */
    public record Mismatch(int index, double analytic, double numerical) {
    }

    /**
     * The check of one tensor's gradient.
     *
     * @param name        {@code "input"}, the parameter's name ({@code "kernel"}, {@code "gamma"}, …) or
     *                    {@code "predictions"} for a loss
     * @param size        the number of values in the tensor
     * @param probes      how many of them were probed
     * @param refined     probes decided at step {@code h/10}, a kink or a disagreement having shown at {@code h}
     * @param skipped     probes skipped because a kink lay within {@code h/10} too (see the class comment)
     * @param maxAbsError the largest {@code |analytic − numerical|} over the probes compared
     * @param maxRelError the largest {@code |analytic − numerical| / max(|analytic|, |numerical|)} (0 where
     *                    both are 0); large for derivatives near zero even when they pass on {@code atol}
     * @param mismatches  the probes beyond {@code atol + rtol·max(|analytic|, |numerical|)}
     */
    public record TensorCheck(String name, int size, int probes, int refined, int skipped, double maxAbsError,
                              double maxRelError, List<Mismatch> mismatches) {
        /** More than half of the probes on kinks: too few left to trust the check. */
        public boolean tooManyKinks() {
            return 2 * skipped > probes;
        }

        public boolean passed() {
            return mismatches.isEmpty() && !tooManyKinks();
        }
    }

    /** The checks of one layer's input and trainable parameters (or one loss's predictions), in that order. */
    public record Report(String subject, double step, double relativeTolerance, double absoluteTolerance,
                         List<TensorCheck> tensors) {
        public Report {
            tensors = List.copyOf(tensors);
        }

        public boolean passed() {
            return tensors.stream().allMatch(TensorCheck::passed);
        }

        /** What failed, one paragraph per failing tensor with up to ten disagreeing probes; "" if none. */
        public String failures() {
            StringBuilder sb = new StringBuilder();
            for (TensorCheck t : tensors) {
                if (!t.mismatches().isEmpty()) {
                    sb.append(String.format("%s: d/d %s disagrees with central differences (h=%s and h/10) at %d of %d probes:",
                            subject, t.name(), step, t.mismatches().size(), t.probes() - t.skipped()));
                    t.mismatches().stream().limit(10).forEach(m -> sb.append(String.format(
                            "%n  index %d: analytic %.6g, numerical %.6g", m.index(), m.analytic(), m.numerical())));
                    sb.append(System.lineSeparator());
                }
                if (t.tooManyKinks()) {
                    sb.append(String.format("%s: d/d %s: %d of %d probes sat on kinks; a smaller step, batch or input leaves fewer%n",
                            subject, t.name(), t.skipped(), t.probes()));
                }
            }
            return sb.toString();
        }
    }

    /** Checks {@code dL/dx} and every trainable parameter's gradient of a built layer at {@code x}. */
    public Report checkLayer(Layer layer, Tensor x, long seed) {
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
        List<TensorCheck> checks = new ArrayList<>();
        if (wantInput) {
            checks.add(compare("input", x.data(), analyticDx.data(), f, rng));
        }
        for (int k = 0; k < layer.params().size(); k++) {
            Param p = layer.params().get(k);
            if (p.trainable()) {
                checks.add(compare(p.name(), p.value().data(), analyticParams.get(k), f, rng));
            }
        }
        String subject = layer.name() == null ? layer.kind() : layer.name();
        return new Report(subject, step, relativeTolerance, absoluteTolerance, checks);
    }

    /** Checks a loss's gradient with respect to the predictions. */
    public Report checkLoss(Loss loss, Tensor pred, Tensor target, long seed) {
        Tensor grad = Tensor.zeros(pred.shape());
        loss.compute(pred, target, grad);
        TensorCheck check = compare("predictions", pred.data(), grad.data(), () -> loss.compute(pred, target, null),
                new Rng(seed));
        return new Report(loss.name(), step, relativeTolerance, absoluteTolerance, List.of(check));
    }

    @FunctionalInterface
    private interface Scalar {
        double value();
    }

    private TensorCheck compare(String name, float[] theta, float[] analytic, Scalar f, Rng rng) {
        int[] probes = probes(theta.length, rng);
        int skipped = 0;
        double maxAbs = 0;
        double maxRel = 0;
        List<Mismatch> mismatches = new ArrayList<>();
        int refined = 0;
        for (int i : probes) {
            double a = analytic[i];
            double[] at = differences(theta, i, step, f);
            if (kink(at) || !agrees(a, at[0])) {
                double[] fine = differences(theta, i, step / 10, f);
                if (kinkWithin(fine, at)) {
                    skipped++; // a kink within h/10 too: no step this size tells its slope
                    continue;
                }
                at = fine;
                refined++;
            }
            double numeric = at[0];
            double error = Math.abs(a - numeric);
            double scale = Math.max(Math.abs(a), Math.abs(numeric));
            maxAbs = Math.max(maxAbs, error); // Math.max keeps a NaN, so a NaN gradient shows in the table
            maxRel = Math.max(maxRel, scale == 0 ? 0 : error / scale);
            if (!agrees(a, numeric)) {
                mismatches.add(new Mismatch(i, a, numeric));
            }
        }
        return new TensorCheck(name, theta.length, probes.length, refined, skipped, maxAbs, maxRel, mismatches);
    }

    /**
     * Whether one-sided differences ({@code at[1]}, {@code at[2]}) disagree by more than half: a slope that
     * changes within the step. The {@code 10·atol} keeps float rounding of near-zero slopes from counting.
     */
    private boolean kink(double[] at) {
        return Math.abs(at[1] - at[2]) > 0.5 * Math.max(Math.abs(at[1]), Math.abs(at[2])) + 10 * absoluteTolerance;
    }

    /**
     * Whether a kink lies within the smaller step {@code fine} ({@code h/10}), judged beside the larger
     * {@code coarse} ({@code h}). For a smooth function the one-sided differences part by the curvature,
     * {@code right − left ≈ f''·step}, so the gap at {@code h/10} is a tenth of the gap at {@code h}; a kink
     * closer than {@code h/10} opens a gap at {@code h/10} as wide as its slope jump. So a gap beyond a tenth
     * of the coarse one, by more than the tolerance, is a kink: a slope jump below the tolerance cannot move
     * a central difference out of it, however close the kink. (A kink between {@code h/10} and {@code h}
     * widens only the coarse gap, which only loosens the test: that step is the one kept.)
     */
    private boolean kinkWithin(double[] fine, double[] coarse) {
        double gap = Math.abs(fine[1] - fine[2]);
        double curvature = Math.abs(coarse[1] - coarse[2]) / 10;
        return !(gap <= curvature + absoluteTolerance + relativeTolerance * Math.max(Math.abs(fine[1]), Math.abs(fine[2])));
    }

    /** Whether a probe passes: {@code |a − n| ≤ atol + rtol·max(|a|, |n|)}; NaN never does. */
    private boolean agrees(double analytic, double numeric) {
        double error = Math.abs(analytic - numeric);
        return error <= absoluteTolerance + relativeTolerance * Math.max(Math.abs(analytic), Math.abs(numeric));
    }

    /**
     * The central difference at value {@code i} of {@code theta} with step {@code h}, and the right and left
     * one-sided differences; {@code theta[i]} is restored afterwards. The steps divided by are the ones the
     * float values actually took ({@code (float) (θ + h) − θ} is {@code h} only to float precision).
     */
    private static double[] differences(float[] theta, int i, double h, Scalar f) {
        float saved = theta[i];
        float up = (float) (saved + h);
        float down = (float) (saved - h);
        theta[i] = up;
        double plus = f.value();
        theta[i] = down;
        double minus = f.value();
        theta[i] = saved;
        double center = f.value();
        return new double[]{(plus - minus) / ((double) up - down), (plus - center) / ((double) up - saved),
                (center - minus) / ((double) saved - down)};
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
        return Arrays.copyOf(perm, MAX_PROBES);
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
