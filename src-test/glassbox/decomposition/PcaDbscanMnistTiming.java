package glassbox.decomposition;

import glassbox.cluster.Dbscan;
import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.decomposition.Pca.Options;
import glassbox.decomposition.Pca.Solver;
import glassbox.metrics.AdjustedRandIndex;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock timings of PCA and DBSCAN on the 10,000 MNIST test images / 255 (784 features), for comparison
 * with scikit-learn 1.2.1 on the same machine; not a test (no assertions, run by hand):
 *
 * <pre>
 *   mvn -o -q test-compile &amp;&amp; source .glassbox/blas.env &amp;&amp; java -cp target/classes:target/test-classes:&lt;jblas, commons-math3&gt; \
 *       glassbox.decomposition.PcaDbscanMnistTiming [dumpDir]
 * </pre>
 *
 * Each timing is the best of a few runs after a warm-up run. With {@code dumpDir}, writes the data, the
 * PCA-50 projection and every DBSCAN labelling as little-endian raw arrays (float32 / int32) so a Python
 * script can run scikit-learn on exactly the same values and compare labels.
 */
public final class PcaDbscanMnistTiming {
    private PcaDbscanMnistTiming() {
    }

    public static void main(String[] args) throws IOException {
        Path dump = args.length > 0 ? Path.of(args[0]) : null;
        Dataset test = Datasets.mnist().test();
        int n = test.size();
        float[] pixels = test.x().data().clone();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] /= 255f;
        }
        Tensor x = new Tensor(pixels, n, 784);
        System.out.println("BLAS: " + Blas.describe() + "; threads available: " + Runtime.getRuntime().availableProcessors());
        if (dump != null) {
            Files.createDirectories(dump);
            writeFloats(dump.resolve("x.f32"), x.data());
            writeInts(dump.resolve("y.i32"), test.y());
        }
        Pca.Result pca50 = null;
        for (Solver solver : new Solver[] {Solver.FULL, Solver.RANDOMIZED}) {
            for (int k : new int[] {2, 50}) {
                Options o = Options.defaults(k).withSvdSolver(solver);
                Pca.Result r = time("PCA " + solver + " k=" + k + " on 10000×784", 3, () -> Pca.fit(x, o));
                double[] ratio = r.explainedVarianceRatio();
                System.out.printf("    ratio[0..1] = %.10f %.10f, sum = %.10f, noise variance = %.8g%n",
                        ratio[0], ratio[1], Arrays.stream(ratio).sum(), r.noiseVariance());
                if (k == 50 && solver == Solver.RANDOMIZED) {
                    pca50 = r;
                }
                if (k == 50 && dump != null) {
                    writeFloats(dump.resolve("components50_" + solver + ".f32"), r.components().data());
                    writeDoubles(dump.resolve("ratio50_" + solver + ".f64"), r.explainedVarianceRatio());
                }
            }
        }
        Tensor z50 = pca50.transform(x);
        if (dump != null) {
            writeFloats(dump.resolve("z50.f32"), z50.data());
        }
        dbscan("raw 784", x, 6.0, 15, dump, test.y());
        dbscan("pca50", z50, 5.0, 15, dump, test.y());
        dbscan("pca50", z50, 6.0, 15, dump, test.y());

        Rng rng = new Rng(0);
        float[] wide = new float[10_000 * 2304];
        for (int i = 0; i < wide.length; i++) {
            wide[i] = (float) rng.nextDouble();
        }
        Tensor features = new Tensor(wide, 10_000, 2304);
        time("PCA FULL k=2 on random 10000×2304", 1, () -> Pca.fit(features, Options.defaults(2).withSvdSolver(Solver.FULL)));
        time("PCA RANDOMIZED k=2 on random 10000×2304", 2,
                () -> Pca.fit(features, Options.defaults(2).withSvdSolver(Solver.RANDOMIZED)));
    }

    private static void dbscan(String what, Tensor data, double eps, int minSamples, Path dump, int[] y)
            throws IOException {
        Dbscan.Options o = new Dbscan.Options(eps, minSamples);
        Dbscan.Result r = time("DBSCAN eps=" + eps + " minSamples=" + minSamples + " on " + what, 2,
                () -> Dbscan.fit(data, o));
        System.out.printf("    %d clusters, %d noise, %d core; sizes %s; ARI vs digits %.6f%n", r.nClusters(),
                r.nNoise(), r.coreSampleIndices().length, Arrays.toString(Arrays.copyOf(r.clusterSizes(),
                        Math.min(12, r.nClusters()))), AdjustedRandIndex.score(y, r.labels()));
        if (dump != null) {
            writeInts(dump.resolve("dbscan_" + what.replace(' ', '_') + "_eps" + (int) eps + ".i32"), r.labels());
        }
    }

    /** Runs {@code body} once to warm up, then {@code runs} times, printing the first and the best time. */
    private static <T> T time(String what, int runs, Supplier<T> body) {
        long t0 = System.nanoTime();
        T result = body.get();
        double first = (System.nanoTime() - t0) / 1e9;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t = System.nanoTime();
            result = body.get();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        System.out.printf("%-55s first %.3f s, best of %d %.3f s%n", what, first, runs, best);
        return result;
    }

    private static void writeFloats(Path file, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        Files.write(file, b.array());
    }

    private static void writeDoubles(Path file, double[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(v);
        Files.write(file, b.array());
    }

    private static void writeInts(Path file, int[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(b.array());
        }
    }
}
