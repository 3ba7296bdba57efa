package glassbox.nn.optim;

import glassbox.nn.Param;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adadelta (Zeiler 2012), Keras's update rule and defaults. Per weight, with running averages {@code E[g²]}
 * and {@code E[Δ²]}:
 * <pre>
 *   E[g²] ← ρ·E[g²] + (1 − ρ)·g²
 *   Δ     = sqrt(E[Δ²] + ε) / sqrt(E[g²] + ε) · g
 *   E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²
 *   w     ← w − lr·Δ
 * </pre>
 * The paper has no learning rate (lr = 1). Keras's defaults changed over time, which matters for the seeds
 * that call {@code keras.optimizers.Adadelta()} or {@code optimizer='adadelta'}:
 * <ul>
 *   <li>standalone Keras 2.0.0 – 2.1.2: {@code lr=1.0, rho=0.95, epsilon=1e-8};</li>
 *   <li>standalone Keras 2.1.3 – 2.3 (pull request #8710, December 2017): {@code epsilon=None}, meaning
 *       {@code K.epsilon()} = 1e-7, still {@code lr=1.0} — {@link #keras2()};</li>
 *   <li>tf.keras (TensorFlow 2): {@code learning_rate=0.001, rho=0.95, epsilon=1e-7} — {@link #Adadelta()}.</li>
 * </ul>
 * With lr = 1 the first steps are about {@code sqrt(ε)/sqrt((1 − ρ)·g²)·g}, so ε sets the initial step size:
 * 1e-8 starts √10 ≈ 3.2 times slower than 1e-7. The learning-rate-0.001 default of TensorFlow 2 trains a
 * thousand times slower than the seeds' Keras did.
 */
public final class Adadelta implements Optimizer {
    private final float learningRate;
    private final float rho;
    private final float epsilon;
    private final Map<Param, float[][]> accumulators = new IdentityHashMap<>();

    public Adadelta() {
        this(0.001f, 0.95f, 1e-7f);
    }

    /**
     * Standalone Keras 2.1.3 – 2.3's {@code Adadelta()}: learning rate 1.0 (the paper's), ρ 0.95, ε 1e-7 —
     * the optimiser of the seeds written in 2018 with {@code optimizer='adadelta'}.
     */
    public static Adadelta keras2() {
        return new Adadelta(1.0f, 0.95f, 1e-7f);
    }

    public Adadelta(float learningRate, float rho, float epsilon) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("Adadelta learningRate must be > 0, got " + learningRate);
        }
        if (!(rho >= 0 && rho < 1)) {
            throw new IllegalArgumentException("Adadelta rho must be in [0, 1), got " + rho);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adadelta epsilon must be > 0, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.rho = rho;
        this.epsilon = epsilon;
    }

    @Override
    public void step(List<Param> params) {
        for (Param p : params) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value().data();
            float[] g = p.grad().data();
            float[][] acc = accumulators.computeIfAbsent(p, k -> new float[][]{new float[w.length], new float[w.length]});
            float[] accGrad = acc[0];
            float[] accDelta = acc[1];
            for (int i = 0; i < w.length; i++) {
                accGrad[i] = rho * accGrad[i] + (1 - rho) * g[i] * g[i];
                float delta = (float) (Math.sqrt(accDelta[i] + epsilon) / Math.sqrt(accGrad[i] + epsilon)) * g[i];
                accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
                w[i] -= learningRate * delta;
            }
        }
    }

    /** The per-parameter accumulators {@code E[g²]} and {@code E[Δ²]} (Adadelta counts no steps). */
    @Override
    public State state(List<Param> params) {
        return new State(0, Slots.copy(accumulators, params));
    }

    @Override
    public void restore(List<Param> params, State state) {
        Slots.restore(accumulators, params, state.slots(), 2, "Adadelta");
    }

    @Override
    public String describe() {
        return "Adadelta(learning_rate=" + learningRate + ", rho=" + rho + ", epsilon=" + epsilon + ")";
    }
}
