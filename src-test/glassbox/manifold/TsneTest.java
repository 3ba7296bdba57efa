package glassbox.manifold;

import glassbox.metrics.Trustworthiness;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.concurrent.ForkJoinPool;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TsneTest {

    /** {@code blobs} Gaussian blobs of {@code perBlob} points in {@code d} dimensions, centres 10σ apart or more. */
    private static Tensor blobs(long seed, int blobs, int perBlob, int d, int[] labels) {
        Rng rng = new Rng(seed);
        float[] x = new float[blobs * perBlob * d];
        for (int b = 0; b < blobs; b++) {
            double[] centre = new double[d];
            centre[b % d] = 20 * (1 + b / d);
            for (int p = 0; p < perBlob; p++) {
                int i = b * perBlob + p;
                labels[i] = b;
                for (int c = 0; c < d; c++) {
                    x[i * d + c] = (float) (centre[c] + rng.nextGaussian());
                }
            }
        }
        return new Tensor(x, blobs * perBlob, d);
    }

    /** Leave-one-out 1-NN accuracy of {@code labels} in the embedding, by brute force. */
    private static double oneNnAccuracy(Tensor e, int[] labels) {
        int n = e.dim(0);
        int d = e.dim(1);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            int arg = -1;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = e.data()[i * d + c] - e.data()[j * d + c];
                    s += diff * diff;
                }
                if (j != i && s < best) {
                    best = s;
                    arg = j;
                }
            }
            hits += labels[arg] == labels[i] ? 1 : 0;
        }
        return hits / (double) n;
    }

    @Test
    void separatesGaussianBlobsWithBothMethods() {
        int[] labels = new int[200];
        Tensor x = blobs(1, 5, 40, 10, labels);
        float[] before = x.data().clone();
        for (Tsne.Method method : Tsne.Method.values()) {
            Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withMethod(method).withMaxIter(500));
            assertArrayEquals(before, x.data(), "input left unmodified");
            assertArrayEquals(new int[]{200, 2}, r.embedding().shape());
            assertEquals(1.0, oneNnAccuracy(r.embedding(), labels), method + ": 1-NN accuracy");
            double t = Trustworthiness.score(x, r.embedding(), 5);
            assertTrue(t > 0.9, method + ": trustworthiness " + t);
            assertTrue(r.klDivergence() > 0 && r.klDivergence() < 2, method + ": KL " + r.klDivergence());
            assertEquals(500, r.nIter());
            assertEquals(10, r.klHistory().length, "a KL value every 50 iterations");
            assertEquals(r.klDivergence(), r.klHistory()[9], "the last check is the last iteration");
            assertTrue(r.klHistory()[4] > r.klHistory()[5], "exaggerated KL (to 250) exceeds the plain one");
        }
        // 1-D and 3-D embeddings (α = 1 and α = 2) separate them too
        for (int dims : new int[]{1, 3}) {
            Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withNComponents(dims).withMaxIter(500));
            assertTrue(oneNnAccuracy(r.embedding(), labels) > 0.97, dims + "-D");
        }
    }

    @Test
    void sameSeedGivesBitIdenticalEmbeddingsWhateverTheThreadCount() throws Exception {
        int[] labels = new int[600];
        Tensor x = blobs(2, 6, 100, 8, labels);
        for (Tsne.Init init : Tsne.Init.values()) {
            Tsne.Options options = Tsne.Options.defaults().withInit(init).withMaxIter(300).withSeed(11);
            Tsne.Result one = new ForkJoinPool(1).submit(() -> Tsne.fit(x, options)).get();
            Tsne.Result two = new ForkJoinPool(2).submit(() -> Tsne.fit(x, options)).get();
            Tsne.Result again = Tsne.fit(x, options);
            assertArrayEquals(one.embedding().data(), two.embedding().data(), init + ": 1 vs 2 threads");
            assertArrayEquals(one.embedding().data(), again.embedding().data(), init + ": rerun");
            assertEquals(one.klDivergence(), two.klDivergence());
            assertArrayEquals(one.klHistory(), two.klHistory());
        }
        float[] seed11 = Tsne.fit(x, Tsne.Options.defaults().withInit(Tsne.Init.RANDOM).withMaxIter(250).withSeed(11)).embedding().data();
        float[] seed12 = Tsne.fit(x, Tsne.Options.defaults().withInit(Tsne.Init.RANDOM).withMaxIter(250).withSeed(12)).embedding().data();
        assertFalse(java.util.Arrays.equals(seed11, seed12), "the seed drives the random initialisation");
    }

    @Test
    void pcaInitialisationIsTheLeadingComponentScaledToStandardDeviation1eMinus4() {
        int n = 300;
        Rng rng = new Rng(3);
        double[] u = {0.6, 0.8, 0, 0};                      // the leading direction
        double[] w = {0, 0, 1, 0};                          // the second
        float[] x = new float[n * 4];
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 10 * rng.nextGaussian();
            double b = 3 * rng.nextGaussian();
            for (int c = 0; c < 4; c++) {
                x[i * 4 + c] = (float) (5 + a[i] * u[c] + b * w[c] + 0.1 * rng.nextGaussian());
            }
        }
        double[] y = Tsne.initialEmbedding(new Tensor(x, n, 4), Tsne.Options.defaults());
        double mean = 0;
        double sq = 0;
        int argMax = 0;
        for (int i = 0; i < n; i++) {
            mean += y[2 * i] / n;
            argMax = Math.abs(y[2 * i]) > Math.abs(y[2 * argMax]) ? i : argMax;
        }
        double cov = 0;
        double aa = 0;
        for (int i = 0; i < n; i++) {
            sq += (y[2 * i] - mean) * (y[2 * i] - mean);
            cov += (y[2 * i] - mean) * a[i];
            aa += a[i] * a[i];
        }
        assertEquals(1e-4, Math.sqrt(sq / n), 1e-12, "population standard deviation of the first column");
        assertTrue(Math.abs(cov) / Math.sqrt(sq * aa) > 0.999, "first column follows the leading direction");
        assertTrue(y[2 * argMax] > 0, "svd_flip: the largest-magnitude score is positive");
    }

    @Test
    void stopsWhenTheGradientIsSmallAsScikitLearnDoes() {
        int[] labels = new int[100];
        Tensor x = blobs(4, 2, 50, 5, labels);
        // Each phase stops at its first check: phase 1 after iteration 50, phase 2 (from 51) after 100.
        Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withMinGradNorm(1e9));
        assertEquals(100, r.nIter());
        assertEquals(2, r.klHistory().length);
    }

    @Test
    void tinyAndDegenerateInputsGiveFiniteEmbeddings() {
        Tensor three = new Tensor(new float[]{0, 0, 1, 0, 0, 2}, 3, 2);
        Tensor constant = new Tensor(new float[60], 20, 3);           // every point the same
        for (Tsne.Method method : Tsne.Method.values()) {
            for (Tensor x : new Tensor[]{three, constant}) {
                Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withMethod(method).withPerplexity(1).withMaxIter(250));
                for (float v : r.embedding().data()) {
                    assertTrue(Float.isFinite(v), method + ", " + x.dim(0) + " points: " + v);
                }
                assertTrue(Double.isFinite(r.klDivergence()), method + ": KL " + r.klDivergence());
            }
        }
    }

    @Test
    void badArgumentsAreNamedWithTheirValueAndWhatWasExpected() {
        int[] labels = new int[40];
        Tensor x = blobs(5, 2, 20, 3, labels);
        Tsne.Options ok = Tsne.Options.defaults().withPerplexity(5);
        assertBad(x, o -> ok.withPerplexity(40), "perplexity is 40.0", "n_samples");
        assertBad(x, o -> ok.withPerplexity(0), "perplexity is 0.0", "> 0");
        assertBad(x, o -> ok.withPerplexity(Double.NaN), "perplexity is NaN", "> 0");
        assertBad(x, o -> ok.withAngle(1.5), "angle is 1.5", "[0, 1]");
        assertBad(x, o -> ok.withAngle(-0.1), "angle is -0.1", "[0, 1]");
        assertBad(x, o -> ok.withNComponents(0), "nComponents is 0", "≥ 1");
        assertBad(x, o -> ok.withNComponents(4), "nComponents is 4", "≤ 3");
        assertBad(x, o -> ok.withMaxIter(249), "maxIter is 249", "≥ 250");
        assertBad(x, o -> ok.withEarlyExaggeration(0.5), "earlyExaggeration is 0.5", "≥ 1");
        assertBad(x, o -> ok.withLearningRate(-1), "learningRate is -1.0", "> 0");
        assertBad(x, o -> ok.withMinGradNorm(-1), "minGradNorm is -1.0", "≥ 0");
        assertBad(x, o -> ok.withMethod(Tsne.Method.EXACT).withNComponents(4), "nComponents is 4", "min(n_samples, n_features)");
        assertBad(x, o -> ok.withMethod(null), "method is null", "BARNES_HUT");
        float[] v = x.data().clone();
        v[7] = Float.NaN;
        assertBadInput(new Tensor(v, 40, 3), ok, "contains NaN");
        v[7] = Float.NEGATIVE_INFINITY;
        assertBadInput(new Tensor(v, 40, 3), ok, "contains -Infinity");
        assertBadInput(Tensor.zeros(0, 3), ok, "(0, 3)");
        assertBadInput(Tensor.zeros(1, 3), ok.withPerplexity(0.5), "1 sample");
        assertBadInput(Tensor.zeros(4, 3, 1), ok, "2-D");
        // EXACT with more than 3 components and RANDOM init is fine
        Tsne.Result r = Tsne.fit(x, ok.withMethod(Tsne.Method.EXACT).withNComponents(4).withInit(Tsne.Init.RANDOM).withMaxIter(250));
        assertArrayEquals(new int[]{40, 4}, r.embedding().shape());
    }

    private static void assertBad(Tensor x, UnaryOperator<Tsne.Options> options, String named, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tsne.fit(x, options.apply(null)));
        assertTrue(e.getMessage().contains(named) && e.getMessage().contains(expected), e.getMessage());
    }

    private static void assertBadInput(Tensor x, Tsne.Options options, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tsne.fit(x, options));
        assertTrue(e.getMessage().contains("x") && e.getMessage().contains(text), e.getMessage());
    }
}
