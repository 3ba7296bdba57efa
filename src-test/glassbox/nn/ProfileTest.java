package glassbox.nn;

import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --profile}: the shares add up, FLOPs are the layers' products, GFLOP/s is FLOPs over time. */
class ProfileTest {

    @Test
    void sharesAddUpAndGflopsAreTheRecordedFlopsOverTheRecordedTime() {
        Tensor[] train = SequentialTest.blobs(10, 1); // 30 samples
        Tensor[] val = SequentialTest.blobs(3, 2);
        Sequential model = new Sequential(0, new Dense(16, "relu"), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam());
        History h = model.fit(train[0], train[1], FitOptions.defaults().withEpochs(2).withBatchSize(8)
                .withVerbose(false).withCallbacks(List.of(new Profile(), new Inspector())).withValidation(val[0], val[1]));
        Profile p = h.profile();

        double phases = p.seconds().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(p.totalSeconds(), phases, 1e-9);
        assertEquals(p.totalSeconds(), p.insideLayersSeconds() + p.outsideLayersSeconds(), 1e-9);
        double outside = p.outsideLayers().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(p.outsideLayersSeconds(), outside, 1e-9);
        assertEquals(Set.of("batching", "loss", "optimizer", "callbacks", "validation", "hooks"),
                p.outsideLayers().keySet());
        Map<String, Double> s = p.seconds();
        assertEquals(s.get("dense forward") + s.get("dense backward"), p.layerSeconds().get("dense"), 1e-12);

        // Dense(2 → 16) forward: 2·batch·in·units per step; over an epoch the batches add up to the 30 samples
        assertEquals(2L * 2 * 30 * 2 * 16, p.flops().get("dense forward"));
        // backward of the first layer: only the kernel's gradient (no layer below wants dL/dIn)
        assertEquals(2L * 2 * 30 * 2 * 16, p.flops().get("dense backward"));
        assertEquals(2 * (2L * 2 * 30 * 16 * 3), p.flops().get("dense_1 backward"), "kernel and input gradients");
        double nanos = 1e9 * (s.get("dense_1 forward") + s.get("dense_1 backward"));
        double flops = p.flops().get("dense_1 forward") + p.flops().get("dense_1 backward");
        assertEquals(flops / nanos, p.layerGflops().get("dense_1"), 1e-6 * flops / nanos);

        String table = p.table();
        assertTrue(table.contains("inside layers") && table.contains("outside layers"), table);
        assertTrue(table.contains("layer (forward + backward)"), table);
    }

    @Test
    void layersWithoutProductsHaveNoGflopsButCountAsInside() {
        Sequential model = new Sequential(0, new Flatten(), new Dense(3, "softmax"))
                .compile(new SparseCategoricalCrossentropy(), new Adam());
        History h = model.fit(Tensor.zeros(6, 2, 2), Tensor.zeros(6), FitOptions.defaults().withBatchSize(3)
                .withVerbose(false).withCallbacks(List.of(new Profile())));
        Profile p = h.profile();
        assertTrue(p.layerSeconds().containsKey("flatten"));
        assertFalse(p.layerGflops().containsKey("flatten"), "a reshape does no arithmetic: no GFLOP/s, not 0");
        assertTrue(p.layerGflops().containsKey("dense"));
    }
}
