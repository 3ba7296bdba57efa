package glassbox.neighbors;

import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.lang.management.ManagementFactory;

/**
 * Times {@link NearestNeighbors#kneighbors} at t-SNE's size: all 70,000 MNIST images (/255) projected to 50
 * dimensions (a seeded Gaussian projection standing in for PCA), k = 90, queries = data. Not a test: run
 * by hand, it needs {@code data/mnist}.
 *
 * <pre>
 *   mvn -o -q test-compile
 *   java -Xmx8g -Dglassbox.home=. -cp "target/classes:target/test-classes:target/lib/*" \
 *       glassbox.neighbors.NearestNeighborsTiming [k] [n]
 * </pre>
 */
public final class NearestNeighborsTiming {
    private NearestNeighborsTiming() {
    }

    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 90;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 70_000;
        TrainTest mnist = Datasets.mnist();
        float[] images = new float[70_000 * 784];
        System.arraycopy(mnist.train().x().data(), 0, images, 0, 60_000 * 784);
        System.arraycopy(mnist.test().x().data(), 0, images, 60_000 * 784, 10_000 * 784);
        for (int i = 0; i < images.length; i++) {
            images[i] /= 255f;
        }
        Rng rng = new Rng(0);
        float[] projection = new float[784 * 50];
        for (int i = 0; i < projection.length; i++) {
            projection[i] = (float) (rng.nextGaussian() / Math.sqrt(50));
        }
        float[] x = new float[70_000 * 50];
        Blas.sgemm(false, false, 70_000, 50, 784, 1f, images, 784, projection, 50, 0f, x, 50);
        Tensor data = new Tensor(x, 70_000, 50).slice(0, n);
        for (int rep = 0; rep < 2; rep++) {
            long wall = System.nanoTime();
            long cpu = cpuNanos();
            NearestNeighbors.Result r = NearestNeighbors.kneighbors(data, data, k);
            System.out.printf("kneighbors(%d×50, k=%d): %.2f s wall (%.1f s process CPU); query 0: %d at %.4f, "
                            + "%d at %.4f%n",
                    n, k, (System.nanoTime() - wall) / 1e9, (cpuNanos() - cpu) / 1e9,
                    r.index(0, 0), r.distance(0, 0), r.index(0, 1), r.distance(0, 1));
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
