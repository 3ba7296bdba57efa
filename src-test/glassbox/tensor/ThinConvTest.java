package glassbox.tensor;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The direct loops for one input channel and one filter against {@link ReferenceConv2D} (double precision):
 * the convolution, the kernel gradient and — as the convolution of {@code dy} with the flipped kernel, the
 * way {@link ConvPlan} computes it — the input gradient; odd sizes, strides 1 and 2, both paddings, one
 * chunk of samples starting past the first. Then the Vector API twin against the scalar loops, bit for bit.
 */
class ThinConvTest {

    /** {inH, inW, C, kh, kw, stride, padding (0 valid, 1 same), F, batch}: one input channel or one filter. */
    private static final int[][] CASES = {
        {7, 6, 1, 3, 3, 1, 1, 5, 3},
        {7, 9, 1, 3, 3, 2, 1, 33, 3},   // more filters than two vectors, and a tail
        {9, 8, 1, 3, 2, 2, 0, 16, 2},
        {28, 28, 1, 3, 3, 1, 1, 32, 2}, // the seed models' first convolution
        {11, 5, 1, 3, 3, 1, 0, 1, 3},   // one channel and one filter
        {6, 5, 4, 3, 3, 1, 1, 1, 3},
        {28, 28, 16, 3, 3, 1, 1, 1, 2}, // the autoencoder's last convolution
        {9, 7, 3, 2, 3, 1, 0, 1, 3},
        {20, 19, 33, 3, 3, 1, 0, 1, 2}, // rows longer than a vector, channels past two vectors
        {8, 7, 17, 3, 3, 2, 1, 1, 2},   // stride 2: the kernel gradient only (the convolution needs stride 1)
        {17, 18, 3, 3, 3, 1, 1, 1, 2},  // an odd number of output rows, each longer than a vector
        {19, 17, 1, 3, 3, 1, 1, 20, 2}, // the same for the input gradient, a one-filter convolution of dy
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int[] c : CASES) {
            out.add(Arguments.of(Arrays.toString(c), c));
        }
        return out.stream();
    }

    private static Window2D window(int[] k) {
        return Window2D.of(k[0], k[1], k[2], k[3], k[4], k[5], k[5], k[6] == 1 ? Padding.SAME : Padding.VALID);
    }

    private static float[] random(long seed, int n) {
        Rng rng = new Rng(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.uniform(-1, 1);
        }
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1e-12;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        }
        assertTrue(diff / scale < 1e-5, what + ": max |difference| " + diff + " at scale " + scale);
    }

    /** The input gradient's window: the convolution of dy (stride 1) with "padding" kh − 1 − padTop. */
    private static Window2D transposed(Window2D g, int filters) {
        return new Window2D(g.outH(), g.outW(), filters, g.kh(), g.kw(), 1, 1, g.inH(), g.inW(),
                g.kh() - 1 - g.padTop(), g.kw() - 1 - g.padLeft());
    }

    /** {@code W̃[i', j', f, c] = K[kh−1−i', kw−1−j', c, f]}, written out here independently of the plan. */
    private static float[] flipped(float[] k, Window2D g, int filters) {
        int c = g.channels();
        float[] out = new float[k.length];
        for (int i = 0; i < g.kh(); i++) {
            for (int j = 0; j < g.kw(); j++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int f = 0; f < filters; f++) {
                        out[(((g.kh() - 1 - i) * g.kw() + (g.kw() - 1 - j)) * filters + f) * c + ch] =
                                k[((i * g.kw() + j) * c + ch) * filters + f];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Runs every loop that applies to {@code k} on samples 1… of a batch, and returns the convolution, the
     * kernel gradient (accumulated onto a non-zero start) and the input gradient end to end, after checking
     * each against the reference when {@code check}.
     */
    private static float[] runAll(ThinConv loops, int[] k, boolean check) {
        Window2D g = window(k);
        int f = k[7];
        int batch = k[8];
        int first = 1;
        int n = batch - 1;
        int c = g.channels();
        float[] x = random(1, batch * g.inputSize());
        float[] w = random(2, g.patchLength() * f);
        float[] dy = random(3, n * g.positions() * f); // the chunk's rows, from index 0
        boolean strideOne = g.sh() == 1;
        Window2D t = strideOne ? transposed(g, f) : null;
        float[] scratch = new float[Math.max(ThinConv.scratchLength(g), t == null ? 0 : ThinConv.scratchLength(t))];
        float[] xChunk = Arrays.copyOfRange(x, first * g.inputSize(), batch * g.inputSize());

        float[] z = new float[n * g.positions() * f];
        if (c == 1) {
            loops.convolveOneChannel(x, first, n, g, w, f, z, scratch);
        } else if (strideOne) {
            loops.convolveOneFilter(x, first, n, g, w, z, scratch);
        }
        if (check && (c == 1 || strideOne)) {
            assertClose(ReferenceConv2D.forward(xChunk, n, g, w, null, f), z, "convolution");
        }

        float[] start = random(4, g.patchLength() * f);
        float[] dk = start.clone();
        if (c == 1) {
            loops.filterGradientOneChannel(x, first, n, g, dy, f, dk, scratch);
        } else {
            loops.filterGradientOneFilter(x, first, n, g, dy, dk, scratch);
        }
        if (check) {
            double[] expected = ReferenceConv2D.backwardFilter(xChunk, dy, n, g, f);
            for (int i = 0; i < expected.length; i++) {
                expected[i] += start[i];
            }
            assertClose(expected, dk, "kernel gradient");
        }

        float[] dx = new float[n * g.inputSize()];
        if (strideOne) {
            float[] wt = flipped(w, g, f);
            if (f == 1) {
                loops.convolveOneChannel(dy, 0, n, t, wt, c, dx, scratch);
            } else {
                loops.convolveOneFilter(dy, 0, n, t, wt, dx, scratch);
            }
            if (check) {
                assertClose(ReferenceConv2D.backwardData(dy, n, g, w, f), dx, "input gradient");
            }
        }
        float[] all = Arrays.copyOf(z, z.length + dk.length + dx.length);
        System.arraycopy(dk, 0, all, z.length, dk.length);
        System.arraycopy(dx, 0, all, z.length + dk.length, dx.length);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scalarLoopsMatchTheDirectDefinition(String name, int[] k) {
        runAll(ThinConv.scalar(), k, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorLoopsGiveTheScalarLoopsBits(String name, int[] k) {
        ThinConv vector = ThinConv.vectorOrNull();
        assertNotNull(vector, "surefire starts the test JVM with --add-modules jdk.incubator.vector");
        assertTrue(vector.description().startsWith("Vector API"), vector.description());
        assertArrayEquals(runAll(ThinConv.scalar(), k, false), runAll(vector, k, true));
    }

    @Test
    void scratchHoldsOnePaddedSample() {
        // 28×28 "same" with a 3×3 kernel reads rows and columns −1 … 28: 30×30 per channel
        assertEquals(30 * 30 * 16, ThinConv.scratchLength(Window2D.of(28, 28, 16, 3, 3, 1, 1, Padding.SAME)));
        // "valid" stride 2 on 9 columns reads columns 0 … 8 with a 3-wide kernel: (4 − 1)·2 + 3 = 9
        assertEquals(9 * 9, ThinConv.scratchLength(Window2D.of(9, 9, 1, 3, 3, 2, 2, Padding.VALID)));
    }

    @Test
    void loopsRefuseShapesTheyAreNotFor() {
        ThinConv loops = ThinConv.scalar();
        Window2D twoChannels = Window2D.of(5, 5, 2, 3, 3, 1, 1, Padding.SAME);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loops.convolveOneChannel(
                new float[50], 0, 1, twoChannels, new float[18], 1, new float[25], new float[98]));
        assertTrue(e.getMessage().contains("1 input channel") && e.getMessage().contains("2"), e.getMessage());
        Window2D strideTwo = Window2D.of(5, 5, 2, 3, 3, 2, 2, Padding.SAME);
        e = assertThrows(IllegalArgumentException.class, () -> loops.convolveOneFilter(
                new float[50], 0, 1, strideTwo, new float[18], new float[9], new float[98]));
        assertTrue(e.getMessage().contains("stride 1") && e.getMessage().contains("(2, 2)"), e.getMessage());
    }
}
