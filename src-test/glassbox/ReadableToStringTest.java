package glassbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.cluster.Dbscan;
import glassbox.cluster.KMeans;
import glassbox.cluster.MiniBatchKMeans;
import glassbox.data.Dataset;
import glassbox.decomposition.Pca;
import glassbox.manifold.Tsne;
import glassbox.neighbors.NearestNeighbors;
import glassbox.nn.Sequential;
import glassbox.nn.layers.Conv2D;
import glassbox.nn.layers.Dense;
import glassbox.nn.layers.Flatten;
import glassbox.nn.layers.MaxPooling2D;
import glassbox.nn.loss.SparseCategoricalCrossentropy;
import glassbox.nn.optim.Adam;
import glassbox.preprocessing.StandardScaler;
import glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * What the shell prints for the objects a user holds: one readable line with the shape or counts and the first
 * values, never a record's default {@code [I@1b6d3586} or {@code glassbox.nn.Sequential@…}.
 */
class ReadableToStringTest {
    /** 12 points in two well-separated groups of 6, 3 features: row i is (i % 6)·(1, 2, 3), plus 100 in the second group. */
    private static Tensor twoGroups() {
        float[] d = new float[12 * 3];
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < 3; j++) {
                d[i * 3 + j] = (i % 6) * (j + 1) + (i < 6 ? 0 : 100);
            }
        }
        return new Tensor(d, 12, 3);
    }

    private static void assertReadable(String text, String... parts) {
        assertFalse(text.contains("@"), text);
        assertFalse(text.contains("\n"), text);
        for (String part : parts) {
            assertTrue(text.contains(part), "'" + part + "' missing from " + text);
        }
    }

    @Test
    void aTensorShowsShapeDtypeAndFirstValues() {
        Tensor t = new Tensor(new float[] {0f, 0.5f, 0.25f, 1f, 2f, 3f}, 2, 3, 1);
        assertEquals("Tensor(shape=(2, 3, 1), float32, [0.0, 0.5, 0.25, …])", t.toString());
        assertEquals("Tensor(shape=(2,), float32, [1.0, 2.0])", new Tensor(new float[] {1, 2}, 2).toString());
    }

    @Test
    void aDatasetShowsItsNameShapeAndFirstLabels() {
        Dataset d = new Dataset(new Tensor(new float[4 * 2 * 2], 4, 2, 2), new int[] {5, 0, 4, 1}, 10, "mini");
        assertEquals("Dataset[mini: x (4, 2, 2) float32, y int[4] [5, 0, 4, …], 10 classes]", d.toString());
    }

    @Test
    void aModelIsOneLineOfLayersParamsAndCompilation() {
        Sequential model = new Sequential(1, new Conv2D(4, 3), new MaxPooling2D(), new Flatten(), new Dense(10));
        assertReadable(model.toString(), "Sequential(4 layers: Conv2D 4 → MaxPooling2D → Flatten → Dense 10",
                "not built", "not compiled");
        model.build(8, 8, 1).compile(new SparseCategoricalCrossentropy(), new Adam());
        // Conv2D: 3·3·1·4 + 4 = 40; 8×8 → 6×6 → 3×3×4 = 36 features; Dense: 36·10 + 10 = 370
        assertReadable(model.toString(), "input (8, 8, 1)", "410 params", "compiled: adam, sparse_categorical_crossentropy");
        Sequential deep = new Sequential(1);
        for (int i = 1; i <= 10; i++) {
            deep.add(new Dense(i));
        }
        assertReadable(deep.toString(), "10 layers: Dense 1 → Dense 2 → Dense 3 → Dense 4 → … → Dense 8 → Dense 9 → Dense 10;");
    }

    @Test
    void fittedClusteringsShowTheirCountsAndFirstLabels() {
        KMeans.Result k = KMeans.fit(twoGroups(), KMeans.Options.defaults(2));
        int[] labels = k.labels();
        assertReadable(k.toString(), "KMeans.Result(nClusters=2", "inertia_=", "nIter_=" + k.nIter(),
                "labels_=int[12] [" + labels[0] + ", " + labels[1] + ", " + labels[2] + ", …]",
                "clusterCenters_=Tensor(shape=(2, 3), float32");
        MiniBatchKMeans.Result m = MiniBatchKMeans.fit(twoGroups(), MiniBatchKMeans.Options.defaults(2));
        assertReadable(m.toString(), "MiniBatchKMeans.Result(nClusters=2", "nSteps_=" + m.nSteps(), "labels_=int[12] [");
        Dbscan.Result d = Dbscan.fit(twoGroups(), Dbscan.Options.defaults().withEps(20).withMinSamples(3));
        assertReadable(d.toString(), "Dbscan.Result(nClusters=2, nNoise=0", "labels_=int[12] [0, 0, 0, …]",
                "coreSampleIndices_=int[12] [0, 1, 2, …]");
    }

    @Test
    void fittedTransformsShowTheirAttributesFirstValues() {
        StandardScaler.Result s = StandardScaler.fit(twoGroups());
        // feature j is (i % 6)·(j + 1) + 100·[i ≥ 6]: mean 2.5·(j + 1) + 50
        assertReadable(s.toString(), "StandardScaler.Result(nFeatures=3, nSamplesSeen_=12", "mean_=double[3] [52.5, 55.0, 57.5]");
        Pca.Result p = Pca.fit(twoGroups(), Pca.Options.defaults(2));
        assertReadable(p.toString(), "Pca.Result(nComponents=2, nSamples=12", "explainedVarianceRatio_=double[2] [",
                "components_=Tensor(shape=(2, 3), float32");
        Tsne.Result t = Tsne.fit(twoGroups(), Tsne.Options.defaults().withPerplexity(3).withMaxIter(250));
        assertReadable(t.toString(), "Tsne.Result(klDivergence_=", "nIter_=" + t.nIter(),
                "embedding_=Tensor(shape=(12, 2), float32");
    }

    @Test
    void neighboursShowQueryCountAndTheNearestFirst() {
        NearestNeighbors.Result r = NearestNeighbors.kneighbors(twoGroups(), twoGroups(), 2);
        assertReadable(r.toString(), "NearestNeighbors.Result(nQueries=12, k=2", "indices=int[24] [0, 1, 1, …]",
                "distances=float[24] [0.0, 3.742, 0.0, …]");
    }
}
