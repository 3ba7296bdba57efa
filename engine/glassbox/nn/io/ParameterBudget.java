package glassbox.nn.io;

import glassbox.nn.Layer;
import glassbox.nn.Param;
import glassbox.nn.layers.BatchNormalization;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks, before a model is built from a file's header, that its layers' parameters fit in the rest of the
 * file — so that a damaged header ({@code "units": 2000000000}, an input shape of 2³⁰) is refused as corrupt
 * instead of making {@code build} allocate gigabytes of weights the file could never hold.
 *
 * <p>Every parameter is stored as 4-byte floats after the header, so a file with {@code B} bytes after its
 * header holds at most {@code B / 4} parameters. Walking the layers in order, each layer's parameter count
 * is computed from its config and its input shape <em>before</em> anything is allocated for it (the
 * formulas of {@link #parameters}, exact for Dense, Conv2D and BatchNormalization, the layers that have
 * weights); then a second instance of the layer, built alone, gives the next layer's input shape. Its
 * allocation is within the budget by then, so the walk costs at most the file's own size. A layer class
 * with weights that {@link #parameters} does not know is still caught, from its built parameters, but only
 * after it has allocated them: a new layer with weights belongs in that method.
 */
final class ParameterBudget {
    private ParameterBudget() {
    }

    /**
     * Throws unless the layers of the header, built one after the other from {@code inputShape}, need at
     * most {@code budget} parameters in all.
     *
     * @param layers  the header's layers, made from their configs but not built
     * @param rebuild makes a second instance of layer {@code i}, to be built alone for its output shape
     * @throws IOException naming {@code file} (truncated, or a corrupt header), the layer at which the
     *                     budget ran out, and both counts; or naming the layer that does not build for its
     *                     input shape
     */
    static void check(Path file, List<Layer> layers, Rebuild rebuild, int[] inputShape, long budget)
            throws IOException {
        int[] shape = inputShape.clone();
        double needed = 0;
        for (int i = 0; i < layers.size(); i++) {
            if (needed + parameters(layers.get(i), shape) > budget) {
                throw overBudget(file, i, layers.get(i), shape, needed + parameters(layers.get(i), shape), budget);
            }
            Layer probe = rebuild.layer(i);
            int[] in = shape;
            try {
                shape = probe.build(in, new Rng(0));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": layer " + i + " of the header does not build for input shape "
                        + Tensor.shapeString(in) + ": " + e.getMessage(), e);
            }
            for (Param p : probe.params()) {
                needed += p.value().size();
            }
            if (needed > budget) { // a layer with weights that parameters() does not know: caught after the fact
                throw overBudget(file, i, probe, in, needed, budget);
            }
        }
    }

    private static IOException overBudget(Path file, int i, Layer layer, int[] in, double needed, long budget) {
        // Which one cannot be told: the header may claim too much, or the weights may be cut short.
        return new IOException(file + " is truncated inside the weights section, or its header is corrupt: the "
                + "layers in the header need at least " + (long) needed + " parameters by layer " + i + " ("
                + layer.getClass().getSimpleName() + " on input " + Tensor.shapeString(in) + "), but the bytes after "
                + "the header hold at most " + budget);
    }

    /** Makes a fresh layer from entry {@code i} of the header. */
    @FunctionalInterface
    interface Rebuild {
        Layer layer(int i) throws IOException;
    }

    /**
     * The number of parameters {@code layer} allocates when built for samples of {@code in} — a double, so
     * that no product of corrupt sizes overflows — or 0 for a layer without weights and for an input the
     * layer will refuse to build on.
     * <ul>
     *   <li>Dense: kernel {@code (features, units)} and, with {@code use_bias}, a bias of {@code units};</li>
     *   <li>Conv2D: kernel {@code (kh, kw, channels, filters)} and, with {@code use_bias}, {@code filters};</li>
     *   <li>BatchNormalization: gamma, beta, moving mean and variance, one per channel (the last axis).</li>
     * </ul>
     */
    static double parameters(Layer layer, int[] in) {
        for (int d : in) {
            if (d <= 0) {
                return 0;
            }
        }
        Map<String, Object> config = layer.config();
        boolean bias = Boolean.TRUE.equals(config.get("use_bias"));
        if (layer instanceof Dense dense) {
            return in.length != 1 ? 0 : (double) in[0] * dense.units() + (bias ? dense.units() : 0);
        }
        if (layer instanceof Conv2D conv) {
            if (in.length != 3 || !(config.get("kernel_size") instanceof List<?> k) || k.size() != 2) {
                return 0;
            }
            double kernel = ((Number) k.get(0)).doubleValue() * ((Number) k.get(1)).doubleValue();
            return kernel * in[2] * conv.filters() + (bias ? conv.filters() : 0);
        }
        if (layer instanceof BatchNormalization) {
            return in.length == 0 ? 0 : 4.0 * in[in.length - 1];
        }
        return 0;
    }
}
