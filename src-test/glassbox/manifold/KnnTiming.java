package glassbox.manifold;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.neighbors.VpTree;
import glassbox.tensor.Tensor;

/**
 * Not a test (surefire skips it): times t-SNE's two exact k-NN searches side by side — the VP-tree and the
 * brute-force blocked GEMM — on the 10,000 MNIST test images /255, after PCA to 50 and raw (784-D), with
 * k = 90 (perplexity 30). Checks that both find the same neighbours.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:<deps> glassbox.manifold.KnnTiming [n]}
 */
public final class KnnTiming {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int k = 90;
        Dataset test = Datasets.mnist().test();
        Tensor raw = scaledFlat(test.x().slice(0, n));
        Tensor pca = glassbox.decomposition.Pca.fitTransform(raw,
                glassbox.decomposition.Pca.Options.defaults(50).withSvdSolver(glassbox.decomposition.Pca.Solver.FULL));
        for (int rep = 0; rep < 2; rep++) {
            compare("PCA-50", pca, k);
            compare("raw-784", raw, k);
        }
    }

    static Tensor scaledFlat(Tensor images) {
        int n = images.dim(0);
        int d = images.size() / n;
        float[] v = images.data().clone();
        for (int c = 0; c < v.length; c++) {
            v[c] /= 255f;
        }
        return new Tensor(v, n, d);
    }

    private static void compare(String name, Tensor x, int k) {
        long t0 = System.nanoTime();
        int[] bruteIndices = new int[x.dim(0) * k];
        double[] bruteSq = new double[x.dim(0) * k];
        Tsne.nearestOthers(x, k, bruteIndices, bruteSq);
        long t1 = System.nanoTime();
        VpTree tree = VpTree.build(x, 0);
        long t2 = System.nanoTime();
        VpTree.Neighbors vp = tree.kneighbors(k);
        long t3 = System.nanoTime();
        int differ = 0;
        double maxRel = 0;
        for (int e = 0; e < bruteIndices.length; e++) {
            if (bruteIndices[e] != vp.indices()[e]) {
                differ++;
            }
            double a = bruteSq[e];
            double b = vp.distances()[e] * vp.distances()[e];
            maxRel = Math.max(maxRel, Math.abs(a - b) / Math.max(a, 1e-12));
        }
        System.out.printf("%-8s n=%d k=%d  brute-force GEMM %.3fs   VP-tree build %.3fs + search %.3fs   "
                        + "(neighbour slots differing: %d, max rel. diff of k-th-order sq. distances %.2e)%n",
                name, x.dim(0), k, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, differ, maxRel);
    }
}
