package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each sample another shape with the same values in the same (row-major) order: Keras's
 * {@code layers.Reshape(target_shape)}. The batch axis is kept; {@code target_shape} describes one sample,
 * and one of its entries may be {@code -1}, to be inferred from the others (NumPy's rule).
 *
 * <pre>
 *   x : (batch, …inputShape)  →  y : (batch, …targetShape),   Π inputShape = Π targetShape
 *   e.g. the seed's 128-value code:  Reshape(4, 4, 8) : (batch, 128) → (batch, 4, 4, 8)
 *        and back:                   Reshape(-1)      : (batch, 4, 4, 8) → (batch, 128)   (as Flatten)
 * </pre>
 *
 * Nothing moves: tensors are row-major, so forward returns a view of the input with the new shape and
 * backward a view of the gradient with the input's. NHWC images reshape as Keras's channels_last ones do.
 */
public final class Reshape extends Layer {
    private final int[] targetShape;
    private int[] resolved;

    /** Keras's {@code Reshape(target_shape)}: e.g. {@code new Reshape(4, 4, 8)}, {@code new Reshape(-1, 8)}. */
    public Reshape(int... targetShape) {
        this(targetShape, null);
    }

    public Reshape(int[] targetShape, String name) {
        super(name);
        if (targetShape == null || targetShape.length == 0) {
            throw new IllegalArgumentException("Reshape target_shape must have at least one axis, got "
                    + (targetShape == null ? "null" : "()"));
        }
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d <= 0) {
                throw new IllegalArgumentException("Reshape target_shape " + Arrays.toString(targetShape)
                        + ": every axis must be positive, or -1 (one of them) to be inferred; got " + d);
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape target_shape " + Arrays.toString(targetShape)
                    + ": at most one axis may be -1, got " + unknown);
        }
        this.targetShape = targetShape.clone();
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        long size = Tensor.sizeOf(inputShape);
        long known = 1;
        int inferred = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                inferred = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] out = targetShape.clone();
        boolean fits = inferred >= 0 ? size % known == 0 : known == size;
        if (fits && inferred >= 0) {
            out[inferred] = (int) (size / known);
        }
        if (!fits) {
            throw new IllegalArgumentException("Reshape layer '" + (name() == null ? kind() : name())
                    + "' cannot reshape samples of shape " + Tensor.shapeString(inputShape) + " (" + size
                    + " values) into target_shape " + describeTarget() + " ("
                    + (inferred >= 0 ? "a multiple of " + known : String.valueOf(known)) + " values)");
        }
        resolved = out;
        return out.clone();
    }

    private String describeTarget() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < targetShape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(targetShape[i]);
        }
        return sb.append(targetShape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        return x.reshape(batchShape(x.dim(0), resolved));
    }

    @Override
    public Tensor backward(Tensor dOut) {
        return dOut.reshape(batchShape(dOut.dim(0), inputShape()));
    }

    @Override
    public String kind() {
        return "reshape";
    }

    /** Keras's {@code get_config()}: {@code name} and {@code target_shape} as given (with its −1, if any). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        List<Integer> target = new ArrayList<>();
        for (int d : targetShape) {
            target.add(d);
        }
        config.put("target_shape", target);
        return config;
    }

    /** Rebuilds a Reshape from {@link #config()}. */
    public static Reshape fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("Reshape", config);
        List<Integer> target = c.intList("target_shape");
        return new Reshape(target.stream().mapToInt(Integer::intValue).toArray(), c.name());
    }

    /** The target shape as given ({@code -1} included). */
    public int[] targetShape() {
        return targetShape.clone();
    }
}
