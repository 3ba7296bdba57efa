package glassbox.manifold;

import glassbox.util.Parallel;

/**
 * The Barnes-Hut approximation of t-SNE's gradient (van der Maaten 2014, §4.2; scikit-learn's
 * {@code _barnes_hut_tsne.gradient}), in double.
 *
 * <p>With {@code w_ij = (1 + ‖y_i − y_j‖²/α)^(−(α+1)/2)} the Student-t kernel ({@code α} = degrees of freedom),
 * {@code t_ij = (1 + ‖y_i − y_j‖²/α)⁻¹}, {@code Z = Σ_{k≠l} w_kl} and {@code q_ij = w_ij / Z}, the gradient
 * of {@code KL(P‖Q)} splits into an attractive and a repulsive part:
 * <pre>
 *   ∂KL/∂y_i = c·( Σ_j p_ij·t_ij·(y_i − y_j)  −  Σ_j w_ij·t_ij·(y_i − y_j) / Z ),   c = 2(α+1)/α  (4 for α = 1)
 *              └─ attractive: exact, over the sparse P ─┘  └─ repulsive: over the tree ─┘
 * </pre>
 * The repulsive sum and {@code Z} run over all pairs; the {@link SpaceTree} replaces each far-away cell
 * ({@code maxWidth²/d² < θ²}) by its count at its barycentre, O(n log n) per iteration. The KL divergence
 * (every 50th step) is {@code Σ_ij p_ij·ln(p_ij / q_ij)} over the non-zeros of {@code P}, both clamped below at
 * float32's smallest normal as scikit-learn does, with the approximate {@code Z}.
 *
 * <p><b>Where glassbox differs.</b> scikit-learn works in float32 and, for {@code α ≠ 1} (a 3-D embedding),
 * weights each pair by {@code w_ij} where the derivative of the KL divergence has {@code t_ij}
 * ({@code w_ij·t_ij} vs {@code w_ij²}); glassbox uses the derivative. For {@code α = 1} the two agree.
 *
 * <p><b>Threads.</b> The tree is built on one thread while the others compute the attractive forces (which do
 * not need it); then the repulsion runs over points in the tree's order, in chunks, on every core. Each point
 * writes only its own forces and its own share of {@code Z}, and the shares are summed afterwards in index
 * order, so the result is the same bits whatever the thread count. Buffers are allocated once and reused.
 */
final class BarnesHutGradient implements GradientDescent.Objective {
    private static final int CHUNK = 64;
    /** NumPy's {@code finfo(float32).tiny}, scikit-learn's {@code FLOAT32_TINY}. */
    static final double FLOAT32_TINY = Float.MIN_NORMAL;

    private final Affinities.SparseP p;
    private final int n;
    private final int dims;
    private final double thetaSq;
    private final double alpha;
    private final SpaceTree tree;
    private final double[] repulsive;
    private final double[] attractive;
    private final double[] zShare;
    private final double[] klShare;
    /** Nanoseconds spent so far in each part (tree build with attraction, repulsion): a profile for harnesses. */
    final long[] nanos = new long[2];

    BarnesHutGradient(Affinities.SparseP p, int dims, double angle, double alpha) {
        this.p = p;
        this.n = p.n();
        this.dims = dims;
        this.thetaSq = angle * angle;
        this.alpha = alpha;
        this.tree = new SpaceTree(dims);
        this.repulsive = new double[n * dims];
        this.attractive = new double[n * dims];
        this.zShare = new double[n];
        this.klShare = new double[n];
    }

