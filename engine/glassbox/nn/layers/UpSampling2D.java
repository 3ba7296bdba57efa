package glassbox.nn.layers;

import glassbox.nn.Layer;
import glassbox.tensor.Tensor;
import glassbox.util.Parallel;
import glassbox.util.Rng;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * Nearest-neighbour up-sampling of NHWC images: every pixel becomes a {@code sh×sw} block of copies.
 *
 * <pre>
 *   x : (batch, H, W, C)  →  y : (batch, H·sh, W·sw, C)
 *   y[n, h, w, c] = x[n, ⌊h/sh⌋, ⌊w/sw⌋, c]
 *   dx[n, h, w, c] = Σ_{i &lt; sh, j &lt; sw} dy[n, h·sh + i, w·sw + j, c]
 * </pre>
 *
 * Keras: {@code layers.UpSampling2D(size=(2, 2), interpolation="nearest")}.
 */
public final class UpSampling2D extends Layer {
    private final int sh;
    private final int sw;
    private int inH;
    private int inW;
    private int c;
    private Tensor y;
    private Tensor dX;
    private int[] xShape;

    /** Keras's default, size (2, 2). */
    public UpSampling2D() {
        this(2, 2, null);
    }

    public UpSampling2D(int size) {
        this(size, size, null);
    }

    public UpSampling2D(int sh, int sw, String name) {
        super(name);
        String who = "UpSampling2D" + (name == null ? "" : " layer '" + name + "'");
        SlidingWindows.requirePositive(who, "size", sh, sw);
        this.sh = sh;
        this.sw = sw;
    }

    @Override
    protected int[] doBuild(int[] inputShape, Rng rng) {
        String who = "UpSampling2D layer '" + (name() == null ? kind() : name()) + "'";
        SlidingWindows.requireImages(who, inputShape, "");
        inH = inputShape[0];
        inW = inputShape[1];
        c = inputShape[2];
        return new int[]{inH * sh, inW * sw, c};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        int batch = x.dim(0);
        xShape = x.shape();
        y = reuse(y, batch, inH * sh, inW * sw, c);
        float[] in = x.data();
        float[] out = y.data();
        int outW = inW * sw;
        Parallel.forEach(batch, (long) inH * inW * c * sh * sw, n -> {
            for (int h = 0; h < inH * sh; h++) {
                int srcRow = (n * inH + h / sh) * inW;
                int dstRow = (n * inH * sh + h) * outW;
                for (int w = 0; w < outW; w++) {
                    System.arraycopy(in, (srcRow + w / sw) * c, out, (dstRow + w) * c, c);
                }
            }
        });
        return y;
    }

    @Override
    public Tensor backward(Tensor dOut) {
        if (!inputGradientNeeded()) {
            return null;
        }
        dX = reuse(dX, xShape);
        float[] dx = dX.data();
        float[] dy = dOut.data();
        int outW = inW * sw;
        Parallel.forEach(xShape[0], (long) inH * inW * c * sh * sw, n -> {
            java.util.Arrays.fill(dx, n * inH * inW * c, (n + 1) * inH * inW * c, 0f);
            for (int h = 0; h < inH * sh; h++) {
                int dstRow = (n * inH + h / sh) * inW;
                int srcRow = (n * inH * sh + h) * outW;
                for (int w = 0; w < outW; w++) {
                    int d = (dstRow + w / sw) * c;
                    int s = (srcRow + w) * c;
                    for (int ch = 0; ch < c; ch++) {
                        dx[d + ch] += dy[s + ch];
                    }
                }
            }
        });
        return dX;
    }

    /** Keras's {@code get_config()}: {@code name}, {@code size}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name());
        config.put("size", List.of(sh, sw));
        return config;
    }

    /** Rebuilds an UpSampling2D from {@link #config()}. */
    public static UpSampling2D fromConfig(Map<String, Object> config) {
        LayerConfig c = new LayerConfig("UpSampling2D", config);
        List<Integer> size = c.intList("size");
        if (size.size() != 2) {
            throw new IllegalArgumentException("UpSampling2D config: size needs two values, got " + size);
        }
        return new UpSampling2D(size.get(0), size.get(1), c.name());
    }

    @Override
    public String kind() {
        return "up_sampling2d";
    }
}
