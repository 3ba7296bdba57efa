package glassbox.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

/**
 * The BLAS facade against a naive double-precision triple loop.
 *
 * <p>The facade's one piece of cleverness is the row-major → column-major swap ({@code C = A·B} row-major
 * is {@code Cᵀ = Bᵀ·Aᵀ} column-major). A wrong swap still gives the right answer for square matrices and
 * for some flag combinations (jblas's own comment on storage order is wrong: jblas #63), so every test
 * uses non-square shapes, all four transpose combinations, leading dimensions larger than the row length
 * (padding that must be neither read nor written), and alpha/beta other than 1/0.
 */
class BlasTest {
    /** Marks padding cells: a product that reads them goes wrong, one that writes them is caught. */
    private static final float PAD = 1e6f;

    /** A row-major {@code rows×cols} matrix with leading dimension {@code ld}, padding filled with PAD. */
    private static float[] paddedFloats(int rows, int cols, int ld, Rng rng) {
        float[] x = new float[Math.max(0, rows * ld)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ld; j++) {
                x[i * ld + j] = j < cols ? (float) rng.uniform(-1, 1) : PAD;
            }
        }
        return x;
    }

    private static double[] paddedDoubles(int rows, int cols, int ld, Rng rng) {
        double[] x = new double[Math.max(0, rows * ld)];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ld; j++) {
                x[i * ld + j] = j < cols ? rng.uniform(-1, 1) : PAD;
            }
        }
        return x;
    }

    /** Checks sgemm on one shape and flag pair against {@code alpha·Σ_p op(A)[i,p]·op(B)[p,j] + beta·C₀[i,j]}. */
    private static void checkSgemm(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta) {
        Rng rng = new Rng(31L * m + 7L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        int lda = (transA ? m : k) + 2;
        int ldb = (transB ? k : n) + 3;
        int ldc = n + 1;
        float[] a = paddedFloats(transA ? k : m, transA ? m : k, lda, rng);
        float[] b = paddedFloats(transB ? n : k, transB ? k : n, ldb, rng);
        float[] c = paddedFloats(m, n, ldc, rng);
        float[] c0 = c.clone();

        Blas.sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        String where = String.format("sgemm(transA=%b, transB=%b, m=%d, n=%d, k=%d)", transA, transB, m, n, k);
        double u = Math.ulp(1f) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                if (j >= n) {
                    assertEquals(PAD, c[i * ldc + j], where + " wrote into C's padding at row " + i);
                    continue;
                }
                double sum = ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j);
                double abs = ReferenceGemm.absEntry(transA, transB, k, a, lda, b, ldb, i, j);
                double expected = alpha * sum + beta * c0[i * ldc + j];
                // Worst-case float rounding of a length-k sum plus the alpha and beta terms, doubled.
                double tolerance = 2 * (k + 2) * u * (Math.abs(alpha) * abs + Math.abs(beta * c0[i * ldc + j]));
                assertEquals(expected, c[i * ldc + j], tolerance + 1e-30, where + " at C[" + i + "," + j + "]");
            }
        }
    }

    private static void checkDgemm(int m, int n, int k, boolean transA, boolean transB, double alpha, double beta) {
        Rng rng = new Rng(17L * m + 5L * n + k + (transA ? 1000 : 0) + (transB ? 2000 : 0));
        int lda = (transA ? m : k) + 1;
        int ldb = (transB ? k : n) + 2;
        int ldc = n + 3;
        double[] a = paddedDoubles(transA ? k : m, transA ? m : k, lda, rng);
        double[] b = paddedDoubles(transB ? n : k, transB ? k : n, ldb, rng);
        double[] c = paddedDoubles(m, n, ldc, rng);
        double[] c0 = c.clone();

        Blas.dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        String where = String.format("dgemm(transA=%b, transB=%b, m=%d, n=%d, k=%d)", transA, transB, m, n, k);
        double u = Math.ulp(1.0) / 2;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                if (j >= n) {
                    assertEquals(PAD, c[i * ldc + j], where + " wrote into C's padding at row " + i);
                    continue;
                }
                double sum = ReferenceGemm.entry(transA, transB, k, a, lda, b, ldb, i, j);
                double abs = ReferenceGemm.absEntry(transA, transB, k, a, lda, b, ldb, i, j);
                double expected = alpha * sum + beta * c0[i * ldc + j];
                // Both the reference and BLAS round in double here, so allow both errors.
                double tolerance = 4 * (k + 2) * u * (Math.abs(alpha) * abs + Math.abs(beta * c0[i * ldc + j]));
                assertEquals(expected, c[i * ldc + j], tolerance + 1e-300, where + " at C[" + i + "," + j + "]");
            }
        }
    }

    @Test
    void sgemmMatchesNaiveProductForEveryTransposeCombination() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkSgemm(3, 5, 7, transA, transB, 1f, 0f);
            }
        }
    }

    @Test
    void sgemmScalesByAlphaAndAccumulatesBetaTimesC() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkSgemm(3, 5, 7, transA, transB, 1.5f, -0.75f);
                checkSgemm(4, 2, 9, transA, transB, -2f, 1f);
            }
        }
    }

    /** Shapes large enough that OpenBLAS takes its blocked, packed (and threaded) code paths. */
    @Test
    void sgemmMatchesNaiveProductOnLargerShapesAndTheMlpBackwardShape() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkSgemm(67, 45, 131, transA, transB, 0.5f, 2f);
            }
        }
        checkSgemm(784, 128, 32, true, false, 1f, 1f); // dW += xᵀ·dOut of an MLP's first layer, batch 32
    }

    @Test
    void sgemmHandlesOneByOneAndVectorShapes() {
        checkSgemm(1, 1, 1, false, false, 2f, 0f);
        checkSgemm(1, 9, 4, false, true, 1f, 0f);  // a row vector times a matrix
        checkSgemm(6, 1, 5, true, false, 1f, 0.5f); // a matrix times a column vector
    }

    @Test
    void dgemmMatchesNaiveProductForEveryTransposeCombination() {
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                checkDgemm(3, 5, 7, transA, transB, 1.0, 0.0);
                checkDgemm(5, 3, 11, transA, transB, -0.5, 1.25);
                checkDgemm(41, 29, 73, transA, transB, 1.0, 1.0);
            }
        }
    }

    @Test
    void zeroInnerDimensionScalesCByBetaOnly() {
        float[] c = {1f, 2f, 3f, PAD, 4f, 5f, 6f, PAD};
        // A is 2×0 (lda 1: BLAS asks for lda ≥ max(1, k)) and B is 0×3; neither is read.
        Blas.sgemm(false, false, 2, 3, 0, 7f, new float[1], 1, new float[0], 3, 0.5f, c, 4);
        assertEquals(0.5f, c[0]);
        assertEquals(3f, c[6]);
        assertEquals(PAD, c[3], "padding of C must stay untouched");

        double[] d = {1, 2, 3, 4};
        Blas.dgemm(true, true, 2, 2, 0, 7.0, new double[0], 2, new double[1], 1, -1.0, d, 2);
        assertEquals(-4.0, d[3]);

        float[] z = {1f, 2f};
        Blas.sgemm(false, false, 1, 2, 0, 1f, new float[0], 1, new float[0], 2, 0f, z, 2);
        assertEquals(0f, z[0], "beta = 0 zeroes C, as BLAS does");
    }

    @Test
    void emptyOutputIsANoOp() {
        float[] b = {1f, 2f};
        Blas.sgemm(false, false, 0, 2, 1, 1f, new float[0], 1, b, 2, 0f, new float[0], 2);
        float[] c = {5f};
        Blas.sgemm(false, false, 1, 0, 3, 1f, new float[3], 3, new float[3], 1, 0f, c, 1);
        assertEquals(5f, c[0]);
    }

    @Test
    void shortOperandIsReportedByNameShapeAndSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Blas.sgemm(false, false, 3, 5, 7, 1f, new float[20], 7, new float[35], 5, 0f, new float[15], 5));
        assertEquals("A is 3×7 with leading dimension 7 and needs 21 elements, but its array has 20", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () ->
                Blas.sgemm(false, true, 3, 5, 7, 1f, new float[21], 7, new float[34], 7, 0f, new float[15], 5));
        assertEquals("B is 5×7 with leading dimension 7 and needs 35 elements, but its array has 34", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () ->
                Blas.dgemm(false, false, 3, 5, 7, 1, new double[21], 7, new double[35], 5, 0, new double[14], 5));
        assertEquals("C is 3×5 with leading dimension 5 and needs 15 elements, but its array has 14", e.getMessage());
    }

    @Test
    void leadingDimensionShorterThanARowIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Blas.sgemm(true, false, 3, 5, 7, 1f, new float[21], 2, new float[35], 5, 0f, new float[15], 5));
        assertEquals("leading dimension of A is 2 but it must be at least its row length 3", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () ->
                Blas.dgemm(false, false, 3, 5, 7, 1, new double[21], 7, new double[35], 4, 0, new double[15], 5));
        assertTrue(e.getMessage().startsWith("leading dimension of B is 4"), e.getMessage());
    }

    @Test
    void matmulComputesTheProductOfTensorsWithTransposes() {
        Rng rng = new Rng(5);
        // op(A) is 3×4, op(B) is 4×2, stored transposed where asked.
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                Tensor a = Tensor.zeros(transA ? 4 : 3, transA ? 3 : 4);
                Tensor b = Tensor.zeros(transB ? 2 : 4, transB ? 4 : 2);
                for (int i = 0; i < a.size(); i++) {
                    a.data()[i] = (float) rng.uniform(-1, 1);
                }
                for (int i = 0; i < b.size(); i++) {
                    b.data()[i] = (float) rng.uniform(-1, 1);
                }
                Tensor c = Tensor.zeros(3, 2);
                Blas.matmul(a, transA, b, transB, c);
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 2; j++) {
                        double sum = 0;
                        for (int p = 0; p < 4; p++) {
                            sum += (double) (transA ? a.data()[p * 3 + i] : a.data()[i * 4 + p])
                                    * (transB ? b.data()[j * 4 + p] : b.data()[p * 2 + j]);
                        }
                        assertEquals(sum, c.data()[i * 2 + j], 1e-5,
                                "matmul(transA=" + transA + ", transB=" + transB + ") at C[" + i + "," + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void matmulShapeMismatchNamesEveryShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Blas.matmul(Tensor.zeros(3, 7), false, Tensor.zeros(6, 5), false, Tensor.zeros(3, 5)));
        assertEquals("matmul shape mismatch: op(A) is 3×7, op(B) is 6×5, C is 3×5 (expected 3×5)", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () ->
                Blas.matmul(Tensor.zeros(7, 3), true, Tensor.zeros(5, 7), true, Tensor.zeros(5, 3)));
        assertEquals("matmul shape mismatch: op(A) is 3×7, op(B) is 7×5, C is 5×3 (expected 3×5)", e.getMessage());
    }

    @Test
    void matmulRejectsTensorsThatAreNotMatrices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Blas.matmul(Tensor.zeros(2, 3, 4), false, Tensor.zeros(4, 5), false, Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().startsWith("matmul needs 2-D tensors"), e.getMessage());
        assertTrue(e.getMessage().contains(Tensor.shapeString(new int[] {2, 3, 4})), e.getMessage());
    }

    @Test
    void dsyevdReturnsOrthonormalEigenvectorsAsRowsWithAscendingEigenvalues() {
        int n = 7;
        Rng rng = new Rng(11);
        double[] sym = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.uniform(-1, 1);
                sym[i * n + j] = v;
                sym[j * n + i] = v;
            }
        }
        double[] a = sym.clone();
        double[] w = new double[n];
        Blas.dsyevd(n, a, w);
        for (int j = 0; j < n; j++) {
            if (j > 0) {
                assertTrue(w[j - 1] <= w[j], "eigenvalues ascending: " + w[j - 1] + " then " + w[j]);
            }
            for (int i = 0; i < n; i++) { // (A·v_j)_i = w_j·v_j[i], v_j being row j
                double av = 0;
                for (int p = 0; p < n; p++) {
                    av += sym[i * n + p] * a[j * n + p];
                }
                assertEquals(w[j] * a[j * n + i], av, 1e-12, "A·v = λ·v for eigenpair " + j + ", entry " + i);
            }
            for (int k = 0; k < n; k++) {
                double dot = 0;
                for (int p = 0; p < n; p++) {
                    dot += a[j * n + p] * a[k * n + p];
                }
                assertEquals(j == k ? 1 : 0, dot, 1e-12, "rows " + j + " and " + k + " orthonormal");
            }
        }
        double trace = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            trace += sym[i * n + i];
            sum += w[i];
        }
        assertEquals(trace, sum, 1e-12, "eigenvalues sum to the trace");
        assertThrows(IllegalArgumentException.class, () -> Blas.dsyevd(3, new double[8], new double[3]));
        assertThrows(IllegalArgumentException.class, () -> Blas.dsyevd(3, new double[9], new double[2]));
    }

    @Test
    void orthonormalizeRowsSpansTheSameGrowingSubspaces() {
        int rows = 3;
        int cols = 8;
        Rng rng = new Rng(12);
        double[] original = new double[rows * cols];
        for (int i = 0; i < original.length; i++) {
            original[i] = rng.uniform(-1, 1);
        }
        double[] q = original.clone();
        Blas.orthonormalizeRows(rows, cols, q);
        for (int j = 0; j < rows; j++) {
            for (int k = 0; k < rows; k++) {
                double dot = 0;
                for (int p = 0; p < cols; p++) {
                    dot += q[j * cols + p] * q[k * cols + p];
                }
                assertEquals(j == k ? 1 : 0, dot, 1e-12, "rows " + j + " and " + k + " orthonormal");
            }
            // row j of the input lies in the span of output rows 0…j: projecting on them gives it back
            for (int p = 0; p < cols; p++) {
                double rebuilt = 0;
                for (int k = 0; k <= j; k++) {
                    double coef = 0;
                    for (int c = 0; c < cols; c++) {
                        coef += original[j * cols + c] * q[k * cols + c];
                    }
                    rebuilt += coef * q[k * cols + p];
                }
                assertEquals(original[j * cols + p], rebuilt, 1e-12, "row " + j + " in span of q_0…q_" + j);
            }
        }
        double[] dependent = {1, 2, 3, 2, 4, 6}; // second row = 2 × first: Q must still be orthonormal
        Blas.orthonormalizeRows(2, 3, dependent);
        double dot = 0;
        double norm1 = 0;
        for (int p = 0; p < 3; p++) {
            dot += dependent[p] * dependent[3 + p];
            norm1 += dependent[3 + p] * dependent[3 + p];
        }
        assertEquals(0, dot, 1e-12);
        assertEquals(1, norm1, 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Blas.orthonormalizeRows(4, 3, new double[12]));
    }
}
