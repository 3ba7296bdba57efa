package glassbox.manifold;

import java.util.Arrays;

/**
 * The Barnes-Hut space-partitioning tree of the embedding: a quad-tree in 2-D (an oct-tree in 3-D, a binary
 * tree in 1-D), scikit-learn's {@code neighbors._quad_tree._QuadTree}, stored in flat arrays and rebuilt
 * every iteration.
 *
 * <p><b>Shape.</b> The root cell is the bounding box of the points, its upper corner pushed out slightly
 * ({@code max(M·(1 + 10⁻³·sign M), M + 10⁻³)}, as scikit-learn) so every point lies strictly inside. A cell
 * holding more than one point is split at its centre into {@code 2^dims} children; child {@code c} has bit
 * {@code dims−1−ax} of {@code c} set when the point's coordinate {@code ax} is {@code ≥} the centre's (the
 * first axis is the most significant bit, as scikit-learn's {@code _select_child}). Splitting stops at a
 * single point, or at points that all lie within {@code 10⁻⁶} per coordinate of the first one
 * (scikit-learn's duplicates; such a leaf's barycentre is that first point). Each cell stores its
 * barycentre, its point count and the square of its widest side (−1 in a leaf, which is always used whole).
 *
 * <p><b>Layout.</b> Node {@code v} lives at {@code data[v·stride ..]} with {@code stride = dims + 2}:
 * barycentre {@code (dims values)}, count, squared max width. {@code firstChild[v]} is −1 for a leaf, else
 * the index of its first child; its {@code childCount[v]} non-empty children are consecutive, in child order
 * (scikit-learn keeps no empty cells either). Building partitions a permutation of the points by child (a
 * counting sort per cell), so the points of every subtree are contiguous in {@link #order()}: visiting points
 * in that order makes consecutive traversals touch the same cells.
 *
 * <p>Not thread-safe to build; {@link #repulsion} may be called from many threads at once (each with its own
 * stack).
 */
final class SpaceTree {
    /** scikit-learn's quad-tree {@code EPSILON}: coordinates closer than this are the same point. */
    static final double DUPLICATE_EPSILON = 1e-6;
    /** The squared-width slot of a leaf: a leaf is always used whole, so its width is never compared. */
    private static final double LEAF = -1.0;

    private final int dims;
    private final int nChildren;
    private final int stride;
    private double[] data = new double[0];
    private int[] firstChild = new int[0];
    private int nodeCount;
    private int maxDepth;
    private int[] order = new int[0];
    private int[] scratch = new int[0];
    private byte[] code = new byte[0];
    private int[] childCount = new int[0];

    SpaceTree(int dims) {
        if (dims < 1 || dims > 3) {
            throw new IllegalArgumentException("SpaceTree: dims is " + dims + "; expected 1, 2 or 3");
        }
        this.dims = dims;
        this.nChildren = 1 << dims;
        this.stride = dims + 2;
    }

    /** The points in tree order: every subtree's points are contiguous. */
    int[] order() {
        return order;
    }

    int nodeCount() {
        return nodeCount;
    }

    /** The deepest level of the last build (root = 0): bounds a traversal's stack. */
    int maxDepth() {
        return maxDepth;
    }

    /** A stack big enough for {@link #repulsion} on this tree. */
    int[] newStack() {
        return new int[(maxDepth + 2) * nChildren];
    }

