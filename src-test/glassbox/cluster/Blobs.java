package glassbox.cluster;

import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

/** Test data and helpers shared by the k-means tests. */
final class Blobs {
    private Blobs() {
    }

    /**
     * {@code perBlob} points around each of {@code centres} ({@code blobs × d}, row-major) with Gaussian
     * noise of standard deviation {@code sd}; point {@code i} belongs to blob {@code i / perBlob}.
     */
    static Tensor around(double[] centres, int blobs, int d, int perBlob, double sd, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[blobs * perBlob * d];
        for (int i = 0; i < blobs * perBlob; i++) {
            for (int f = 0; f < d; f++) {
                x[i * d + f] = (float) (centres[(i / perBlob) * d + f] + sd * rng.nextGaussian());
            }
        }
        return new Tensor(x, blobs * perBlob, d);
    }

    /** {@code blobs} centres at random corners-ish positions spaced {@code spacing} apart in {@code d} dims. */
    static double[] spreadCentres(int blobs, int d, double spacing, long seed) {
        Rng rng = new Rng(seed);
        double[] c = new double[blobs * d];
        for (int b = 0; b < blobs; b++) {
            for (int f = 0; f < d; f++) {
                c[b * d + f] = rng.nextDouble() * 2 - 1;
            }
            c[b * d + (b % d)] += spacing * (1 + b / d); // each blob far along its own axis
        }
        return c;
    }

    /** Uniform random {@code n × d} matrix in [-1, 1). */
    static Tensor uniform(int n, int d, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.uniform(-1, 1);
        }
        return new Tensor(x, n, d);
    }

    /** {@code Σ_i min_j ‖x_i − c_j‖²} in double, straight from the definition. */
    static double bruteForceInertia(float[] x, int n, int d, float[] c, int k) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                best = Math.min(best, squared(x, i, c, j, d));
            }
            total += best;
        }
        return total;
    }

    /** {@code ‖a_i − b_j‖²} in double. */
    static double squared(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double diff = (double) a[i * d + f] - b[j * d + f];
            s += diff * diff;
        }
        return s;
    }

    /** Whether two labellings (non-negative labels) are the same partition, up to renaming. */
    static boolean samePartition(int[] a, int[] b) {
        int[] ab = new int[java.util.Arrays.stream(a).max().orElse(0) + 1];
        int[] ba = new int[java.util.Arrays.stream(b).max().orElse(0) + 1];
        java.util.Arrays.fill(ab, -1);
        java.util.Arrays.fill(ba, -1);
        for (int i = 0; i < a.length; i++) {
            if (ab[a[i]] == -1 && ba[b[i]] == -1) {
                ab[a[i]] = b[i];
                ba[b[i]] = a[i];
            } else if (ab[a[i]] != b[i] || ba[b[i]] != a[i]) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code task} inside a fork-join pool of {@code threads} workers (parallel streams use it). */
    static <T> T inPool(int threads, Callable<T> task) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(task).get();
        } finally {
            pool.shutdown();
        }
    }
}
