package glassbox.cluster;

import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.neighbors.NearestNeighbors;
import glassbox.tensor.Tensor;
import java.lang.management.ManagementFactory;

/**
 * Times {@link KMeans} and {@link MiniBatchKMeans} on the 60,000 MNIST training images / 255 against the
 * figures of scikit-learn 1.2.1 on this machine (not a test: run by hand, it needs {@code data/mnist}).
 *
 * <pre>
 *   mvn -o -q test-compile
 *   java -Xmx8g -Dglassbox.home=. -cp "target/classes:target/test-classes:target/lib/*" \
 *       glassbox.cluster.KMeansMnistTiming [kmeans|minibatch|both] [seed]
 * </pre>
 *
 * The MiniBatchKMeans quality check is the seed notebook's: label each cluster with the label of the
 * training image closest to its centre, then score the test images' clusters.
 */
public final class KMeansMnistTiming {
    private KMeansMnistTiming() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "both";
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 0;
        TrainTest mnist = Datasets.mnist();
        Tensor train = scaled(mnist.train().x());
        Tensor test = scaled(mnist.test().x());
        if (!which.equals("minibatch")) {
            long[] t = start();
            KMeans.Result r = KMeans.fit(train, KMeans.Options.defaults(120).withNInit(1).withSeed(seed));
            report("KMeans(120, nInit 1)", t, String.format("inertia %.6g, nIter %d", r.inertia(), r.nIter()));
        }
        if (!which.equals("kmeans")) {
            long[] t = start();
            MiniBatchKMeans.Result r = MiniBatchKMeans.fit(train,
                    MiniBatchKMeans.Options.defaults(120).withBatchSize(1024).withNInit(3).withSeed(seed));
            report("MiniBatchKMeans(120, batch 1024, nInit 3)", t, String.format("inertia %.6g, nIter %d, nSteps %d",
                    r.inertia(), r.nIter(), r.nSteps()));
            int[] closest = NearestNeighbors.argminMin(r.clusterCenters(), train).argmin();
            int[] clusters = r.predict(test);
            int right = 0;
            for (int i = 0; i < clusters.length; i++) {
                right += mnist.train().y()[closest[clusters[i]]] == mnist.test().y()[i] ? 1 : 0;
            }
            System.out.printf("  test accuracy of cluster labels: %.4f%n", right / (double) clusters.length);
        }
    }

    private static Tensor scaled(Tensor images) {
        int n = images.dim(0);
        float[] v = images.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] /= 255f;
        }
        return new Tensor(v, n, v.length / n);
    }

    private static long[] start() {
        return new long[]{System.nanoTime(), cpuNanos()};
    }

    private static void report(String what, long[] start, String detail) {
        double wall = (System.nanoTime() - start[0]) / 1e9;
        double cpu = (cpuNanos() - start[1]) / 1e9;
        System.out.printf("%s: %.2f s wall (%.1f s process CPU), %s%n", what, wall, cpu, detail);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
