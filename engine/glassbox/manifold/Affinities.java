package glassbox.manifold;

import glassbox.util.Parallel;

/**
 * The input-space similarities of t-SNE: each point's conditional distribution {@code p_j|i}, calibrated to
 * a perplexity, then symmetrised into the joint distribution {@code P}.
 *
 * <pre>
 *   p_j|i = exp(−β_i·d²_ij) / Σ_{l≠i} exp(−β_i·d²_il)      d²: squared Euclidean distance
 *   β_i   chosen so that H(P_i) = −Σ_j p_j|i·ln p_j|i = ln(perplexity)     (nats)
 *   P     = (P_cond + P_condᵀ) / Σ (P_cond + P_condᵀ)                        (so Σ_ij p_ij = 1)
 * </pre>
 *
 * <p>β_i (the precision {@code 1/(2σ_i²)}) is found by bisection, exactly as scikit-learn's
 * {@code _utils._binary_search_perplexity}: start at β = 1, at most 100 steps, stop when the entropy is
 * within 1e-5 nats of {@code ln(perplexity)}; double β while it is unbounded above, halve it while unbounded
 * below, otherwise bisect. The entropy is computed as {@code ln Σ + β·Σ_j d²_ij·p_j|i} (the log-sum form, no
 * log of each p). Where scikit-learn casts the squared distances to float32 first, glassbox keeps them in
 * double.
 *
 * <p>Barnes-Hut t-SNE (van der Maaten 2014, §4.1) restricts {@code p_j|i} to the {@code k = ⌊3·perplexity⌋+1}
 * nearest neighbours of {@code i}, which makes {@code P} sparse: at most {@code 2k} entries per row
 * ({@link #jointNearestNeighbors}, scikit-learn's {@code _joint_probabilities_nn}). The exact method uses every
 * pair ({@link #jointDense}, scikit-learn's {@code _joint_probabilities}, which also clamps every entry to at
 * least machine epsilon).
 */
final class Affinities {
    /** scikit-learn's {@code PERPLEXITY_TOLERANCE}: the entropy target's tolerance in nats. */
    static final double PERPLEXITY_TOLERANCE = 1e-5;
    /** scikit-learn's {@code n_steps}: the bisection's step budget per point. */
    static final int MAX_STEPS = 100;
    /** scikit-learn's {@code EPSILON_DBL}: replaces a zero normaliser (all neighbours infinitely far at β). */
    static final double EPSILON_DBL = 1e-8;
    /** NumPy's {@code finfo(double).eps}, scikit-learn's {@code MACHINE_EPSILON}. */
    static final double MACHINE_EPSILON = Math.ulp(1.0);

    private Affinities() {
    }

    /**
     * The sparse, symmetric joint probabilities in CSR form: row {@code i}'s entries are
     * {@code values[indptr[i] .. indptr[i+1])} at columns {@code indices[...]} (ascending). Memory is linear in
     * {@code n}: at most {@code 2·k·n} entries.
     */
    record SparseP(int n, int[] indptr, int[] indices, double[] values) {
        int nnz() {
            return indptr[n];
        }

        /** The dense {@code n×n} matrix (for tests and the exact oracle on small {@code n}). */
        double[] toDense() {
            double[] dense = new double[n * n];
            for (int i = 0; i < n; i++) {
                for (int e = indptr[i]; e < indptr[i + 1]; e++) {
                    dense[i * n + indices[e]] = values[e];
                }
            }
            return dense;
        }
    }

    /**
     * Calibrates each row's conditional distribution in place. {@code sqDistances} is row-major
     * {@code n×m}: the squared distances from point {@code i} to its {@code m} candidates (its neighbours, or
     * all {@code n} points when {@code selfColumn} is true, where column {@code i} is the point itself and gets
     * probability 0). Returns {@code p_j|i} in the same layout; each row sums to 1.
     */
    static double[] conditional(double[] sqDistances, int n, int m, boolean selfColumn, double perplexity) {
        double[] p = new double[n * m];
        double desiredEntropy = Math.log(perplexity);
        Parallel.forEach(n, 20L * m, i -> calibrateRow(sqDistances, p, i * m, m, selfColumn ? i : -1, desiredEntropy));
        return p;
    }

