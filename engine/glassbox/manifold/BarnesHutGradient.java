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
 * <p><b>Threads.</b> Points are visited in the tree's order, in chunks, on every core; each point writes only
 * its own force and its own share of {@code Z}, and the shares are summed afterwards in index order, so the
 * result is the same bits whatever the thread count. Buffers are allocated once and reused every iteration.
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
    private final double[] zShare;
    private final double[] klShare;

    BarnesHutGradient(Affinities.SparseP p, int dims, double angle, double alpha) {
        this.p = p;
        this.n = p.n();
        this.dims = dims;
        this.thetaSq = angle * angle;
        this.alpha = alpha;
        this.tree = new SpaceTree(dims);
        this.repulsive = new double[n * dims];
        this.zShare = new double[n];
        this.klShare = new double[n];
    }

    @Override
    public double gradient(double[] y, double exaggeration, double[] grad, boolean computeError) {
        tree.build(y, n);
        int[] order = tree.order();
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(chunks, 2_000L * CHUNK, chunk -> {
            int[] stack = tree.newStack();
            int end = Math.min(n, (chunk + 1) * CHUNK);
            for (int at = chunk * CHUNK; at < end; at++) {
                int i = order[at];
                zShare[i] = tree.repulsion(y, i, thetaSq, alpha, repulsive, stack);
            }
        });
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += zShare[i];
        }
        double sumQ = z;
        double c = 2.0 * (alpha + 1.0) / alpha;
        Parallel.forEach(chunks, 50L * CHUNK, chunk -> {
            int end = Math.min(n, (chunk + 1) * CHUNK);
            for (int i = chunk * CHUNK; i < end; i++) {
                klShare[i] = attraction(y, i, exaggeration, sumQ, c, grad, computeError);
            }
        });
        if (!computeError) {
            return Double.NaN;
        }
        double kl = 0;
        for (int i = 0; i < n; i++) {
            kl += klShare[i];
        }
        return kl;
    }

    /**
     * Point {@code i}'s attractive force over its row of {@code P}, combined with its repulsion into
     * {@code grad}; returns its share of the KL divergence (0 unless {@code computeError}).
     */
    private double attraction(double[] y, int i, double exaggeration, double sumQ, double c, double[] grad,
                              boolean computeError) {
        int[] indptr = p.indptr();
        int[] indices = p.indices();
        double[] values = p.values();
        double exponent = (alpha + 1) / 2;
        double kl = 0;
        double invZ = sumQ > 0 ? 1.0 / sumQ : 0.0;
        if (dims == 2) {
            double fx = 0;
            double fy = 0;
            double yx = y[2 * i];
            double yy = y[2 * i + 1];
            for (int e = indptr[i]; e < indptr[i + 1]; e++) {
                int j = indices[e];
                double dx = yx - y[2 * j];
                double dy = yy - y[2 * j + 1];
                double t = alpha / (alpha + dx * dx + dy * dy);
                double w = alpha == 1.0 ? t : Math.pow(t, exponent);
                double pij = exaggeration * values[e];
                double pt = pij * t;
                fx += pt * dx;
                fy += pt * dy;
                if (computeError) {
                    kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(w * invZ, FLOAT32_TINY));
                }
            }
            grad[2 * i] = c * (fx - repulsive[2 * i] * invZ);
            grad[2 * i + 1] = c * (fy - repulsive[2 * i + 1] * invZ);
            return kl;
        }
        double[] f = new double[dims];
        for (int e = indptr[i]; e < indptr[i + 1]; e++) {
            int j = indices[e];
            double d2 = 0;
            for (int ax = 0; ax < dims; ax++) {
                double diff = y[i * dims + ax] - y[j * dims + ax];
                d2 += diff * diff;
            }
            double t = alpha / (alpha + d2);
            double w = alpha == 1.0 ? t : Math.pow(t, exponent);
            double pij = exaggeration * values[e];
            for (int ax = 0; ax < dims; ax++) {
                f[ax] += pij * t * (y[i * dims + ax] - y[j * dims + ax]);
            }
            if (computeError) {
                kl += pij * Math.log(Math.max(pij, FLOAT32_TINY) / Math.max(w * invZ, FLOAT32_TINY));
            }
        }
        for (int ax = 0; ax < dims; ax++) {
            grad[i * dims + ax] = c * (f[ax] - repulsive[i * dims + ax] * invZ);
        }
        return kl;
    }
}
