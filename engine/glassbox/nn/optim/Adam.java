package glassbox.nn.optim;

import glassbox.nn.Param;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015), with Keras's update rule and defaults. For step {@code t = 1, 2, …}:
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   αt = lr·sqrt(1 − β2^t) / (1 − β1^t)
 *   w ← w − αt·m / (sqrt(v) + ε)
 * </pre>
 * The bias correction is folded into the step size, and ε is added to {@code sqrt(v)} <em>without</em>
 * correction (the paper's "ε̂" form), exactly as Keras does; with the paper's form (ε added to
 * {@code sqrt(v̂)}) early steps differ slightly. Keras defaults: {@code learning_rate=0.001, beta_1=0.9,
 * beta_2=0.999, epsilon=1e-7}.
 */
public final class Adam implements Optimizer {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<Param, float[][]> moments = new IdentityHashMap<>();
    private long iterations;

    public Adam() {
        this(0.001f, 0.9f, 0.999f, 1e-7f);
    }

    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("Adam learningRate must be > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got beta1=" + beta1 + ", beta2=" + beta2);
        }
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("Adam epsilon must be >= 0, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public void step(List<Param> params) {
        iterations++;
        double t = iterations;
        float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
        float oneMinusBeta1 = 1f - beta1;
        float oneMinusBeta2 = 1f - beta2;
        for (Param p : params) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[][] mv = moments.computeIfAbsent(p, k -> new float[][]{new float[w.length], new float[w.length]});
            float[] m = mv[0];
            float[] v = mv[1];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i];
                m[i] = beta1 * m[i] + oneMinusBeta1 * gi;
                v[i] = beta2 * v[i] + oneMinusBeta2 * gi * gi;
                w[i] -= alpha * m[i] / ((float) Math.sqrt(v[i]) + epsilon);
            }
        }
    }

    @Override
    public State state(List<Param> params) {
        return new State(iterations, Slots.copy(moments, params));
    }

    /** Puts back the step count and each parameter's {@code m} and {@code v}. */
    @Override
    public void restore(List<Param> params, State state) {
        if (state.iterations() < 0) {
            throw new IllegalArgumentException("Adam state has a negative step count " + state.iterations());
        }
        Slots.restore(moments, params, state.slots(), 2, "Adam");
        iterations = state.iterations();
    }

    /** How many steps have been taken ({@code t} of the last step). */
    public long iterations() {
        return iterations;
    }

    @Override
    public String describe() {
        return "Adam(learning_rate=" + learningRate + ", beta_1=" + beta1 + ", beta_2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