    /** The bisection on β for one row: writes {@code p[base .. base+m)}, skipping column {@code self}. */
    private static void calibrateRow(double[] d2, double[] p, int base, int m, int self, double desiredEntropy) {
        double betaMin = Double.NEGATIVE_INFINITY;
        double betaMax = Double.POSITIVE_INFINITY;
        double beta = 1.0;
        for (int step = 0; step < MAX_STEPS; step++) {
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double v = j == self ? 0.0 : Math.exp(-d2[base + j] * beta);
                p[base + j] = v;
                sum += v;
            }
            if (sum == 0.0) {
                sum = EPSILON_DBL;
            }
            double sumDistP = 0;
            for (int j = 0; j < m; j++) {
                p[base + j] /= sum;
                sumDistP += d2[base + j] * p[base + j];
            }
            double entropyDiff = Math.log(sum) + beta * sumDistP - desiredEntropy;
            if (Math.abs(entropyDiff) <= PERPLEXITY_TOLERANCE) {
                break;
            }
            if (entropyDiff > 0) {           // too flat: sharpen (raise β)
                betaMin = beta;
                beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2.0 : (beta + betaMax) / 2.0;
            } else {                         // too peaked: widen (lower β)
                betaMax = beta;
                beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2.0 : (beta + betaMin) / 2.0;
            }
        }
    }

    /**
     * Barnes-Hut's sparse {@code P}: {@code neighbors} ({@code n×k}, row-major) are each point's {@code k}
     * nearest neighbours (itself excluded) and {@code sqDistances} their squared distances. Calibrates
     * {@code p_j|i} over the neighbours, then returns {@code (P_cond + P_condᵀ) / max(sum, ε)}.
     */
    static SparseP jointNearestNeighbors(int[] neighbors, double[] sqDistances, int n, int k, double perplexity) {
        double[] cond = conditional(sqDistances, n, k, false, perplexity);
        // Transpose pattern: for each column j, the rows i that list j, in ascending i (CSR of P_condᵀ).
        int[] tPtr = new int[n + 1];
        for (int e = 0; e < n * k; e++) {
            tPtr[neighbors[e] + 1]++;
        }
        for (int j = 0; j < n; j++) {
            tPtr[j + 1] += tPtr[j];
        }
        int[] tRows = new int[n * k];
        double[] tVals = new double[n * k];
        int[] fill = tPtr.clone();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                int j = neighbors[i * k + c];
                tRows[fill[j]] = i;
                tVals[fill[j]++] = cond[i * k + c];
            }
        }
        // Row i of P_cond, sorted by column, merged with row i of P_condᵀ (already ascending).
        int[] order = new int[n * k];
        int[] ptr = new int[n + 1];
        int[] rowNnz = new int[n];
        Parallel.forEach(n, 8L * k, i -> {
            sortRowByColumn(neighbors, order, i * k, k);
            rowNnz[i] = mergeRow(neighbors, cond, order, i * k, k, tRows, tVals, tPtr[i], tPtr[i + 1], null, null, 0);
        });
        for (int i = 0; i < n; i++) {
            ptr[i + 1] = ptr[i] + rowNnz[i];
        }
        int[] indices = new int[ptr[n]];
        double[] values = new double[ptr[n]];
        Parallel.forEach(n, 8L * k, i -> mergeRow(neighbors, cond, order, i * k, k, tRows, tVals, tPtr[i], tPtr[i + 1],
                indices, values, ptr[i]));
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double norm = Math.max(sum, MACHINE_EPSILON);
        for (int e = 0; e < values.length; e++) {
            values[e] /= norm;
        }
        return new SparseP(n, ptr, indices, values);
    }

    /** {@code order[base .. base+k)} = the positions {@code base + c} sorted by {@code neighbors[base + c]}. */
    private static void sortRowByColumn(int[] neighbors, int[] order, int base, int k) {
        for (int c = 0; c < k; c++) {
            int pos = base + c;
            int col = neighbors[pos];
            int at = c;
            while (at > 0 && neighbors[order[base + at - 1]] > col) {   // insertion sort: k is small (≈ 91)
                order[base + at] = order[base + at - 1];
                at--;
            }
            order[base + at] = pos;
        }
    }

    /**
     * Merges row {@code i} of {@code P_cond} (positions {@code order[base..base+k)}) with row {@code i} of
     * {@code P_condᵀ} ({@code tRows/tVals[from..to)}), summing entries with the same column; writes them
     * at {@code out} when {@code indices} is non-null. Returns the number of merged entries.
     */
    private static int mergeRow(int[] neighbors, double[] cond, int[] order, int base, int k,
                                int[] tRows, double[] tVals, int from, int to,
                                int[] indices, double[] values, int out) {
        int a = 0;
        int b = from;
        int count = 0;
        while (a < k || b < to) {
            int colA = a < k ? neighbors[order[base + a]] : Integer.MAX_VALUE;
            int colB = b < to ? tRows[b] : Integer.MAX_VALUE;
            int col = Math.min(colA, colB);
            double v = 0;
            if (colA == col) {
                v += cond[order[base + a++]];
            }
            if (colB == col) {
                v += tVals[b++];
            }
            if (indices != null) {
                indices[out + count] = col;
                values[out + count] = v;
            }
            count++;
        }
        return count;
    }

    /**
     * The exact method's dense {@code P} ({@code n×n}, row-major) from all squared distances:
     * {@code max((P_cond + P_condᵀ) / max(sum, ε), ε)} off the diagonal, as scikit-learn's
     * {@code _joint_probabilities}; the diagonal is 0 (scikit-learn's condensed form has no diagonal).
     */
    static double[] jointDense(double[] sqDistances, int n, double perplexity) {
        double[] cond = conditional(sqDistances, n, n, true, perplexity);
        double[] p = new double[n * n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double v = cond[i * n + j] + cond[j * n + i];
                    p[i * n + j] = v;
                    sum += v;
                }
            }
        }
        double norm = Math.max(sum, MACHINE_EPSILON);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    p[i * n + j] = Math.max(p[i * n + j] / norm, MACHINE_EPSILON);
                }
            }
        }
        return p;
    }
}