    /** Rebuilds the tree over the {@code n} points of {@code y} (row-major {@code n×dims}). */
    void build(double[] y, int n) {
        if (order.length != n) {
            order = new int[n];
            scratch = new int[n];
            code = new byte[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] lo = new double[dims];
        double[] hi = new double[dims];
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int ax = 0; ax < dims; ax++) {
                double v = y[i * dims + ax];
                lo[ax] = Math.min(lo[ax], v);
                hi[ax] = Math.max(hi[ax], v);
            }
        }
        for (int ax = 0; ax < dims; ax++) {
            double m = hi[ax];
            hi[ax] = Math.max(m * (1 + 1e-3 * Math.signum(m)), m + 1e-3);
        }
        nodeCount = 1;
        maxDepth = 0;
        ensureCapacity(1);
        buildNode(y, 0, 0, n, lo, hi, 0);
    }

    /**
     * Fills node {@code node} with the points {@code order[from..to)} inside the box {@code [lo, hi)}: one pass
     * over them gathers the coordinate sums, their bounding box (to detect duplicates) and each one's child,
     * a second places them by child (a stable counting sort); then the non-empty children are built.
     */
    private void buildNode(double[] y, int node, int from, int to, double[] lo, double[] hi, int depth) {
        maxDepth = Math.max(maxDepth, depth);
        int base = node * stride;
        int count = to - from;
        double sqWidth = 0;
        double[] centre = new double[dims];
        for (int ax = 0; ax < dims; ax++) {
            double w = hi[ax] - lo[ax];
            sqWidth = Math.max(sqWidth, w * w);
            centre[ax] = (lo[ax] + hi[ax]) / 2;
        }
        data[base + dims] = count;
        data[base + dims + 1] = LEAF;
        firstChild[node] = -1;
        childCount[node] = 0;
        int first = order[from];
        if (count == 1) {
            System.arraycopy(y, first * dims, data, base, dims);
            return;
        }
        double[] sum = new double[dims];
        double[] min = new double[dims];
        double[] max = new double[dims];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        int[] start = new int[nChildren + 1];
        for (int p = from; p < to; p++) {
            int point = order[p];
            int c = 0;
            for (int ax = 0; ax < dims; ax++) {
                double v = y[point * dims + ax];
                sum[ax] += v;
                min[ax] = Math.min(min[ax], v);
                max[ax] = Math.max(max[ax], v);
                c = 2 * c + (v >= centre[ax] ? 1 : 0);
            }
            code[p] = (byte) c;
            start[c + 1]++;
        }
        boolean duplicates = true;
        for (int ax = 0; ax < dims; ax++) {
            double f = y[first * dims + ax];
            duplicates &= max[ax] - f <= DUPLICATE_EPSILON && f - min[ax] <= DUPLICATE_EPSILON;
        }
        if (duplicates) {                      // scikit-learn's duplicate leaf: it sits at its first point
            System.arraycopy(y, first * dims, data, base, dims);
            return;
        }
        for (int ax = 0; ax < dims; ax++) {
            data[base + ax] = sum[ax] / count;
        }
        data[base + dims + 1] = sqWidth;
        int nonEmpty = 0;
        for (int c = 0; c < nChildren; c++) {
            nonEmpty += start[c + 1] > 0 ? 1 : 0;
            start[c + 1] += start[c];
        }
        int[] fill = start.clone();
        for (int p = from; p < to; p++) {
            scratch[from + fill[code[p]]++] = order[p];
        }
        System.arraycopy(scratch, from, order, from, count);

        int child = nodeCount;
        nodeCount += nonEmpty;
        ensureCapacity(nodeCount);
        firstChild[node] = child;
        childCount[node] = nonEmpty;
        double[] childLo = new double[dims];
        double[] childHi = new double[dims];
        for (int c = 0; c < nChildren; c++) {
            if (start[c + 1] == start[c]) {
                continue;
            }
            for (int ax = 0; ax < dims; ax++) {
                boolean upper = ((c >> (dims - 1 - ax)) & 1) == 1;
                childLo[ax] = upper ? centre[ax] : lo[ax];
                childHi[ax] = upper ? hi[ax] : centre[ax];
            }
            buildNode(y, child++, from + start[c], from + start[c + 1], childLo, childHi, depth + 1);
        }
    }

    private void ensureCapacity(int nodes) {
        if (firstChild.length < nodes) {
            int capacity = Math.max(nodes, firstChild.length + (firstChild.length >> 1) + 16);
            firstChild = Arrays.copyOf(firstChild, capacity);
            childCount = Arrays.copyOf(childCount, capacity);
            data = Arrays.copyOf(data, capacity * stride);
        }
    }

    /**
     * The Barnes-Hut repulsion on point {@code i} (scikit-learn's {@code summarize} followed by
     * {@code compute_gradient_negative}). A cell is used as a whole when it is a leaf, or when
     * {@code maxWidth² / d² < θ²} with {@code d} the distance from the point to the cell's barycentre;
     * otherwise its children are visited. A leaf within {@code 10⁻⁶} of the point (the point itself and its
     * duplicates) is skipped. For each cell used, with {@code N} its count, {@code w = (1 + d²/α)^(−(α+1)/2)}
     * the Student-t kernel and {@code t = (1 + d²/α)⁻¹}:
     * <pre>
     *   Z_i   += N·w
     *   F_i   += N·w·t·(y_i − barycentre)        (for α = 1: N·w²·(y_i − b), scikit-learn's form)
     * </pre>
     * Writes {@code F_i} to {@code force[i·dims ..]} and returns {@code Z_i}; the caller divides by
     * {@code Z = Σ_i Z_i}.
     */
    double repulsion(double[] y, int i, double thetaSq, double alpha, double[] force, int[] stack) {
        if (dims == 2 && alpha == 1.0) {
            return repulsion2d(y, i, thetaSq, force, stack);
        }
        double exponent = (alpha + 1) / 2;
        double[] f = new double[dims];
        double z = 0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            int base = node * stride;
            double d2 = 0;
            boolean duplicate = true;
            for (int ax = 0; ax < dims; ax++) {
                double diff = y[i * dims + ax] - data[base + ax];
                d2 += diff * diff;
                duplicate &= Math.abs(diff) <= DUPLICATE_EPSILON;
            }
            int child = firstChild[node];
            if (child < 0 && duplicate) {
                continue;
            }
            if (child < 0 || data[base + dims + 1] < thetaSq * d2) {
                double t = alpha / (alpha + d2);
                double w = alpha == 1.0 ? t : Math.pow(t, exponent);
                double count = data[base + dims];
                z += count * w;
                double mult = count * w * t;
                for (int ax = 0; ax < dims; ax++) {
                    f[ax] += mult * (y[i * dims + ax] - data[base + ax]);
                }
            } else {
                for (int c = child + childCount[node] - 1; c >= child; c--) {   // pushed in reverse: first child first
                    stack[top++] = c;
                }
            }
        }
        System.arraycopy(f, 0, force, i * dims, dims);
        return z;
    }

    /**
     * {@link #repulsion} for the common case, 2-D with α = 1 (stride 4). The stack holds cells to open; the
     * children of an opened cell, consecutive in memory, are judged one after the other (measured 18–20 %
     * faster than pushing every child and judging it when popped, and than a branch-free variant that
     * computes every child's term).
     */
    private double repulsion2d(double[] y, int i, double thetaSq, double[] force, int[] stack) {
        double px = y[2 * i];
        double py = y[2 * i + 1];
        double fx = 0;
        double fy = 0;
        double z = 0;
        double[] data = this.data;
        int[] firstChild = this.firstChild;
        int[] childCount = this.childCount;
        int top = 0;
        if (firstChild[0] < 0) {               // a single leaf holds every point: they are all duplicates
            force[2 * i] = 0;
            force[2 * i + 1] = 0;
            return 0;
        }
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            int first = firstChild[node];
            int end = first + childCount[node];
            for (int c = first; c < end; c++) {
                int base = c << 2;
                double dx = px - data[base];
                double dy = py - data[base + 1];
                double d2 = dx * dx + dy * dy;
                double sqWidth = data[base + 3];
                if (sqWidth >= thetaSq * d2) {                  // too close to summarise: open it (never a leaf)
                    stack[top++] = c;
                } else if (sqWidth != LEAF || Math.abs(dx) > DUPLICATE_EPSILON || Math.abs(dy) > DUPLICATE_EPSILON) {
                    double w = 1.0 / (1.0 + d2);
                    double nw = data[base + 2] * w;
                    z += nw;
                    double mult = nw * w;
                    fx += mult * dx;
                    fy += mult * dy;
                }
            }
        }
        force[2 * i] = fx;
        force[2 * i + 1] = fy;
        return z;
    }
}
