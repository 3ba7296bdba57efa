package glassbox.nn.layers;

import glassbox.nn.GradientCheck;
import glassbox.nn.Sequential;
import glassbox.tensor.Tensor;
import glassbox.util.Json;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReshapeTest {

    @Test
    void valuesKeepTheirRowMajorOrderForwardAndBackward() {
        Reshape r = new Reshape(3, 2);
        assertArrayEquals(new int[]{3, 2}, r.build(new int[]{2, 3}, new Rng(0)));
        Tensor x = GradientCheck.distinct(1, 0, 1, 2, 2, 3);
        Tensor y = r.forward(x, true);
        assertArrayEquals(new int[]{2, 3, 2}, y.shape());
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 2; j++) {
                    int flat = i * 2 + j; // y[n, i, j] is the sample's flat element i·2 + j: x[n, flat / 3, flat % 3]
                    assertEquals(x.data()[n * 6 + (flat / 3) * 3 + flat % 3], y.data()[n * 6 + i * 2 + j]);
                }
            }
        }
        Tensor dy = GradientCheck.uniform(2, -1, 1, 2, 3, 2);
        Tensor dx = r.backward(dy);
        assertArrayEquals(new int[]{2, 2, 3}, dx.shape());
        assertArrayEquals(dy.data(), dx.data());
    }

    @Test
    void minusOneIsInferred() {
        assertArrayEquals(new int[]{128}, new Reshape(-1).build(new int[]{4, 4, 8}, new Rng(0)));
        assertArrayEquals(new int[]{4, 4, 8}, new Reshape(4, -1, 8).build(new int[]{128}, new Rng(0)));
    }

    @Test
    void reshapeMinusOneIsFlatten() {
        Tensor x = GradientCheck.uniform(3, -1, 1, 5, 4, 4, 2);
        Sequential a = new Sequential(7, new Conv2D(3, 3, "same", "relu"), new Flatten(), new Dense(4));
        Sequential b = new Sequential(7, new Conv2D(3, 3, "same", "relu"), new Reshape(-1), new Dense(4));
        assertArrayEquals(a.predict(x).data(), b.predict(x).data());
    }

    @Test
    void aMismatchNamesBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Reshape(10, 10).build(new int[]{4, 4, 8}, new Rng(0)));
        assertTrue(e.getMessage().contains("(4, 4, 8)") && e.getMessage().contains("(10, 10)")
                && e.getMessage().contains("128") && e.getMessage().contains("100"), e.getMessage());
        IllegalArgumentException inferred = assertThrows(IllegalArgumentException.class,
                () -> new Reshape(-1, 3).build(new int[]{4, 4, 8}, new Rng(0)));
        assertTrue(inferred.getMessage().contains("(4, 4, 8)") && inferred.getMessage().contains("(-1, 3)")
                && inferred.getMessage().contains("multiple of 3"), inferred.getMessage());
    }

    @Test
    void badTargetShapesAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, 4, -1)).getMessage()
                .contains("at most one axis may be -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Reshape(4, 0)).getMessage()
                .contains("got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Reshape(-2)).getMessage()
                .contains("got -2"));
        assertTrue(assertThrows(IllegalArgumentException.class, Reshape::new).getMessage().contains("()"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConfigKeepsTheMinusOne() {
        Reshape r = new Reshape(new int[]{-1, 8}, "to_rows");
        Map<String, Object> config = Json.fromJson(Json.toJson(r.config()), Map.class);
        Reshape back = (Reshape) Layers.fromConfig("Reshape", config);
        assertArrayEquals(new int[]{-1, 8}, back.targetShape());
        assertEquals("to_rows", back.name());
        assertEquals(List.of(-1, 8), r.config().get("target_shape"));
    }
}
