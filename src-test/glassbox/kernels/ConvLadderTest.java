package glassbox.kernels;

import glassbox.nn.layers.Activation;
import glassbox.nn.layers.Conv2D;
import glassbox.tensor.Padding;
import glassbox.tensor.ReferenceConv2D;
import glassbox.tensor.Window2D;
import glassbox.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rung of the convolution ladder against {@link ReferenceConv2D}, the double-precision seven loops. */
class ConvLadderTest {

    /** The textbook triple loop, here only so the ladder has a second GEMM rung independent of the BLAS. */
    private static final class LoopGemm implements Gemm {
        @Override
        public String name() {
            return "test loop";
        }

        @Override
        public void multiply(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[p * lda + i] : a[i * lda + p];
                        float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                        sum += (double) av * bv;
                    }
                    c[i * ldc + j] = (float) sum;
                }
            }
        }
    }

    static List<Conv> rungs() {
        return ConvLadder.rungs(List.of(new LoopGemm(), new BlasGemm()));
    }

    /**
     * {inH, inW, C, kh, kw, stride, padding (0 valid, 1 same), F, batch}: stride 1 and 2, both paddings,
     * one and several channels, batch 1 and 3, square and non-square kernels, an odd "same" total.
     */
    private static final int[][] CASES = {
        {6, 5, 1, 3, 3, 1, 1, 4, 1},
        {7, 6, 3, 3, 3, 2, 0, 5, 3},
        {7, 7, 2, 3, 2, 2, 1, 3, 3},
        {5, 6, 4, 3, 3, 1, 0, 2, 1},  // F < C: the engine's input gradient as a convolution of dY
        {8, 6, 1, 2, 3, 2, 0, 6, 1},
        {6, 7, 3, 3, 3, 1, 1, 5, 3},
    };

    private static Window2D window(int[] k) {
        return Window2D.of(k[0], k[1], k[2], k[3], k[4], k[5], k[5], k[6] == 1 ? Padding.SAME : Padding.VALID);
    }

    private static float[] random(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.uniform(-1, 1);
        }
        return a;
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 2e-5 * scale) {
                throw new AssertionError(what + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rungs")
    void forwardMatchesTheDefinition(Conv rung) {
        Rng rng = new Rng(11);
        for (int[] k : CASES) {
            Window2D g = window(k);
            int f = k[7];
            int batch = k[8];
            float[] x = random(rng, batch * g.inputSize());
            float[] kernel = random(rng, g.patchLength() * f);
            assertClose(ReferenceConv2D.forward(x, batch, g, kernel, null, f), rung.forward(x, batch, g, kernel, f),
                    rung.name() + " forward " + g);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rungs")
    void backwardFilterMatchesTheDefinition(Conv rung) {
        Rng rng = new Rng(12);
        for (int[] k : CASES) {
            Window2D g = window(k);
            int f = k[7];
            int batch = k[8];
            float[] x = random(rng, batch * g.inputSize());
            float[] dy = random(rng, batch * g.positions() * f);
            double[] expected = ReferenceConv2D.backwardFilter(x, dy, batch, g, f);
            assertClose(expected, rung.backwardFilter(x, dy, batch, g, f), rung.name() + " filter " + g);
            // again, now that any cached forward state is this input's: still overwritten, not accumulated
            assertClose(expected, rung.backwardFilter(x, dy, batch, g, f), rung.name() + " filter, twice " + g);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rungs")
    void backwardDataMatchesTheDefinition(Conv rung) {
        Rng rng = new Rng(13);
        for (int[] k : CASES) {
            Window2D g = window(k);
            int f = k[7];
            int batch = k[8];
            float[] dy = random(rng, batch * g.positions() * f);
            float[] kernel = random(rng, g.patchLength() * f);
            assertClose(ReferenceConv2D.backwardData(dy, batch, g, kernel, f),
                    rung.backwardData(dy, batch, g, kernel, f), rung.name() + " data " + g);
        }
    }

    /** Passes interleaved on one rung, with new inputs and kernels: nothing stale survives from a call. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rungs")
    void interleavedPassesUseTheirOwnArguments(Conv rung) {
        Rng rng = new Rng(14);
        Window2D g = window(CASES[1]);
        int f = 5;
        int batch = 3;
        for (int round = 0; round < 2; round++) {
            float[] x = random(rng, batch * g.inputSize());
            float[] x2 = random(rng, 2 * g.inputSize());
            float[] kernel = random(rng, g.patchLength() * f);
            float[] dy = random(rng, batch * g.positions() * f);
            assertClose(ReferenceConv2D.forward(x, batch, g, kernel, null, f), rung.forward(x, batch, g, kernel, f),
                    "forward");
            assertClose(ReferenceConv2D.backwardData(dy, batch, g, kernel, f),
                    rung.backwardData(dy, batch, g, kernel, f), "data");
            float[] dy2 = java.util.Arrays.copyOf(dy, 2 * g.positions() * f);
            assertClose(ReferenceConv2D.backwardFilter(x2, dy2, 2, g, f), rung.backwardFilter(x2, dy2, 2, g, f),
                    "filter on another input");
            assertClose(ReferenceConv2D.backwardFilter(x, dy, batch, g, f), rung.backwardFilter(x, dy, batch, g, f),
                    "filter on the first input");
        }
    }

    @Test
    void theCasesIncludeBothOfTheEnginesInputGradientRoutes() {
        boolean byConvolution = false;
        boolean byCol2im = false;
        for (int[] k : CASES) {
            Window2D g = window(k);
            Conv2D conv = new Conv2D(k[7], k[3], k[4], k[5], k[5], k[6] == 1 ? Padding.SAME : Padding.VALID,
                    Activation.LINEAR, false, null);
            conv.build(new int[]{g.inH(), g.inW(), g.channels()}, new Rng(0));
            byConvolution |= conv.plan().inputGradientByConvolution();
            byCol2im |= !conv.plan().inputGradientByConvolution();
        }
        assertTrue(byConvolution && byCol2im);
    }

    @Test
    void theLadderIsDirectThenOneIm2colPerGemmThenTheEngine() {
        List<Conv> rungs = rungs();
        assertEquals(List.of("direct loops", "im2col + test loop", "im2col + BLAS facade", "engine (Conv2D)"),
                rungs.stream().map(Conv::name).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rungs")
    void wrongLengthsAreRejectedWithTheExpectedSize(Conv rung) {
        Window2D g = Window2D.of(5, 5, 2, 3, 3, 1, 1, Padding.SAME);
        int f = 3;
        float[] x = new float[2 * g.inputSize()];
        float[] kernel = new float[g.patchLength() * f];
        float[] dy = new float[2 * g.positions() * f];
        String m = assertThrows(IllegalArgumentException.class,
                () -> rung.forward(new float[7], 2, g, kernel, f)).getMessage();
        assertTrue(m.contains("x has 7 floats but needs 100"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.forward(x, 2, g, new float[5], f)).getMessage();
        assertTrue(m.contains("kernel has 5 floats but needs 54"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.backwardFilter(x, new float[3], 2, g, f)).getMessage();
        assertTrue(m.contains("dy has 3 floats but needs 150"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.backwardData(dy, 2, g, kernel, 4)).getMessage();
        assertTrue(m.contains("dy has 150 floats but needs 200"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.backwardData(dy, 0, g, kernel, f)).getMessage();
        assertTrue(m.contains("batch and filters must be positive, got batch 0"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.forward(x, 2, null, kernel, f)).getMessage();
        assertTrue(m.contains("geometry is null"), m);
        Window2D tooSmall = Window2D.of(2, 2, 2, 3, 3, 1, 1, Padding.VALID);
        m = assertThrows(IllegalArgumentException.class,
                () -> rung.forward(new float[8], 1, tooSmall, kernel, f)).getMessage();
        assertTrue(m.contains("does not fit the 2×2 input"), m);
    }

    @Test
    void theEngineRungRefusesAWindowConv2DCannotTake() {
        // padding 2 on top and left is neither "valid" (0) nor "same" (1 for a 3×3 window at stride 1)
        Window2D odd = new Window2D(5, 5, 1, 3, 3, 1, 1, 5, 5, 2, 2);
        float[] x = new float[25];
        String m = assertThrows(IllegalArgumentException.class,
                () -> new EngineConv().forward(x, 1, odd, new float[9], 1)).getMessage();
        assertTrue(m.contains("neither Keras's \"valid\" nor \"same\""), m);
    }

    @Test
    void im2colNeedsAGemm() {
        assertThrows(IllegalArgumentException.class, () -> new Im2colConv(null));
    }
}
