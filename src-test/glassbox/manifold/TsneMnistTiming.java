package glassbox.manifold;

import glassbox.data.Dataset;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.metrics.Trustworthiness;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test (surefire skips it): t-SNE of MNIST as scikit-learn's reference run does it — the 10,000 test
 * images /255, PCA to 50 (full solver), {@code TSNE()} with 1.2's defaults — printing each phase's time, the
 * KL divergence, trustworthiness (k = 10, on a 2,000-point random subsample, in the PCA-50 space t-SNE saw and
 * in pixel space) and leave-one-out k-NN accuracy of the labels in the embedding (1-NN and a 5-NN vote).
 * scikit-learn 1.2.1 on this machine (2 cores): 51.4 s, KL 1.715, trustworthiness 0.972.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:<deps> glassbox.manifold.TsneMnistTiming
 * [--all] [--threads 1|2] [--out embedding.csv]}; {@code --all} embeds all 70,000 images (train + test).
 */
public final class TsneMnistTiming {
    public static void main(String[] args) throws Exception {
        boolean all = false;
        boolean profile = false;
        Path out = null;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--all" -> all = true;
                case "--out" -> out = Path.of(args[++a]);
                case "--profile" -> profile = true;
                default -> throw new IllegalArgumentException("unknown flag " + args[a] + "; expected --all or --out FILE");
            }
        }
        TrainTest mnist = Datasets.mnist();
        Dataset data = all ? concat(mnist.train(), mnist.test()) : mnist.test();
        Tensor raw = KnnTiming.scaledFlat(data.x());
        int n = raw.dim(0);
        System.out.printf("MNIST %s: %d × %d, %d threads%n", all ? "train+test" : "test", n, raw.dim(1),
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);

        long t0 = System.nanoTime();
        Tensor pca50 = glassbox.decomposition.Pca.fitTransform(raw,
                glassbox.decomposition.Pca.Options.defaults(50).withSvdSolver(glassbox.decomposition.Pca.Solver.FULL));
        long t1 = System.nanoTime();
        System.out.printf("PCA-50: %.3fs%n", (t1 - t0) / 1e9);

        if (profile) {
            profile(pca50);
            return;
        }
        Tsne.Result result = Tsne.fit(pca50, Tsne.Options.defaults().withVerbose(true));
        long t2 = System.nanoTime();
        System.out.printf("t-SNE: %.3fs, KL %.4f after %d iterations%n", (t2 - t1) / 1e9, result.klDivergence(), result.nIter());

        int[] sub = new Rng(0).permutation(n);
        int[] pick = java.util.Arrays.copyOf(sub, 2000);
        Tensor emb = result.embedding();
        System.out.printf("trustworthiness (k 10, 2,000 random points): %.4f in PCA-50 space, %.4f in pixel space%n",
                Trustworthiness.score(pca50.gather(pick), emb.gather(pick), 10),
                Trustworthiness.score(raw.gather(pick), emb.gather(pick), 10));
        double[] acc = looAccuracy(emb, data.y());
        System.out.printf("leave-one-out accuracy in the embedding: 1-NN %.4f, 5-NN vote %.4f%n", acc[0], acc[1]);
        if (out != null) {
            writeCsv(out, emb, data.y(), pick);
        }
    }

    /**
     * Tsne.fit's phases run here, step by step, printing the time of each Barnes-Hut part (tree build
     * alongside the attraction, repulsion) per 50 iterations and saving the embedding at iterations 100, 300 and 600
     * (/tmp/tsne-emb-ITER.csv) for {@link BarnesHutTiming}.
     */
    private static void profile(Tensor x) throws IOException {
        int n = x.dim(0);
        Tsne.Options o = Tsne.Options.defaults();
        long t0 = System.nanoTime();
        int[] indices = new int[n * 91];
        double[] sqDistances = new double[n * 91];
        Tsne.nearestOthers(x, 91, indices, sqDistances);
        long t1 = System.nanoTime();
        Affinities.SparseP p = Affinities.jointNearestNeighbors(indices, sqDistances, n, 91, 30);
        long t2 = System.nanoTime();
        System.out.printf("neighbours %.3fs, affinities %.3fs%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        BarnesHutGradient g = new BarnesHutGradient(p, 2, 0.5, 1);
        double[] y = Tsne.initialEmbedding(x, o);
        long[] last = new long[4];
        last[3] = System.nanoTime();
        GradientDescent.Checkpoint cp = (it, err, norm) -> {
            long now = System.nanoTime();
            System.out.printf("it %4d KL %.4f  wall %.3fs  build+attraction %.3fs  repulsion %.3fs%n", it, err,
                    (now - last[3]) / 1e9, (g.nanos[0] - last[0]) / 1e9, (g.nanos[1] - last[1]) / 1e9);
            System.arraycopy(g.nanos, 0, last, 0, 2);
            last[3] = now;
            if (it == 100 || it == 300 || it == 600) {
                try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of("/tmp/tsne-emb-" + it + ".csv")))) {
                    w.println("x,y");
                    for (int i = 0; i < n; i++) {
                        w.printf("%.17g,%.17g%n", y[2 * i], y[2 * i + 1]);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        double lr = Math.max(n / 12.0 / 4, 50);
        GradientDescent.Outcome a = GradientDescent.run(g, y, 0, 250, 0.5, lr, 250, 1e-7, 12, 50, cp);
        GradientDescent.Outcome b = GradientDescent.run(g, y, a.lastIteration() + 1, 1000, 0.8, lr, 300, 1e-7, 1, 50, cp);
        System.out.printf("total optimisation %.3fs (build+attraction %.3fs, repulsion %.3fs), KL %.4f%n",
                (System.nanoTime() - t2) / 1e9, g.nanos[0] / 1e9, g.nanos[1] / 1e9, b.error());
    }

    private static Dataset concat(Dataset a, Dataset b) {
        int na = a.size();
        int nb = b.size();
        int row = a.x().rowLength();
        float[] x = new float[(na + nb) * row];
        System.arraycopy(a.x().data(), 0, x, 0, na * row);
        System.arraycopy(b.x().data(), 0, x, na * row, nb * row);
        int[] y = new int[na + nb];
        System.arraycopy(a.y(), 0, y, 0, na);
        System.arraycopy(b.y(), 0, y, na, nb);
        int[] shape = a.x().shape();
        shape[0] = na + nb;
        return new Dataset(new Tensor(x, shape), y, a.numClasses(), "mnist-all");
    }

    /** Leave-one-out 1-NN accuracy and 5-NN majority-vote accuracy (ties to the nearest's label). */
    static double[] looAccuracy(Tensor emb, int[] y) {
        int n = emb.dim(0);
        int d = emb.dim(1);
        float[] e = emb.data();
        int[] hits1 = new int[n];
        int[] hits5 = new int[n];
        java.util.stream.IntStream.range(0, n).parallel().forEach(i -> {
            double[] bd = new double[5];
            int[] bi = new int[5];
            java.util.Arrays.fill(bd, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double s = 0;
                for (int c = 0; c < d; c++) {
                    double diff = e[i * d + c] - e[j * d + c];
                    s += diff * diff;
                }
                if (s < bd[4]) {
                    int at = 4;
                    while (at > 0 && bd[at - 1] > s) {
                        bd[at] = bd[at - 1];
                        bi[at] = bi[at - 1];
                        at--;
                    }
                    bd[at] = s;
                    bi[at] = j;
                }
            }
            hits1[i] = y[bi[0]] == y[i] ? 1 : 0;
            int[] votes = new int[10];
            for (int j : bi) {
                votes[y[j]]++;
            }
            int best = y[bi[0]];
            for (int c = 0; c < 10; c++) {
                if (votes[c] > votes[best]) {
                    best = c;
                }
            }
            hits5[i] = best == y[i] ? 1 : 0;
        });
        return new double[]{java.util.Arrays.stream(hits1).sum() / (double) n, java.util.Arrays.stream(hits5).sum() / (double) n};
    }

    private static void writeCsv(Path out, Tensor emb, int[] y, int[] pick) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out))) {
            w.println("x,y,label,in_subsample");
            boolean[] in = new boolean[y.length];
            for (int p : pick) {
                in[p] = true;
            }
            float[] e = emb.data();
            for (int i = 0; i < y.length; i++) {
                w.printf("%.9g,%.9g,%d,%d%n", e[2 * i], e[2 * i + 1], y[i], in[i] ? 1 : 0);
            }
        }
    }
}
