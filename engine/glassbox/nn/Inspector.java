package glassbox.nn;

import glassbox.tensor.Tensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --inspect}: what TensorBoard's histograms and Karpathy's "babysitting the learning process" notes
 * (cs231n, Neural Networks Part 3) look at, measured inside {@link Sequential#fit} per layer and epoch.
 *
 * <ul>
 *   <li><b>Activation mean and std</b> of every value the layer outputs during the epoch's training steps
 *       (training mode: after Dropout's mask, with BatchNormalization's batch statistics). Every value is
 *       counted, not a sample: one pass over an output the layer has just written costs about as much as
 *       applying a ReLU to it. Summed in {@code double} as Σx and Σx²; the std is the population one
 *       ({@code ddof=0}), {@code sqrt(Σx²/n − mean²)}, which loses digits only when the std is tiny beside
 *       the mean (below ~1e-8 of it), far from what the warnings look at.</li>
 *   <li><b>Dead ReLUs</b>, for layers whose output is a ReLU's (a {@code Dense} or {@code Conv2D} with
 *       {@code activation="relu"}, or a standalone ReLU layer: any layer whose Keras config says
 *       {@code activation: relu}): the fraction of <em>units</em> never positive over the whole epoch. A unit
 *       is an index along the last axis — a Dense neuron, or a Conv2D filter (channel) over every position
 *       of every image, since a filter's weights are shared by all positions: a filter positive nowhere gets
 *       no gradient anywhere, so it cannot recover.</li>
 *   <li><b>Gradient norm</b>: the L2 norm of the layer's trainable parameters' gradient, all of them (kernel
 *       and bias) as one vector, read after backward and before the optimiser's step (the mean loss's
 *       gradient, as {@code backward} computes it), averaged over the sampled steps (below).</li>
 *   <li><b>Update-to-weight ratio</b> {@code ‖w_after − w_before‖ / ‖w_before‖} over the same vector, around
 *       each optimiser step, averaged over the sampled steps. Karpathy's rule of thumb puts a healthy value
 *       near 1e-3; the seed's MNIST MLP under Adam at Keras's learning rate 1e-3 measures 1e-3 to 6e-3 per
 *       layer in its first epochs.
 *       A step that starts from all-zero weights is left out (the ratio is undefined there).</li>
 * </ul>
 *
 * The two parameter figures are taken at every {@value #PARAMETER_EVERY}th step of an epoch (steps 1, 11,
 * 21, …; so at least once, and exactly at a one-step epoch): each reads every weight three times (gradient,
 * copy, difference), which on the MNIST MLP at batch 32 — 118,282 weights beside a batch of 32 images —
 * costs as much as the step itself. The activation figures need every step (a unit is dead only if it was
 * positive at no step) and take every one.
 *
 * <p>A layer frozen on purpose ({@code setTrainable(false)}) is measured over all its parameters, which then
 * do not move: gradient norm and ratio 0, status {@code frozen}, and no warning.
 *
 * <p><b>Warnings</b>, printed after each epoch's progress line and kept in {@link Inspection#warnings()}
 * (each threshold's constant says why it is there): <em>dead</em> when more than {@link #DEAD_FRACTION} of
 * the units are dead; <em>exploding</em> when the outputs or the gradient stop being finite, the outputs pass
 * {@link #EXPLODING_ACTIVATION} in mean or std, the update ratio passes {@link #EXPLODING_RATIO}, or the
 * gradient norm grows {@link #EXPLODING_GROWTH}-fold in one epoch; <em>stalled</em> (frozen in effect) when
 * a trainable layer's update ratio is below {@link #STALLED_RATIO}. A non-finite loss still stops training at once ({@link TrainingDivergedException}),
 * before its epoch is closed: the growth warnings are the ones that come first.
 *
 * <p>Cost: nothing when off (the loop tests one null reference). When on, every step reads each layer's
 * output once, and every tenth step each parameter three times; the README's {@code --inspect} section has
 * the overhead measured on the MNIST MLP.
 */
public final class Inspector implements Callback {
    /** The parameter figures are taken at steps 1, 1 + this, 1 + 2·this, … of each epoch (see the class doc). */
    public static final int PARAMETER_EVERY = 10;

    /**
     * A layer with more than half its units dead has lost most of its width. A few dead units are normal in
     * a ReLU network (cs231n: "as much as 40% of your network can be dead" after a too-high learning rate,
     * and that is already the bad case), so the line is drawn above that.
     */
    public static final double DEAD_FRACTION = 0.5;

    /**
     * An update ratio above 0.1 changes the weights by a tenth at every step: a hundred times Karpathy's
     * 1e-3 and some twenty times what Adam's default gives the MNIST MLP's layers. Training that fast
     * diverges.
     */
    public static final double EXPLODING_RATIO = 1e-1;

    /**
     * Outputs with a mean or std above 1000: inputs scaled to about 1 (as every experiment scales them) and
     * Glorot-initialised weights give activations of order 1, so a thousand times that means the weights
     * have blown up. A sigmoid or softmax above such a layer saturates and passes almost no gradient back.
     */
    public static final double EXPLODING_ACTIVATION = 1e3;

    /** A gradient norm ten times the previous epoch's is growing without bound, not settling. */
    public static final double EXPLODING_GROWTH = 10;

    /**
     * A float has a 24-bit significand: an update smaller than about 1.2e-7 of a weight is rounded away
     * when added to it. Below 1e-7, a trainable layer does not learn: it is frozen in effect.
     */
    public static final double STALLED_RATIO = 1e-7;

    private List<Layer> layers;
    private final PrintStream out;
    private boolean[] relu;
    private List<String> warnings = new ArrayList<>();
    private List<Inspection.Row> rows = new ArrayList<>();
    private double[] previousGradNorm;

    // the current epoch's sums, per layer
    private double[] sum;
    private double[] sumSquares;
    private long[] count;
    private boolean[][] everPositive;
    private double[] gradNormSum;
    private double[] ratioSum;
    private int[] ratioSteps;
    private int steps; // steps of this epoch so far
    private int sampled; // of which the parameter figures were taken at
    private float[][] before; // each layer's watched parameters before the step, one after another
    private final double[] sums = new double[2];

    /** An inspector that prints its warnings to standard output, as {@code --inspect} does. */
    public Inspector() {
        this(System.out);
    }

    public Inspector(PrintStream out) {
        this.out = out;
    }

    /** Starts a fresh record for the model's layers (a new one at every {@code fit}). */
    @Override
    public void setModel(Sequential model) {
        this.layers = model.layers();
        rows = new ArrayList<>();
        warnings = new ArrayList<>();
        steps = 0;
        sampled = 0;
        int n = layers.size();
        relu = new boolean[n];
        everPositive = new boolean[n][];
        for (int l = 0; l < n; l++) {
            Layer layer = layers.get(l);
            relu[l] = "relu".equals(layer.config().get("activation"));
            int[] shape = layer.outputShape();
            everPositive[l] = relu[l] ? new boolean[shape.length == 0 ? 1 : shape[shape.length - 1]] : null;
        }
        previousGradNorm = new double[n];
        java.util.Arrays.fill(previousGradNorm, Double.NaN);
        sum = new double[n];
        sumSquares = new double[n];
        count = new long[n];
        gradNormSum = new double[n];
        ratioSum = new double[n];
        ratioSteps = new int[n];
        before = new float[n][];
    }

    /** After layer {@code l}'s training forward: adds its output to the epoch's statistics. */
    @Override
    public void onPhaseEnd(Phase phase, int layer, Tensor output) {
        switch (phase) {
            case FORWARD -> output(layer, output);
            case OPTIMIZER -> afterStep();
            default -> {
            }
        }
    }

    @Override
    public void onPhaseBegin(Phase phase, int layer) {
        if (phase == Phase.OPTIMIZER) {
            beforeStep();
        }
    }

    @Override
    public void onEpochEnd(int epoch, History.Epoch record) {
        endEpoch(epoch);
    }

    @Override
    public void onTrainEnd(History history) {
        history.setInspection(result());
    }

    private void output(int l, Tensor y) {
        float[] d = y.data();
        double s = 0;
        double ss = 0;
        boolean[] positive = everPositive[l];
        if (positive == null) {
            s = sum(d);
            ss = sumOfSquares(d, 0, d.length);
        } else {
            int units = positive.length;
            for (int row = 0; row < d.length; row += units) { // (…, units) row-major: index row + u is unit u
                for (int u = 0; u < units; u++) {
                    float v = d[row + u];
                    s += v;
                    ss += (double) v * v;
                    positive[u] |= v > 0;
                }
            }
        }
        sum[l] += s;
        sumSquares[l] += ss;
        count[l] += d.length;
    }

    /** After backward, before the optimiser's step: the gradient norms, and a copy of the weights. */
    private void beforeStep() {
        if (steps % PARAMETER_EVERY != 0) {
            return;
        }
        for (int l = 0; l < layers.size(); l++) {
            List<Param> watched = watched(layers.get(l));
            if (watched.isEmpty()) {
                continue;
            }
            int size = 0;
            for (Param p : watched) {
                size += p.value().size();
            }
            if (before[l] == null || before[l].length != size) {
                before[l] = new float[size];
            }
            double g2 = 0;
            int at = 0;
            for (Param p : watched) {
                g2 += sumOfSquares(p.grad().data(), 0, p.grad().size());
                float[] w = p.value().data();
                System.arraycopy(w, 0, before[l], at, w.length);
                at += w.length;
            }
            gradNormSum[l] += Math.sqrt(g2);
        }
    }

    /** After the optimiser's step: each layer's {@code ‖w_after − w_before‖ / ‖w_before‖}. */
    private void afterStep() {
        if (steps++ % PARAMETER_EVERY != 0) {
            return;
        }
        sampled++;
        for (int l = 0; l < layers.size(); l++) {
            List<Param> watched = watched(layers.get(l));
            if (watched.isEmpty()) {
                continue;
            }
            int at = 0;
            for (Param p : watched) {
                float[] w = p.value().data();
                addSquaredDifferencesAndSquares(w, before[l], at, sums);
                at += w.length;
            }
            double d2 = sums[0];
            double w2 = sums[1];
            sums[0] = 0;
            sums[1] = 0;
            if (w2 > 0) {
                ratioSum[l] += Math.sqrt(d2 / w2);
                ratioSteps[l]++;
            }
        }
    }

    /** Closes epoch {@code epoch}: one row per layer, warnings printed, the sums cleared for the next. */
    private void endEpoch(int epoch) {
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double mean = sum[l] / count[l];
            double std = Math.sqrt(Math.max(0, sumSquares[l] / count[l] - mean * mean));
            Double dead = null;
            if (relu[l]) {
                int never = 0;
                for (boolean p : everPositive[l]) {
                    never += p ? 0 : 1;
                }
                dead = never / (double) everPositive[l].length;
            }
            boolean hasParams = !layer.params().isEmpty();
            Double gradNorm = hasParams && sampled > 0 ? gradNormSum[l] / sampled : null;
            Double ratio = hasParams && ratioSteps[l] > 0 ? ratioSum[l] / ratioSteps[l] : null;
            String status = status(epoch, layer, l, mean, std, dead, gradNorm, ratio);
            rows.add(new Inspection.Row(epoch, layer.name(), layer.kind(), mean, std, dead, gradNorm, ratio, status));
            previousGradNorm[l] = gradNorm == null ? Double.NaN : gradNorm;
        }
        clear();
    }

    /** The whole record so far. */
    public Inspection result() {
        return new Inspection(rows, warnings);
    }

    /** Decides the layer's status, printing (and keeping) a warning for each problem found. */
    private String status(int epoch, Layer layer, int l, double mean, double std, Double dead, Double gradNorm,
                          Double ratio) {
        List<String> problems = new ArrayList<>();
        String where = "epoch " + epoch + ", layer " + layer.name() + ": ";
        if (dead != null && dead > DEAD_FRACTION) {
            problems.add("dead");
            warn(where + String.format("dead — %.0f%% of its %d units were never positive this epoch (warned above "
                    + "%.0f%%); a lower learning rate or a smaller initial weight scale usually helps", 100 * dead,
                    everPositive[l].length, 100 * DEAD_FRACTION));
        }
        boolean trainable = layer.hasTrainableParams();
        String exploding = null;
        if (!Double.isFinite(mean) || !Double.isFinite(std)) {
            exploding = String.format("its outputs are no longer finite (mean %s, std %s)", mean, std);
        } else if (Math.abs(mean) > EXPLODING_ACTIVATION || std > EXPLODING_ACTIVATION) {
            exploding = String.format("its outputs have mean %.3g and std %.3g (warned above %s)", mean, std,
                    power(EXPLODING_ACTIVATION));
        } else if (gradNorm != null && !Double.isFinite(gradNorm)) {
            exploding = "its gradient norm is " + gradNorm;
        } else if (ratio != null && (!Double.isFinite(ratio) || ratio > EXPLODING_RATIO)) {
            exploding = String.format("update/weight ratio %.3g (warned above %s; healthy is about 1e-3)", ratio,
                    power(EXPLODING_RATIO));
        } else if (gradNorm != null && gradNorm > EXPLODING_GROWTH * previousGradNorm[l]) {
            exploding = String.format("gradient norm %.3g, %.0f× the previous epoch's %.3g (warned above %.0f×)",
                    gradNorm, gradNorm / previousGradNorm[l], previousGradNorm[l], EXPLODING_GROWTH);
        }
        if (exploding != null) {
            problems.add("exploding");
            warn(where + "exploding — " + exploding + "; lower the learning rate");
        }
        if (trainable && ratio != null && ratio < STALLED_RATIO) {
            problems.add("stalled");
            warn(where + "stalled (frozen in effect) — update/weight ratio " + number(ratio) + ", below "
                    + power(STALLED_RATIO) + (gradNorm == 0
                    ? ": no gradient reaches it (gradient norm 0): dead units or saturated activations above it"
                    : ": float rounding swallows updates this small; raise the learning rate (gradient norm "
                    + number(gradNorm) + ")"));
        }
        if (problems.isEmpty()) {
            return !layer.params().isEmpty() && !trainable ? "frozen" : "ok";
        }
        return String.join("+", problems);
    }

    /*
     * The sums below run over every weight at every step, so they are written for speed: four independent
     * partial sums, as one running double sum would wait on each add's latency (Java keeps a floating-point
     * sum in program order, so the JIT cannot split it by itself). Each partial sum is in double.
     */

    /** {@code Σ a[i]} in double. */
    static double sum(float[] a) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int n = a.length - 3; i < n; i += 4) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code Σ a[i]²} over {@code a[from, to)}, in double. */
    static double sumOfSquares(float[] a, int from, int to) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = from;
        for (int n = to - 3; i < n; i += 4) {
            double v0 = a[i], v1 = a[i + 1], v2 = a[i + 2], v3 = a[i + 3];
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < to; i++) {
            s0 += (double) a[i] * a[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Adds {@code Σ (a[i] − b[bAt + i])²} to {@code sums[0]} and {@code Σ b[bAt + i]²} to {@code sums[1]}, over
     * all of {@code a}, in double, in one pass.
     */
    static void addSquaredDifferencesAndSquares(float[] a, float[] b, int bAt, double[] sums) {
        double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
        double w0 = 0, w1 = 0, w2 = 0, w3 = 0;
        int i = 0;
        for (int n = a.length - 3; i < n; i += 4) {
            double b0 = b[bAt + i], b1 = b[bAt + i + 1], b2 = b[bAt + i + 2], b3 = b[bAt + i + 3];
            double e0 = a[i] - b0, e1 = a[i + 1] - b1, e2 = a[i + 2] - b2, e3 = a[i + 3] - b3;
            d0 += e0 * e0;
            d1 += e1 * e1;
            d2 += e2 * e2;
            d3 += e3 * e3;
            w0 += b0 * b0;
            w1 += b1 * b1;
            w2 += b2 * b2;
            w3 += b3 * b3;
        }
        for (; i < a.length; i++) {
            double bi = b[bAt + i];
            double e = a[i] - bi;
            d0 += e * e;
            w0 += bi * bi;
        }
        sums[0] += (d0 + d1) + (d2 + d3);
        sums[1] += (w0 + w1) + (w2 + w3);
    }

    /** {@code 0} for zero, else three significant digits. */
    private static String number(double x) {
        return x == 0 ? "0" : String.format("%.3g", x);
    }

    /** {@code 1e-7} rather than Java's {@code 1.0E-7} or {@code %e}'s {@code 1e-07}. */
    private static String power(double x) {
        return String.format("%.0e", x).replaceAll("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
    }

    private void warn(String message) {
        warnings.add(message);
        out.println("inspect warning: " + message);
    }

    /** The parameters a layer's gradient norm and ratio are taken over: its trainable ones, else all. */
    private static List<Param> watched(Layer layer) {
        List<Param> all = layer.params();
        List<Param> trainable = new ArrayList<>(all.size());
        for (Param p : all) {
            if (p.trainable()) {
                trainable.add(p);
            }
        }
        return trainable.isEmpty() ? all : trainable;
    }

    private void clear() {
        java.util.Arrays.fill(sum, 0);
        java.util.Arrays.fill(sumSquares, 0);
        java.util.Arrays.fill(count, 0);
        java.util.Arrays.fill(gradNormSum, 0);
        java.util.Arrays.fill(ratioSum, 0);
        java.util.Arrays.fill(ratioSteps, 0);
        for (boolean[] p : everPositive) {
            if (p != null) {
                java.util.Arrays.fill(p, false);
            }
        }
        steps = 0;
        sampled = 0;
    }
}
