package glassbox.cluster;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KMeansTest {

    @Test
    void lloydInertiaNeverIncreases() {
        Tensor x = Blobs.uniform(600, 3, 11); // no structure: many iterations, some relocations
        int n = 600, d = 3, k = 12;
        RowBlocks blocks = RowBlocks.copyOf(x.data(), n, d, null);
        float[] centers = Arrays.copyOf(x.data(), k * d); // the first k rows
        float[] next = new float[k * d];
        int[] labels = new int[n];
        double previous = Double.POSITIVE_INFINITY;
        for (int iteration = 0; iteration < 30; iteration++) {
            double inertia = Blobs.bruteForceInertia(x.data(), n, d, centers, k);
            assertTrue(inertia <= previous * (1 + 1e-9), "iteration " + iteration + ": " + inertia + " > " + previous);
            previous = inertia;
            Lloyd.step(blocks, centers, k, next, labels);
            float[] t = centers;
            centers = next;
            next = t;
        }
    }

    @Test
    void tinySetsReachTheOptimumOfAllPartitions() {
        for (long seed = 1; seed <= 3; seed++) {
            Tensor x = Blobs.uniform(12, 2, seed);
            double optimum = bestPartitionInertia(x.data(), 12, 2, 3);
            KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(3).withSeed(seed));
            assertEquals(optimum, r.inertia(), 1e-6 * optimum, "data seed " + seed);
            assertEquals(Blobs.bruteForceInertia(x.data(), 12, 2, r.clusterCenters().data(), 3), r.inertia(), 1e-9);
        }
    }

    @Test
    void wellSeparatedBlobsAreRecoveredExactly() {
        int blobs = 5, d = 4, per = 40;
        double[] truth = Blobs.spreadCentres(blobs, d, 20, 3);
        Tensor x = Blobs.around(truth, blobs, d, per, 0.5, 4);
        KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(blobs));
        int[] blobOf = new int[blobs * per];
        for (int i = 0; i < blobOf.length; i++) {
            blobOf[i] = i / per;
        }
        assertTrue(Blobs.samePartition(blobOf, r.labels()));
        for (int b = 0; b < blobs; b++) { // each centre is its blob's mean
            int j = r.labels()[b * per];
            for (int f = 0; f < d; f++) {
                double mean = 0;
                for (int i = b * per; i < (b + 1) * per; i++) {
                    mean += x.data()[i * d + f];
                }
                assertEquals(mean / per, r.clusterCenters().data()[j * d + f], 1e-4);
            }
        }
    }

    @Test
    void anEmptyClusterTakesTheRowFarthestFromItsCentre() {
        // 1-D rows 0, 1, 3, 10, 11 and centres 1, 10.5, 100: the third centre gets no row; the row farthest
        // from its centre is 3 (distance² 4 to centre 1), so it moves there and leaves the first cluster.
        float[] x = {0, 1, 3, 10, 11};
        float[] centers = {1, 10.5f, 100};
        float[] next = new float[3];
        int[] labels = new int[5];
        Lloyd.step(RowBlocks.copyOf(x, 5, 1, null), centers, 3, next, labels);
        assertArrayEquals(new int[]{0, 0, 0, 1, 1}, labels);
        assertArrayEquals(new float[]{0.5f, 10.5f, 3f}, next);
    }

    @Test
    void moreClustersThanDistinctRowsGivesZeroInertia() {
        Tensor x = new Tensor(new float[]{1, 2, 1, 2, 5, 5, 1, 2, 9, 0}, 5, 2); // 3 distinct rows
        KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(5));
        // zero up to the rounding of centring the data and shifting the centres back
        assertEquals(0.0, r.inertia(), 1e-9);
        for (int i = 0; i < 5; i++) {
            assertEquals(0.0, Blobs.squared(x.data(), i, r.clusterCenters().data(), r.labels()[i], 2), 1e-9);
        }
        Tensor distinct = Blobs.uniform(7, 3, 5);
        KMeans.Result all = KMeans.fit(distinct, KMeans.Options.defaults(7));
        assertEquals(7, Arrays.stream(all.labels()).distinct().count(), "k = n: every row its own cluster");
        assertEquals(0.0, all.inertia(), 1e-12);
    }

    @Test
    void oneClusterIsTheMeanOfTheData() {
        Tensor x = Blobs.uniform(50, 3, 14);
        float[] centre = KMeans.fit(x, KMeans.Options.defaults(1)).clusterCenters().data();
        for (int f = 0; f < 3; f++) {
            double mean = 0;
            for (int i = 0; i < 50; i++) {
                mean += x.data()[i * 3 + f] / 50.0;
            }
            assertEquals(mean, centre[f], 1e-6);
        }
        assertArrayEquals(new float[]{3, 4}, KMeans.fit(new Tensor(new float[]{3, 4}, 1, 2),
                KMeans.Options.defaults(1)).clusterCenters().data());
    }

    @Test
    void predictOfTheTrainingDataGivesTheLabels() {
        Tensor x = Blobs.uniform(2500, 6, 8); // three row blocks
        KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(9).withNInit(2));
        assertArrayEquals(r.labels(), r.predict(x));
        assertEquals(Blobs.bruteForceInertia(x.data(), 2500, 6, r.clusterCenters().data(), 9), r.inertia(),
                1e-6 * r.inertia());
    }

    @Test
    void resultsAreBitIdenticalWhateverTheThreadCount() throws Exception {
        Tensor x = Blobs.uniform(3000, 8, 9);
        KMeans.Options o = KMeans.Options.defaults(10).withNInit(2).withSeed(42);
        KMeans.Result one = Blobs.inPool(1, () -> KMeans.fit(x, o));
        KMeans.Result two = Blobs.inPool(2, () -> KMeans.fit(x, o));
        KMeans.Result again = KMeans.fit(x, o);
        for (KMeans.Result r : new KMeans.Result[]{two, again}) {
            assertArrayEquals(one.clusterCenters().data(), r.clusterCenters().data());
            assertArrayEquals(one.labels(), r.labels());
            assertEquals(Double.doubleToLongBits(one.inertia()), Double.doubleToLongBits(r.inertia()));
            assertEquals(one.nIter(), r.nIter());
        }
    }

    @Test
    void toleranceIsRelativeToTheDataScale() {
        // Scaling by a power of two scales every float operation exactly, so a relative tolerance must stop
        // both runs at the same iteration with the same labels.
        Tensor x = Blobs.uniform(400, 3, 12);
        float[] scaled = x.data().clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 64;
        }
        KMeans.Options o = KMeans.Options.defaults(6).withNInit(1).withTol(1e-2);
        KMeans.Result r = KMeans.fit(x, o);
        KMeans.Result s = KMeans.fit(new Tensor(scaled, 400, 3), o);
        assertArrayEquals(r.labels(), s.labels());
        assertEquals(r.nIter(), s.nIter());
        assertTrue(r.nIter() < KMeans.fit(x, o.withTol(0)).nIter(), "tol 1e-2 stops earlier than tol 0");
        double[] mean = new double[3];
        double variance = 0;
        for (int f = 0; f < 3; f++) {
            double m = 0;
            double sq = 0;
            for (int i = 0; i < 400; i++) {
                m += x.data()[i * 3 + f];
                sq += (double) x.data()[i * 3 + f] * x.data()[i * 3 + f];
            }
            m /= 400;
            variance += (sq / 400 - m * m) / 3;
        }
        assertEquals(variance, KMeans.meanVariance(x.data(), 400, 3, mean), 1e-12);
    }

    @Test
    void kMeansPlusPlusSeedsEveryIsolatedGroup() {
        // Ten rows at the origin and one far away: whichever is drawn first, the second seed is drawn in
        // proportion to D², all of which sits on the other group.
        float[] x = new float[22];
        x[20] = 100;
        x[21] = 100;
        RowBlocks blocks = RowBlocks.copyOf(x, 11, 2, null);
        for (long seed = 0; seed < 20; seed++) {
            int[] seeds = KMeansPlusPlus.seeds(blocks, 2, new Rng(seed));
            assertTrue((seeds[0] == 10) != (seeds[1] == 10), "seed " + seed + ": " + Arrays.toString(seeds));
        }
        double[] cumulative = {0, 1, 1, 3, 6};
        assertEquals(0, KMeansPlusPlus.searchLeft(cumulative, 0));
        assertEquals(1, KMeansPlusPlus.searchLeft(cumulative, 0.5));
        assertEquals(1, KMeansPlusPlus.searchLeft(cumulative, 1));
        assertEquals(3, KMeansPlusPlus.searchLeft(cumulative, 1.5));
        assertEquals(5, KMeansPlusPlus.searchLeft(cumulative, 7));
    }

    @Test
    void theInputIsLeftUnmodified() {
        Tensor x = Blobs.uniform(300, 4, 13);
        float[] before = x.data().clone();
        KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(4).withNInit(1));
        r.predict(x);
        assertArrayEquals(before, x.data());
    }

    @Test
    void badArgumentsAreNamed() {
        expect("nClusters", () -> KMeans.Options.defaults(0));
        expect("nInit", () -> KMeans.Options.defaults(2).withNInit(0));
        expect("maxIter", () -> KMeans.Options.defaults(2).withMaxIter(0));
        expect("tol", () -> KMeans.Options.defaults(2).withTol(-1e-3));
        expect("tol", () -> KMeans.Options.defaults(2).withTol(Double.NaN));
        Tensor x = Blobs.uniform(5, 2, 1);
        expect("nClusters is 6", () -> KMeans.fit(x, KMeans.Options.defaults(6)));
        Tensor nan = x.copy();
        nan.data()[3] = Float.NaN;
        expect("NaN", () -> KMeans.fit(nan, KMeans.Options.defaults(2)));
        Tensor inf = x.copy();
        inf.data()[0] = Float.POSITIVE_INFINITY;
        expect("Infinity", () -> KMeans.fit(inf, KMeans.Options.defaults(2)));
        expect("(0, 2)", () -> KMeans.fit(Tensor.zeros(0, 2), KMeans.Options.defaults(1)));
        KMeans.Result r = KMeans.fit(x, KMeans.Options.defaults(2));
        expect("3 features", () -> r.predict(Tensor.zeros(4, 3)));
    }

    /** The exact minimum of the inertia over every assignment of the rows to at most {@code k} clusters. */
    private static double bestPartitionInertia(float[] x, int n, int d, int k) {
        int[] labels = new int[n];
        double best = Double.POSITIVE_INFINITY;
        int total = (int) Math.pow(k, n);
        for (int code = 0; code < total; code++) {
            for (int i = 0, c = code; i < n; i++, c /= k) {
                labels[i] = c % k;
            }
            double[] sum = new double[k * d];
            double[] sq = new double[k];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[labels[i]]++;
                for (int f = 0; f < d; f++) {
                    sum[labels[i] * d + f] += x[i * d + f];
                    sq[labels[i]] += (double) x[i * d + f] * x[i * d + f];
                }
            }
            double inertia = 0; // Σ‖x‖² − ‖Σx‖²/m per cluster
            for (int j = 0; j < k; j++) {
                if (count[j] > 0) {
                    double norm = 0;
                    for (int f = 0; f < d; f++) {
                        norm += sum[j * d + f] * sum[j * d + f];
                    }
                    inertia += sq[j] - norm / count[j];
                }
            }
            best = Math.min(best, inertia);
        }
        return best;
    }

    private static void expect(String fragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' should name " + fragment);
    }
}
