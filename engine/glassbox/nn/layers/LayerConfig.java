package glassbox.nn.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one layer's config map — what {@link glassbox.nn.Layer#config()} wrote, often after a trip through
 * JSON — for that layer's {@code fromConfig}, with the checks every one of them needs.
 *
 * <p>JSON has a single number type, and Gson reads {@code 16} back as {@code 16.0}: an integer key therefore
 * accepts any whole number within int range, whatever its boxed type. Every error names the layer class,
 * the key, the value received and what was expected.
 */
final class LayerConfig {
    private final String className;
    private final Map<String, Object> config;

    LayerConfig(String className, Map<String, Object> config) {
        if (config == null) {
            throw new IllegalArgumentException(className + " config is null: expected a map of its constructor "
                    + "arguments (what config() returns)");
        }
        this.className = className;
        this.config = config;
    }

    /** The {@code "name"} key: a string, or {@code null} / absent to let the model choose one. */
    String name() {
        Object v = config.get("name");
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw wrongType("name", v, "a string or null");
    }

    String string(String key) {
        Object v = require(key, "a string");
        if (v instanceof String s) {
            return s;
        }
        throw wrongType(key, v, "a string");
    }

    int intValue(String key) {
        Object v = require(key, "an integer");
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw wrongType(key, v, "an integer");
    }

    double doubleValue(String key) {
        Object v = require(key, "a number");
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, v, "a number");
    }

    boolean booleanValue(String key) {
        Object v = require(key, "true or false");
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, v, "true or false");
    }

    /** A list of integers, such as Keras's {@code "kernel_size": [3, 3]}. */
    List<Integer> intList(String key) {
        Object v = require(key, "a list of integers");
        if (v instanceof List<?> list) {
            List<Integer> out = new ArrayList<>();
            for (Object e : list) {
                if (!(e instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                        || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                    throw wrongType(key, v, "a list of integers");
                }
                out.add(n.intValue());
            }
            return out;
        }
        throw wrongType(key, v, "a list of integers");
    }

    /** An activation by its Keras name ({@code "relu"}, {@code "softmax"}, …). */
    Activation activation(String key) {
        String name = string(key);
        try {
            return Activation.of(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(className + " config key '" + key + "': " + e.getMessage(), e);
        }
    }

    private Object require(String key, String expected) {
        Object v = config.get(key);
        if (v == null) {
            throw new IllegalArgumentException(className + " config key '" + key + "' is "
                    + (config.containsKey(key) ? "null" : "missing") + ": expected " + expected
                    + "; the config has " + config.keySet());
        }
        return v;
    }

    private IllegalArgumentException wrongType(String key, Object v, String expected) {
        String quoted = v instanceof String ? "'" + v + "'" : String.valueOf(v);
        String type = v instanceof List ? "List" : v instanceof Map ? "Map" : v.getClass().getSimpleName();
        return new IllegalArgumentException(className + " config key '" + key + "': expected " + expected
                + ", got " + quoted + " (" + type + ")");
    }
}
