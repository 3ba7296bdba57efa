package glassbox.nn;

import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Dropout;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Watching training does not change it: with the profiler and the inspector on, an MLP and a CNN end with
 * the same bits (weights and history) as without them, from the same seed, on one thread or two.
 */
class FitBitsTest {

    /** A digest of every final weight's bits and every epoch's loss and accuracy bits. */
    static long digest(Sequential model, History history) {
        long h = 1125899906842597L;
        for (Tensor w : model.getWeights()) {
            for (float v : w.data()) {
                h = 31 * h + Float.floatToRawIntBits(v);
            }
        }
        for (History.Epoch e : history.epochs()) {
            h = 31 * h + Double.doubleToRawLongBits(e.loss());
            h = 31 * h + Double.doubleToRawLongBits(e.accuracy());
        }
        return h;
    }

    private static long train(Supplier<Sequential> build, Tensor[] data, UnaryOperator<FitOptions> watch) {
        Sequential model = build.get().compile(new SparseCategoricalCrossentropy(), new Adam(0.01f));
        FitOptions options = FitOptions.defaults().withEpochs(2).withBatchSize(8).withVerbose(false);
        History history = model.fit(data[0], data[1], watch.apply(options));
        return digest(model, history);
    }

    private static void sameBitsWatchedOrNot(String name, Supplier<Sequential> build, Tensor[] data) {
        long plain = train(build, data, o -> o);
        System.out.printf("FitBitsTest %s digest %016x%n", name, plain);
        assertEquals(plain, train(build, data, o -> o), "same seed, same bits");
        assertEquals(plain, train(build, data, FitBitsTest::profiled), "profiled");
        assertEquals(plain, train(build, data, FitBitsTest::inspected), "inspected");
        assertEquals(plain, train(build, data, o -> inspected(profiled(o))), "profiled and inspected");
        assertEquals(plain, onThreads(1, () -> train(build, data, o -> o)), "on one thread");
        assertEquals(plain, onThreads(2, () -> train(build, data, o -> o)), "on two threads");
    }

    /** Runs {@code task} in a pool of {@code threads}, where the layers' parallel loops then run. */
    private static long onThreads(int threads, Callable<Long> task) {
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            return pool.submit(task).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    private static FitOptions profiled(FitOptions o) {
        return o.withCallbacks(List.of(new Profile()));
    }

    private static FitOptions inspected(FitOptions o) {
        List<Callback> callbacks = new java.util.ArrayList<>(o.callbacks());
        callbacks.add(new Inspector());
        return o.withCallbacks(callbacks);
    }

    @Test
    void anMlpTrainsToTheSameBitsWatchedOrNot() {
        sameBitsWatchedOrNot("mlp", () -> new Sequential(7, new Dense(16, "relu"), new Dense(3, "softmax")),
                SequentialTest.blobs(20, 1));
    }

    @Test
    void aCnnTrainsToTheSameBitsWatchedOrNot() {
        sameBitsWatchedOrNot("cnn", () -> new Sequential(7, new Conv2D(4, 3, "same", "relu"), new MaxPooling2D(),
                new BatchNormalization(), new Dropout(0.25), new Flatten(), new Dense(3, "softmax")),
                FreezingTest.images(40, 3));
    }
}
