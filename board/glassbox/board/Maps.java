package glassbox.board;

import glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer outputs as the page draws them: small greyscale images as 0..255 integers (row-major, drawn with
 * {@code putImageData}), each with the {@code min} and {@code max} that 0 and 255 stand for, and 1-D outputs
 * as their values. Floats are written with float precision ({@code 0.1f} as 0.1, not 0.10000000149011612).
 */
final class Maps {
    private Maps() {
    }

    /**
     * One sample's output ({@code (1, …)}): for {@code (1, h, w, c)} one map per channel, each min–max scaled
     * on its own (a channel's pattern shows whatever its range: a layer's channels differ by orders of
     * magnitude after BatchNormalization or ReLU), for {@code (1, h, w)} one map, for {@code (1, n)} the values.
     */
    static Map<String, Object> ofSample(Tensor out) {
        int[] s = out.shape();
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.length == 2) {
            m.put("kind", "values");
            m.put("values", values(out.data(), 0, s[1]));
            float[] range = range(out.data(), 0, s[1], 1);
            m.put("min", round(range[0]));
            m.put("max", round(range[1]));
            return m;
        }
        if (s.length < 3 || s.length > 4) {
            m.put("kind", "none");
            return m;
        }
        int h = s[1];
        int w = s[2];
        int c = s.length == 4 ? s[3] : 1;
        List<Map<String, Object>> maps = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) {
            float[] r = range(out.data(), ch, h * w, c);
            maps.add(map(out.data(), ch, h * w, c, r[0], r[1]));
        }
        m.put("kind", "maps");
        m.put("height", h);
        m.put("width", w);
        m.put("channels", c);
        m.put("maps", maps);
        return m;
    }

    /**
     * Every channel of {@code (1, h, w, c)} on one shared scale (the min and max over all of them), for the
     * autoencoder's code, whose channels together are the 128 numbers an image is squeezed into.
     */
    static Map<String, Object> sharedScaleMaps(Tensor out) {
        int[] s = out.shape();
        int h = s[1];
        int w = s[2];
        int c = s.length == 4 ? s[3] : 1;
        float[] r = range(out.data(), 0, out.size(), 1);
        List<Map<String, Object>> maps = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) {
            maps.add(map(out.data(), ch, h * w, c, r[0], r[1]));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", h);
        m.put("width", w);
        m.put("channels", c);
        m.put("min", round(r[0]));
        m.put("max", round(r[1]));
        m.put("maps", maps);
        return m;
    }

    /** The first {@code h·w} values of {@code data} as one image where {@code lo} is black and {@code hi} white. */
    static Map<String, Object> fixedScale(float[] data, int h, int w, float lo, float hi) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", h);
        m.put("width", w);
        m.putAll(map(data, 0, h * w, 1, lo, hi));
        return m;
    }

    /**
     * {@code n} values of {@code data} from {@code from}, {@code stride} apart, as 0..255 with {@code lo} at
     * 0 and {@code hi} at 255 (clamped; all 0 when {@code hi == lo}).
     */
    private static Map<String, Object> map(float[] data, int from, int n, int stride, float lo, float hi) {
        int[] pixels = new int[n];
        double span = hi - lo;
        for (int i = 0; i < n; i++) {
            double v = span > 0 ? (data[from + i * stride] - lo) / span * 255 : 0;
            pixels[i] = (int) Math.round(Math.max(0, Math.min(255, v)));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", round(lo));
        m.put("max", round(hi));
        m.put("pixels", pixels);
        return m;
    }

    /** The smallest and largest of {@code n} values {@code stride} apart from {@code from}. */
    private static float[] range(float[] data, int from, int n, int stride) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = data[from + i * stride];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new float[]{lo, hi};
    }

    /** {@code n} values from {@code from}, each as the shortest decimal that reads back as the same float. */
    static double[] values(float[] data, int from, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = round(data[from + i]);
        }
        return out;
    }

    /** {@code v} as the double whose shortest decimal is the float's ({@code 0.1f} → 0.1). */
    static double round(double v) {
        float f = (float) v;
        return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f;
    }
}
