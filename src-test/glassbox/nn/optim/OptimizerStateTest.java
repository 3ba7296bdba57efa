package glassbox.nn.optim;

import glassbox.nn.Param;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * An optimiser's state, taken and put into a fresh optimiser over a copy of the parameters, continues with the
 * very steps of the original: Adam (moments and step count), Adadelta (accumulators), SGD with momentum
 * (velocities). A state of the wrong shape is refused and leaves the optimiser as it was.
 */
class OptimizerStateTest {

    private static List<Param> params(long seed) {
        Rng rng = new Rng(seed);
        List<Param> params = new ArrayList<>();
        for (int size : new int[]{6, 3}) {
            Tensor t = Tensor.zeros(size);
            for (int i = 0; i < size; i++) {
                t.data()[i] = (float) rng.nextGaussian();
            }
            params.add(new Param("p" + size, t, true));
        }
        params.add(new Param("frozen", Tensor.zeros(2), false)); // never stepped: no slots
        return params;
    }

    private static List<Param> copy(List<Param> params) {
        return params.stream().map(p -> new Param(p.name(), p.value().copy(), p.trainable())).toList();
    }

    /** Sets each gradient from {@code rng} and steps. */
    private static void step(Optimizer o, List<Param> params, Rng rng) {
        for (Param p : params) {
            for (int i = 0; i < p.grad().size(); i++) {
                p.grad().data()[i] = (float) rng.nextGaussian();
            }
        }
        o.step(params);
    }

    private static void continuesTheSameSteps(Supplier<Optimizer> make) {
        List<Param> original = params(1);
        Optimizer a = make.get();
        Rng grads = new Rng(2);
        for (int i = 0; i < 5; i++) {
            step(a, original, grads);
        }
        List<Param> resumed = copy(original);
        Optimizer b = make.get();
        b.restore(resumed, a.state(original));
        Rng gradsCopy = new Rng(0);
        gradsCopy.restore(grads.state());
        for (int i = 0; i < 5; i++) {
            step(a, original, grads);
            step(b, resumed, gradsCopy);
        }
        for (int i = 0; i < original.size(); i++) {
            assertArrayEquals(original.get(i).value().data(), resumed.get(i).value().data(), a.describe());
        }
        assertEquals(a.state(original).iterations(), b.state(resumed).iterations());
    }

    @Test
    void adamContinuesFromItsMomentsAndStepCount() {
        continuesTheSameSteps(Adam::new);
        List<Param> p = params(1);
        Adam adam = new Adam();
        step(adam, p, new Rng(3));
        Optimizer.State s = adam.state(p);
        assertEquals(1, s.iterations());
        assertEquals(2, s.slots().get(0).length, "m and v");
        assertEquals(null, s.slots().get(2), "a non-trainable parameter has no moments");
    }

    @Test
    void adadeltaAndSgdWithMomentumContinueFromTheirAccumulators() {
        continuesTheSameSteps(Adadelta::keras2);
        continuesTheSameSteps(() -> new Sgd(0.1f, 0.9f, true));
        continuesTheSameSteps(Sgd::new);
    }

    @Test
    void aStateOfOtherShapesIsRefusedAndChangesNothing() {
        List<Param> p = params(1);
        Adam adam = new Adam();
        step(adam, p, new Rng(3));
        Optimizer.State before = adam.state(p);
        List<float[][]> wrong = new ArrayList<>(before.slots());
        wrong.set(1, new float[][]{new float[4], new float[4]});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> adam.restore(p, new Optimizer.State(7, wrong)));
        assertEquals("Adam state of parameter 1 ('p3', 3 values) is not 2 arrays of that size", e.getMessage());
        assertEquals(1, adam.state(p).iterations());
        assertArrayEquals(before.slots().get(1)[0], adam.state(p).slots().get(1)[0]);
        assertThrows(IllegalArgumentException.class, () -> adam.restore(p.subList(0, 2), before));
    }
}
