package glassbox.bench;

import glassbox.cluster.Dbscan;
import glassbox.cluster.KMeans;
import glassbox.cluster.MiniBatchKMeans;
import glassbox.data.Datasets;
import glassbox.data.TrainTest;
import glassbox.data.Transforms;
import glassbox.decomposition.Pca;
import glassbox.manifold.Tsne;
import glassbox.metrics.AdjustedRandIndex;
import glassbox.metrics.ClusterLabels;
import glassbox.metrics.Trustworthiness;
import glassbox.neighbors.NearestNeighbors;
import glassbox.tensor.Blas;
import glassbox.tensor.Tensor;
import glassbox.util.Rng;
import glassbox.util.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code ./glassbox bench unsupervised}: each unsupervised algorithm in glassbox and, in the same command, in
 * scikit-learn (the peer script {@code benchmarks/python/sk_unsupervised.py}, see {@link PythonPeers}) on the same
 * MNIST data, with time, quality and
 * the ratio scikit-learn / glassbox (above 1: glassbox is faster).
 *
 * <pre>
 *   kmeans     KMeans(120, n_init 1) on the 60,000 training images / 255: inertia, cluster → label accuracy
 *   minibatch  MiniBatchKMeans(120, batch 1024, n_init 3), and batch 100 (the seed's): inertia, accuracy
 *   pca        PCA to 2 and 50 components of the 10,000 test images, full and randomized solvers
 *   dbscan     DBSCAN(min_samples 15): eps 5 and 6 on the PCA-50 projection, eps 6 on the raw 784 pixels —
 *              labels compared with scikit-learn's point by point; 15-NN of the raw test images
 *   tsne       t-SNE of the first --tsne-n test images after PCA-50: KL divergence, trustworthiness (k 10, on
 *              scikit-learn's own 2,000-point subsample), 5-NN leave-one-out accuracy in the embedding
 *   --tsne-all t-SNE of all 70,000 images (glassbox alone): time, KL, trustworthiness, peak Java heap
 * </pre>
 *
 * glassbox's time is one fit; a fit under five seconds is run twice and the faster kept (the first run
 * also pays for the JIT compiling the kernels). scikit-learn's is its script's one fit, in a fresh process,
 * with the launcher's BLAS settings removed from its environment.
 */
@Command(name = "unsupervised", mixinStandardHelpOptions = true,
        description = "KMeans, MiniBatchKMeans, PCA, DBSCAN and t-SNE on MNIST in glassbox beside scikit-learn.")
public final class UnsupervisedBenchmark implements Callable<Integer> {
    private static final List<String> ALL = List.of("kmeans", "minibatch", "pca", "dbscan", "tsne");

    @Option(names = "--only", split = ",", description = "any of kmeans, minibatch, pca, dbscan, tsne; default all")
    List<String> only = ALL;

    @Option(names = "--no-sklearn", description = "skip the scikit-learn side")
    boolean noSklearn;

    @Option(names = "--tsne-n", description = "test images embedded by t-SNE; default ${DEFAULT-VALUE}")
    int tsneN = 10000;

    @Option(names = "--tsne-all", description = "instead of the comparison, embed all 70,000 MNIST images (train + "
            + "test, PCA-50 first) with glassbox alone: time, KL, trustworthiness, peak heap")
    boolean tsneAll;

    @Option(names = "--python", description = "interpreter with scikit-learn; default ${DEFAULT-VALUE}")
    String python = PythonPeers.PYTHON;

    private Path home;
    private Tensor x;
    private int[] y;
    private Tensor xt;
    private int[] yt;
    private final Table table = new Table("unsupervised algorithms on MNIST, glassbox beside scikit-learn", "algorithm",
            "glassbox s", "scikit-learn s", "sklearn / glassbox", "glassbox quality", "scikit-learn quality");
    private final List<Map<String, Object>> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        for (String what : only) {
            if (!ALL.contains(what)) {
                System.err.println("bench unsupervised: unknown algorithm '" + what + "'; expected one of " + ALL);
                return 2;
            }
        }
        if (tsneN < 100 || tsneN > 10000) {
            System.err.println("bench unsupervised: --tsne-n must lie in [100, 10000], got " + tsneN);
            return 2;
        }
        home = Datasets.home();
        System.out.println("bench unsupervised — BLAS: " + Blas.describe() + ", " + Runtime.getRuntime()
                .availableProcessors() + " cores");
        TrainTest mnist = Datasets.load("mnist", home);
        x = Transforms.divide(mnist.train().x(), 255.0).reshape(mnist.train().size(), 784);
        y = mnist.train().y();
        xt = Transforms.divide(mnist.test().x(), 255.0).reshape(mnist.test().size(), 784);
        yt = mnist.test().y();
        if (tsneAll) {
            tsneAll();
            table.print(System.out);
            BenchResults.write(home, "tsne-all", rows);
            return 0;
        }
        for (String what : only) {
            System.out.println("— " + what);
            Map<String, Object> sk = sklearn(what);
            switch (what) {
                case "kmeans" -> kmeans(sk);
                case "minibatch" -> minibatch(sk);
                case "pca" -> pca(sk);
                case "dbscan" -> dbscan(sk);
                default -> tsne(sk);
            }
        }
        table.print(System.out);
        BenchResults.write(home, "unsupervised", rows);
        return 0;
    }

    private void kmeans(Map<String, Object> sk) {
        Timed<KMeans.Result> t = timed(() -> KMeans.fit(x, KMeans.Options.defaults(120).withNInit(1).withSeed(0)));
        double[] acc = labelAccuracy(t.value.clusterCenters(), t.value.labels(), t.value.predict(xt));
        row("KMeans(120, n_init 1), 60,000 × 784", t.seconds, number(sk, "fit_seconds"),
                String.format(Locale.ROOT, "inertia %.5g (%d it.), acc %.4f", t.value.inertia(), t.value.nIter(), acc[0]),
                sk == null ? null : String.format(Locale.ROOT, "inertia %.5g (%d it.), acc %.4f",
                        number(sk, "inertia"), (int) number(sk, "n_iter"), number(sk, "test_acc_closest")),
                Map.of("inertia", t.value.inertia(), "n_iter", t.value.nIter(), "test_acc_closest", acc[0],
                        "test_acc_majority", acc[1]));
    }

    private void minibatch(Map<String, Object> sk) {
        for (int batch : new int[]{1024, 100}) {
            Timed<MiniBatchKMeans.Result> t = timed(() -> MiniBatchKMeans.fit(x,
                    MiniBatchKMeans.Options.defaults(120).withBatchSize(batch).withNInit(3).withSeed(0)));
            double[] acc = labelAccuracy(t.value.clusterCenters(), t.value.labels(), t.value.predict(xt));
            String prefix = batch == 1024 ? "" : "b100_";
            row("MiniBatchKMeans(120, batch " + batch + ", n_init 3)", t.seconds, number(sk, prefix + "fit_seconds"),
                    String.format(Locale.ROOT, "inertia %.5g, acc %.4f", t.value.inertia(), acc[0]),
                    sk == null ? null : String.format(Locale.ROOT, "inertia %.5g, acc %.4f",
                            number(sk, prefix + "inertia"), number(sk, prefix + "test_acc_closest")),
                    Map.of("batch", batch, "inertia", t.value.inertia(), "n_steps", t.value.nSteps(),
                            "test_acc_closest", acc[0], "test_acc_majority", acc[1]));
        }
    }

    private void pca(Map<String, Object> sk) {
        for (int k : new int[]{2, 50}) {
            for (Pca.Solver solver : new Pca.Solver[]{Pca.Solver.FULL, Pca.Solver.RANDOMIZED}) {
                Pca.Options options = Pca.Options.defaults(k).withSvdSolver(solver).withSeed(0);
                Timed<Pca.Result> t = timed(() -> { // fit_transform: the fit and the projection, timed together
                    Pca.Result fitted = Pca.fit(xt, options);
                    fitted.transform(xt);
                    return fitted;
                });
                double evr = sum(t.value.explainedVarianceRatio());
                String name = solver.name().toLowerCase(Locale.ROOT);
                row("PCA-" + k + " " + name + ", 10,000 × 784", t.seconds, number(sk, "pca" + k + "_" + name + "_seconds"),
                        String.format(Locale.ROOT, "explained %.5f", evr),
                        sk == null || sk.get("pca" + k + "_evr_sum") == null ? null
                                : String.format(Locale.ROOT, "explained %.5f (full)", number(sk, "pca" + k + "_evr_sum")),
                        Map.of("components", k, "solver", name, "explained_variance_ratio_sum", evr));
            }
        }
    }

    private void dbscan(Map<String, Object> sk) {
        Tensor z = Pca.fitTransform(xt, Pca.Options.defaults(50).withSvdSolver(Pca.Solver.FULL));
        Object[][] cases = {{"pca50", z, 5.0}, {"pca50", z, 6.0}, {"raw784", xt, 6.0}};
        for (Object[] c : cases) {
            String name = (String) c[0];
            Tensor data = (Tensor) c[1];
            double eps = (Double) c[2];
            Timed<Dbscan.Result> t = timed(() -> Dbscan.fit(data, Dbscan.Options.defaults().withEps(eps)
                    .withMinSamples(15)));
            @SuppressWarnings("unchecked")
            Map<String, Object> theirs = sk == null ? null : (Map<String, Object>) sk.get(name + "_eps" + eps);
            String agreement = "";
            Integer differing = null;
            if (theirs != null && theirs.get("labels") != null) {
                @SuppressWarnings("unchecked")
                List<Number> labels = (List<Number>) theirs.get("labels");
                differing = 0;
                for (int i = 0; i < labels.size(); i++) {
                    differing += labels.get(i).intValue() == t.value.labels()[i] ? 0 : 1;
                }
                agreement = differing == 0 ? ", labels identical" : ", " + differing + " labels differ";
            }
            double ari = AdjustedRandIndex.score(yt, t.value.labels());
            row("DBSCAN(eps " + eps + ", 15), " + name, t.seconds, theirs == null ? Double.NaN : number(theirs, "seconds"),
                    String.format(Locale.ROOT, "%d clusters, %d noise, ARI %.4f%s", t.value.nClusters(),
                            t.value.nNoise(), ari, agreement),
                    theirs == null ? null : String.format(Locale.ROOT, "%d clusters, %d noise, ARI %.4f",
                            (int) number(theirs, "clusters"), (int) number(theirs, "noise"), number(theirs, "ari_vs_labels")),
                    Map.of("data", name, "eps", eps, "clusters", t.value.nClusters(), "noise", t.value.nNoise(),
                            "ari_vs_labels", ari, "labels_differing_from_sklearn", differing == null ? -1 : differing));
        }
        Timed<NearestNeighbors.Result> knn = timed(() -> NearestNeighbors.kneighbors(xt, xt, 15));
        row("15-NN of 10,000 × 784", knn.seconds, number(sk, "knn15_raw784_seconds"), "exact", "exact",
                Map.of("k", 15));
    }

    private void tsne(Map<String, Object> sk) {
        Tensor z = Pca.fitTransform(xt.slice(0, tsneN), Pca.Options.defaults(50).withSvdSolver(Pca.Solver.FULL));
        Timed<Tsne.Result> t = timed(() -> Tsne.fit(z, Tsne.Options.defaults().withSeed(0),
                (iteration, kl, seconds) -> System.out.printf(Locale.ROOT, "  t-SNE iteration %4d  KL %.4f  %.1f s%n",
                        iteration, kl, seconds)));
        Tensor e = t.value.embedding();
        int[] subsample = subsample(sk, tsneN);
        double trust = Trustworthiness.score(z.gather(subsample), e.gather(subsample), 10);
        double loo = leaveOneOutAccuracy(e, 5);
        row("t-SNE of " + tsneN + " (PCA-50 first)", t.seconds, number(sk, "seconds"),
                String.format(Locale.ROOT, "KL %.4f, trust %.4f, 5-NN acc %.4f", t.value.klDivergence(), trust, loo),
                sk == null ? null : String.format(Locale.ROOT, "KL %.4f, trust %.4f, 5-NN acc %.4f", number(sk, "kl"),
                        number(sk, "trustworthiness_2k_subsample"), number(sk, "loo_knn5_acc_in_embedding")),
                Map.of("n", tsneN, "kl", t.value.klDivergence(), "n_iter", t.value.nIter(), "trustworthiness", trust,
                        "loo_knn5_acc_in_embedding", loo, "same_subsample_as_sklearn", sk != null
                                && sk.get("trustworthiness_subsample") != null));
    }

    /** t-SNE of all 70,000 images: memory linear in n is the point (scikit-learn is not run: ~10× its 10k time). */
    private void tsneAll() {
        int n = x.dim(0) + xt.dim(0);
        float[] all = new float[n * 784];
        System.arraycopy(x.data(), 0, all, 0, x.size());
        System.arraycopy(xt.data(), 0, all, x.size(), xt.size());
        BenchResults.resetPeakHeap();
        long t0 = System.nanoTime();
        Tensor z = Pca.fitTransform(new Tensor(all, n, 784), Pca.Options.defaults(50).withSvdSolver(Pca.Solver.FULL));
        double pcaSeconds = (System.nanoTime() - t0) / 1e9;
        Timed<Tsne.Result> t = timed(() -> Tsne.fit(z, Tsne.Options.defaults().withSeed(0),
                (iteration, kl, seconds) -> System.out.printf(Locale.ROOT, "  t-SNE iteration %4d  KL %.4f  %.1f s%n",
                        iteration, kl, seconds)));
        double peakMb = BenchResults.peakHeapBytes() / 1e6;
        int[] sub = java.util.Arrays.copyOf(new Rng(0).permutation(n), 2000);
        double trust = Trustworthiness.score(z.gather(sub), t.value.embedding().gather(sub), 10);
        row("t-SNE of all 70,000 (PCA-50 first: " + String.format(Locale.ROOT, "%.1f s", pcaSeconds) + ")", t.seconds,
                Double.NaN, String.format(Locale.ROOT, "KL %.4f, trust %.4f (2k subsample), peak heap %.0f MB",
                        t.value.klDivergence(), trust, peakMb), null,
                Map.of("n", n, "kl", t.value.klDivergence(), "trustworthiness_2k", trust, "peak_heap_mb", peakMb,
                        "pca_seconds", pcaSeconds));
    }

    /** Test accuracy of cluster → label of the training image closest to its centre, and of the majority label. */
    private double[] labelAccuracy(Tensor centres, int[] trainClusters, int[] testClusters) {
        int k = centres.dim(0);
        int[] closest = NearestNeighbors.argminMin(centres, x).argmin();
        return new double[]{
            ClusterLabels.accuracy(testClusters, ClusterLabels.fromRepresentatives(closest, y), yt),
            ClusterLabels.accuracy(testClusters, ClusterLabels.majority(trainClusters, y, k, 10), yt)};
    }

    /** Each point labelled by the majority of its 5 nearest other points in the embedding (the peers' measure). */
    private double leaveOneOutAccuracy(Tensor embedding, int k) {
        NearestNeighbors.Result nn = NearestNeighbors.kneighbors(embedding, embedding, k + 1);
        int n = embedding.dim(0);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int[] votes = new int[10];
            for (int j = 1; j <= k; j++) {
                votes[yt[nn.index(i, j)]]++;
            }
            int best = 0;
            for (int c = 1; c < 10; c++) {
                best = votes[c] > votes[best] ? c : best;
            }
            correct += best == yt[i] ? 1 : 0;
        }
        return (double) correct / n;
    }

    /** scikit-learn's trustworthiness subsample when its peer ran, else 2,000 points drawn with seed 0. */
    private static int[] subsample(Map<String, Object> sk, int n) {
        if (sk != null && sk.get("trustworthiness_subsample") instanceof List<?> list) {
            return list.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        int[] perm = new Rng(0).permutation(n);
        return java.util.Arrays.copyOf(perm, Math.min(n, 2000));
    }

    private void row(String algorithm, double ours, double theirs, String ourQuality, String theirQuality,
                     Map<String, Object> details) {
        String ratio = Double.isNaN(theirs) ? (noSklearn ? "skipped" : "not run")
                : String.format(Locale.ROOT, "%.2f×", theirs / ours);
        table.addRow(algorithm, ours, Double.isNaN(theirs) ? null : theirs, ratio, ourQuality, theirQuality);
        Map<String, Object> row = new LinkedHashMap<>(details);
        row.put("algorithm", algorithm);
        row.put("glassbox_seconds", ours);
        row.put("sklearn_seconds", Double.isNaN(theirs) ? null : theirs);
        row.put("ratio_sklearn_over_glassbox", theirs / ours);
        row.put("glassbox_quality", ourQuality);
        row.put("sklearn_quality", theirQuality);
        rows.add(row);
        System.out.printf(Locale.ROOT, "  %s: glassbox %.2f s, scikit-learn %s — %s%n", algorithm, ours,
                Double.isNaN(theirs) ? "-" : String.format(Locale.ROOT, "%.2f s", theirs), ratio);
    }

    /** The peer script's JSON for {@code what}, or null when it was skipped or did not run (saying why). */
    private Map<String, Object> sklearn(String what) throws IOException, InterruptedException {
        if (noSklearn) {
            return null;
        }
        System.out.println("  scikit-learn " + what + " …");
        PythonPeers.Outcome out = sklearnOutcome(python, home, home.resolve("data"), what, tsneN);
        if (!out.ran()) {
            System.out.println("  scikit-learn not run: " + out.why());
        }
        return out.json();
    }

    /**
     * {@code sk_unsupervised.py what --details --n tsneN} on the datasets in {@code dataDir}: {@code --details}
     * adds what the comparison needs point by point (DBSCAN's labels, t-SNE's trustworthiness subsample).
     */
    static PythonPeers.Outcome sklearnOutcome(String python, Path home, Path dataDir, String what, int tsneN)
            throws IOException, InterruptedException {
        return PythonPeers.runScript(python, PythonPeers.Library.SKLEARN,
                PythonPeers.scripts(home).resolve("sk_unsupervised.py"), dataDir, 30, TimeUnit.MINUTES, what,
                "--details", "--n", String.valueOf(tsneN));
    }

    private static double number(Map<String, Object> m, String key) {
        return m == null || !(m.get(key) instanceof Number v) ? Double.NaN : v.doubleValue();
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s;
    }

    private record Timed<T>(T value, double seconds) {
    }

    /** One fit, timed; under five seconds, a second one and the faster kept (the first warmed the JIT). */
    private static <T> Timed<T> timed(Supplier<T> fit) {
        long t0 = System.nanoTime();
        T value = fit.get();
        double first = (System.nanoTime() - t0) / 1e9;
        if (first >= 5) {
            return new Timed<>(value, first);
        }
        t0 = System.nanoTime();
        value = fit.get();
        return new Timed<>(value, Math.min(first, (System.nanoTime() - t0) / 1e9));
    }
}
