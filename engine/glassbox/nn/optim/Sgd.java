package glassbox.nn.optim;

import glassbox.nn.Param;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional (Nesterov) momentum, Keras's {@code SGD}:
 * <pre>
 *   momentum = 0:   w ← w − lr·g
 *   otherwise:      v ← momentum·v − lr·g
 *                   w ← w + v                       (classical)
 *                   w ← w + momentum·v − lr·g       (nesterov)
 * </pre>
 * Keras defaults: {@code learning_rate=0.01, momentum=0.0, nesterov=False}.
 */
public final class Sgd implements Optimizer {
    private final float learningRate;
    private final float momentum;
    private final boolean nesterov;
    private final Map<Param, float[][]> velocities = new IdentityHashMap<>();

    public Sgd() {
        this(0.01f, 0f, false);
    }

    public Sgd(float learningRate) {
        this(learningRate, 0f, false);
    }

    public Sgd(float learningRate, float momentum, boolean nesterov) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("SGD learningRate must be > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("SGD momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    @Override
    public void step(List<Param> params) {
        for (Param p : params) {
            if (!p.trainable()) {
                continue;
            }
            float[] w = p.value().data();
            float[] g = p.grad().data();
            if (momentum == 0f) {
                for (int i = 0; i < w.length; i++) {
                    w[i] -= learningRate * g[i];
                }
                continue;
            }
            float[] v = velocities.computeIfAbsent(p, k -> new float[][]{new float[w.length]})[0];
            for (int i = 0; i < w.length; i++) {
                v[i] = momentum * v[i] - learningRate * g[i];
                w[i] += nesterov ? momentum * v[i] - learningRate * g[i] : v[i];
            }
        }
    }

    /** Each parameter's velocity (none without momentum; SGD counts no steps). */
    @Override
    public State state(List<Param> params) {
        return new State(0, Slots.copy(velocities, params));
    }

    @Override
    public void restore(List<Param> params, State state) {
        Slots.restore(velocities, params, state.slots(), 1, "SGD");
    }

    @Override
    public String describe() {
        return "SGD(learning_rate=" + learningRate + ", momentum=" + momentum + ", nesterov=" + nesterov + ")";
    }
}
