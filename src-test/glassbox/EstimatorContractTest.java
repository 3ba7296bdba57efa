package glassbox;

import glassbox.cluster.Dbscan;
import glassbox.cluster.KMeans;
import glassbox.cluster.MiniBatchKMeans;
import glassbox.decomposition.Pca;
import glassbox.manifold.Tsne;
import glassbox.neighbors.NearestNeighbors;
import glassbox.preprocessing.StandardScaler;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract, run on every unsupervised estimator, as scikit-learn's {@code check_estimator} does: NaN,
 * infinite, empty or non-2-D input is an error naming what is wrong; a size parameter beyond the data (k > n,
 * perplexity ≥ n, …) or out of range (eps ≤ 0) is an error naming the parameter and its value; the input
 * is left untouched; the same seed gives bit-identical results, whatever the number of threads.
 */
class EstimatorContractTest {

    /**
     * An estimator under contract: {@code fit(x, seed)} returns its result flattened to arrays (compared
     * bit for bit), and {@code tooLarge(x)} fits with a size parameter beyond what {@code x} allows, whose
     * name must appear in the error.
     */
    record Estimator(String name, BiFunction<Tensor, Long, List<Object>> fit, java.util.function.Consumer<Tensor> tooLarge,
                     String tooLargeParameter) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Estimator> estimators() {
        return Stream.of(
                new Estimator("KMeans", (x, s) -> {
                    KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(3).withSeed(s));
                    return List.of(r.clusterCenters().data(), r.labels(), new double[]{r.inertia()});
                }, x -> KMeans.fit(x, KMeans.Options.defaults(x.dim(0) + 1)), "nClusters"),
                new Estimator("MiniBatchKMeans", (x, s) -> {
                    MiniBatchKMeans.Result r = MiniBatchKMeans.fit(x, MiniBatchKMeans.Options.defaults(3)
                            .withBatchSize(8).withSeed(s));
                    return List.of(r.clusterCenters().data(), r.labels(), new double[]{r.inertia()});
                }, x -> MiniBatchKMeans.fit(x, MiniBatchKMeans.Options.defaults(x.dim(0) + 1)), "nClusters"),
                new Estimator("NearestNeighbors", (x, s) -> {
                    NearestNeighbors.Result r = NearestNeighbors.kneighbors(x, x, 4);
                    return List.of(r.indices(), r.distances());
                }, x -> NearestNeighbors.kneighbors(x, x, x.dim(0) + 1), "k"),
                new Estimator("Dbscan", (x, s) -> List.of(Dbscan.fit(x, Dbscan.Options.defaults().withEps(1.5)
                        .withMinSamples(3)).labels()),
                        x -> Dbscan.fit(x, Dbscan.Options.defaults().withEps(0)), "eps"),
                new Estimator("Pca full", (x, s) -> {
                    Pca.Result r = Pca.fit(x, Pca.Options.defaults(2).withSvdSolver(Pca.Solver.FULL).withSeed(s));
                    return List.of(r.components().data(), r.explainedVariance(), r.mean());
                }, x -> Pca.fit(x, Pca.Options.defaults(x.dim(1) + 1).withSvdSolver(Pca.Solver.FULL)), "nComponents"),
                new Estimator("Pca randomized", (x, s) -> {
                    Pca.Result r = Pca.fit(x, Pca.Options.defaults(2).withSvdSolver(Pca.Solver.RANDOMIZED).withSeed(s));
                    return List.of(r.components().data(), r.explainedVariance(), r.mean());
                }, x -> Pca.fit(x, Pca.Options.defaults(x.dim(1) + 1).withSvdSolver(Pca.Solver.RANDOMIZED)),
                        "nComponents"),
                new Estimator("StandardScaler", (x, s) -> {
                    StandardScaler.Result r = StandardScaler.fit(x);
                    return List.of(r.mean(), r.scale(), r.transform(x).data());
                }, null, null),
                new Estimator("Tsne exact", (x, s) -> {
                    Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withPerplexity(5).withMaxIter(250)
                            .withMethod(Tsne.Method.EXACT).withSeed(s));
                    return List.of(r.embedding().data(), new double[]{r.klDivergence()});
                }, x -> Tsne.fit(x, Tsne.Options.defaults().withPerplexity(x.dim(0))), "perplexity"),
                new Estimator("Tsne Barnes-Hut", (x, s) -> {
                    Tsne.Result r = Tsne.fit(x, Tsne.Options.defaults().withPerplexity(5).withMaxIter(250)
                            .withSeed(s));
                    return List.of(r.embedding().data(), new double[]{r.klDivergence()});
                }, x -> Tsne.fit(x, Tsne.Options.defaults().withPerplexity(x.dim(0) + 5)), "perplexity"));
    }

    /** 40 points in 5 dimensions around three centres: small, but with structure for every estimator. */
    private static Tensor data() {
        Rng rng = new Rng(11);
        float[] v = new float[40 * 5];
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 5; j++) {
                v[i * 5 + j] = (float) ((i % 3) * 4 * (j == i % 3 ? 1 : 0) + rng.nextGaussian());
            }
        }
        return new Tensor(v, 40, 5);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void nanInfiniteEmptyAndNon2dInputAreErrorsThatSayWhatIsWrong(Estimator e) {
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Tensor x = data();
            x.data()[7] = bad;
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> e.fit.apply(x, 0L));
            assertTrue(error.getMessage().contains(String.valueOf(bad)) && error.getMessage().contains("row 1"),
                    e + ": " + error.getMessage());
        }
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> e.fit.apply(Tensor.zeros(0, 5), 0L));
        assertTrue(empty.getMessage().contains("(0, 5)"), e + ": " + empty.getMessage());
        IllegalArgumentException rank = assertThrows(IllegalArgumentException.class,
                () -> e.fit.apply(Tensor.zeros(4, 5, 2), 0L));
        assertTrue(rank.getMessage().contains("2-D"), e + ": " + rank.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void aSizeParameterBeyondTheDataIsAnErrorNamingIt(Estimator e) {
        if (e.tooLarge == null) {
            return; // StandardScaler has no size parameter
        }
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> e.tooLarge.accept(data()));
        assertTrue(error.getMessage().contains(e.tooLargeParameter), e + ": " + error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void inputIsLeftUntouched(Estimator e) {
        Tensor x = data();
        float[] before = x.data().clone();
        e.fit.apply(x, 0L);
        assertArrayEquals(before, x.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("estimators")
    void theSameSeedGivesBitIdenticalResultsWhateverTheThreadCount(Estimator e) throws Exception {
        List<Object> first = e.fit.apply(data(), 5L);
        List<Object> again = e.fit.apply(data(), 5L);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            List<Object> oneThread = one.submit(() -> e.fit.apply(data(), 5L)).get();
            assertEquals(first.size(), again.size());
            for (int i = 0; i < first.size(); i++) {
                assertTrue(java.util.Objects.deepEquals(first.get(i), again.get(i)), e + ": rerun differs in part " + i);
                assertTrue(java.util.Objects.deepEquals(first.get(i), oneThread.get(i)),
                        e + ": one thread differs in part " + i);
            }
        } finally {
            one.shutdown();
        }
    }
}
