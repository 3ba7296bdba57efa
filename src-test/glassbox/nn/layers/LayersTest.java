package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry and the config checks shared by every layer (the round trip itself is in LayerContractTest). */
class LayersTest {

    private static Map<String, Object> denseConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", "hidden");
        c.put("units", 16);
        c.put("activation", "relu");
        c.put("use_bias", true);
        return c;
    }

    private static String message(Map<String, Object> config) {
        return assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Dense", config)).getMessage();
    }

    @Test
    void denseConfigHasKerasKeysAndValues() {
        Dense dense = new Dense(16, Activation.RELU, false, glassbox.nn.init.Initializer.zeros(),
                glassbox.nn.init.Initializer.zeros(), "hidden");
        assertEquals(Map.of("name", "hidden", "units", 16, "activation", "relu", "use_bias", false), dense.config());
        assertEquals(List.of("name", "units", "activation", "use_bias"), List.copyOf(dense.config().keySet()));
        assertEquals(Map.of("name", "probs", "activation", "softmax"),
                new ActivationLayer(Activation.SOFTMAX, "probs").config());
    }

    @Test
    void wholeNumbersReadBackFromJsonAsDoublesAreAccepted() {
        Map<String, Object> c = denseConfig();
        c.put("units", 16.0);
        Dense dense = (Dense) Layers.fromConfig("Dense", c);
        assertEquals(16, dense.units());
        assertEquals(Activation.RELU, dense.activation());
        assertEquals("hidden", dense.name());
    }

    @Test
    void aMissingOrNullNameLetsTheModelChooseOne() {
        Map<String, Object> c = denseConfig();
        c.remove("name");
        Layer layer = Layers.fromConfig("Dense", c);
        assertNull(layer.name());
        new Sequential(0, new Dense(3), layer);
        assertEquals("dense_1", layer.name());
        Map<String, Object> flatten = new HashMap<>();
        flatten.put("name", null);
        assertInstanceOf(Flatten.class, Layers.fromConfig("Flatten", flatten));
    }

    @Test
    void anUnknownClassIsNamedWithTheKnownOnes() {
        String m = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Conv3D", Map.of())).getMessage();
        assertTrue(m.contains("'Conv3D'") && m.contains("Dense, Flatten, ActivationLayer"), m);
    }

    @Test
    void aMissingKeyNamesTheClassTheKeyAndWhatWasExpected() {
        Map<String, Object> c = denseConfig();
        c.remove("units");
        String m = message(c);
        assertTrue(m.startsWith("Dense config key 'units' is missing: expected an integer"), m);
        assertTrue(m.contains("[name, activation, use_bias]"), m);
    }

    @Test
    void anIllTypedKeyQuotesTheValueReceived() {
        Map<String, Object> c = denseConfig();
        c.put("units", "16");
        assertEquals("Dense config key 'units': expected an integer, got '16' (String)", message(c));
        c.put("units", 16.5);
        assertEquals("Dense config key 'units': expected an integer, got 16.5 (Double)", message(c));
        c.put("units", 16);
        c.put("use_bias", "yes");
        assertEquals("Dense config key 'use_bias': expected true or false, got 'yes' (String)", message(c));
        c.put("use_bias", true);
        c.put("activation", "swish");
        String m = message(c);
        assertTrue(m.startsWith("Dense config key 'activation': unknown activation 'swish'"), m);
        c.put("activation", "relu");
        c.put("name", 7);
        assertEquals("Dense config key 'name': expected a string or null, got 7 (Integer)", message(c));
    }

    @Test
    void aValueTheConstructorRejectsIsReportedByTheConstructor() {
        Map<String, Object> c = denseConfig();
        c.put("units", 0);
        assertEquals("Dense units must be positive, got 0", message(c));
    }

    @Test
    void integerListsAcceptWholeNumbersOnly() {
        Map<String, Object> c = new HashMap<>();
        c.put("kernel_size", List.of(3.0, 5));
        assertEquals(List.of(3, 5), new LayerConfig("Conv2D", c).intList("kernel_size"));
        c.put("kernel_size", List.of(3, 2.5));
        String m = assertThrows(IllegalArgumentException.class,
                () -> new LayerConfig("Conv2D", c).intList("kernel_size")).getMessage();
        assertEquals("Conv2D config key 'kernel_size': expected a list of integers, got [3, 2.5] (List)", m);
    }
}