    @Override
    public double gradient(double[] y, double exaggeration, double[] grad, boolean computeError) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        // 1. The tree (task 0, one thread) alongside the attractive forces (the other tasks), which do not need it.
        long t0 = System.nanoTime();
        Parallel.forEach(chunks + 1, 200L * CHUNK, task -> {
            if (task == 0) {
                tree.build(y, n);
                return;
            }
            int end = Math.min(n, task * CHUNK);
            for (int i = (task - 1) * CHUNK; i < end; i++) {
                attraction(y, i, exaggeration);
            }
        });
        // 2. The repulsion of every point, visiting points in tree order so neighbours share cached cells.
        long t1 = System.nanoTime();
        int[] order = tree.order();
        Parallel.forEach(chunks, 2_000L * CHUNK, chunk -> {
            int[] stack = tree.newStack();
            int end = Math.min(n, (chunk + 1) * CHUNK);
            for (int at = chunk * CHUNK; at < end; at++) {
                int i = order[at];
                zShare[i] = tree.repulsion(y, i, thetaSq, alpha, repulsive, stack);
            }
        });
        long t2 = System.nanoTime();
        nanos[0] += t1 - t0;
        nanos[1] += t2 - t1;
        // 3. Z in index order, then ∂KL/∂y_i = c·(attraction_i − repulsion_i / Z).
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += zShare[i];
        }
        double invZ = z > 0 ? 1.0 / z : 0.0;
        double c = 2.0 * (alpha + 1.0) / alpha;
        for (int e = 0; e < n * dims; e++) {
            grad[e] = c * (attractive[e] - repulsive[e] * invZ);
        }
        if (!computeError) {
            return Double.NaN;
        }
        Parallel.forEach(chunks, 100L * CHUNK, chunk -> {
            int end = Math.min(n, (chunk + 1) * CHUNK);
            for (int i = chunk * CHUNK; i < end; i++) {
                klShare[i] = klShare(y, i, exaggeration, invZ);
            }
        });
        double kl = 0;
        for (int i = 0; i < n; i++) {
            kl += klShare[i];
        }
        return kl;
    }

    /** Point {@code i}'s attractive force {@code Σ_j p_ij·t_ij·(y_i − y_j)} over its row of {@code P}, into {@code attractive}. */
    private void attraction(double[] y, int i, double exaggeration) {
        int[] indptr = p.indptr();
        int[] indices = p.indices();
        double[] values = p.values();
        if (dims == 2) {
            double fx = 0;
            double fy = 0;
            double yx = y[2 * i];
            double yy = y[2 * i + 1];
            for (int e = indptr[i]; e < indptr[i + 1]; e++) {
                int j = indices[e];
                double dx = yx - y[2 * j];
                double dy = yy - y[2 * j + 1];
                double pt = values[e] * (alpha / (alpha + dx * dx + dy * dy));
                fx += pt * dx;
                fy += pt * dy;
            }
            attractive[2 * i] = exaggeration * fx;
            attractive[2 * i + 1] = exaggeration * fy;
            return;
        }
        double[] f = new double[dims];
        for (int e = indptr[i]; e < indptr[i + 1]; e++) {
            int j = indices[e];
            double pt = values[e] * (alpha / (alpha + squaredDistance(y, i, j)));
            for (int ax = 0; ax < dims; ax++) {
                f[ax] += pt * (y[i * dims + ax] - y[j * dims + ax]);
            }
        }
        for (int ax = 0; ax < dims; ax++) {
            attractive[i * dims + ax] = exaggeration * f[ax];
        }
    }

    /** {@code Σ_j p_ij·ln(p_ij / q_ij)} over row {@code i} of the (exaggerated) {@code P}, both clamped as scikit-learn. */
    private double klShare(double[] y, int i, double exaggeration, double invZ) {
        int[] indptr = p.indptr();
        int[] indices = p.indices();
        double[] values = p.values();
        double exponent = (alpha + 1) / 2;
        double kl = 0;
        for (int e = indptr[i]; e < indptr[i + 1]; e++) {
            double t = alpha / (alpha + squaredDistance(y, i, indices[e]));
            double w = alpha == 1.0 ? t : Math.pow(t, exponent);
            double pij = exaggeration * values[e];
            kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(w * invZ, FLOAT32_TINY));
        }
        return kl;
    }

    private double squaredDistance(double[] y, int i, int j) {
        double d2 = 0;
        for (int ax = 0; ax < dims; ax++) {
            double diff = y[i * dims + ax] - y[j * dims + ax];
            d2 += diff * diff;
        }
        return d2;
    }
}
