package glassbox.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import glassbox.util.Rng;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The native libraries behind the facade, each bound directly: the copy-free FFM calls into the system
 * OpenBLAS and into jblas's bundled one, and jblas's JNI calls, all against the naive double-precision
 * reference — in BLAS's own column-major terms, with odd sizes, every transpose pair, padded leading
 * dimensions and operands that start at an offset into their arrays (as the facade's bands use them).
 * Then what happens when a library is missing or is not a BLAS: one line naming it and the fallback.
 */
class BlasLibraryTest {
    private static final float PAD = 1e6f;

    private static List<BlasLibrary.Binding> bindings() {
        List<BlasLibrary.Binding> list = new ArrayList<>();
        BlasLibrary.findSystemOpenBlas().ifPresent(p -> list.add(BlasLibrary.tryLibrary(p, new ArrayList<>())));
        list.add(BlasLibrary.bind(BlasLibrary.JBLAS, Blas::ensureLoaded));
        list.add(BlasLibrary.bind(BlasLibrary.JBLAS_JNI, Blas::ensureLoaded));
        return list;
    }

    /**
     * Column-major {@code C(m×n) = alpha·op(A)·op(B) + beta·C}, each operand at an offset into an array whose
     * padding (before the offset and past each column's rows) must come back untouched.
     */
    private static void checkSgemm(BlasLibrary.Binding lib, int m, int n, int k, boolean transA, boolean transB) {
        Rng rng = new Rng(31L * m + 7L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        int aRows = transA ? k : m; // column-major: A is aRows × aCols, column j at offA + j·lda
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aRows + 3;
        int ldb = bRows + 1;
        int ldc = m + 2;
        int offA = 5;
        int offB = 11;
        int offC = 7;
        float[] a = padded(offA, aRows, aCols, lda, rng);
        float[] b = padded(offB, bRows, bCols, ldb, rng);
        float[] c = padded(offC, m, n, ldc, rng);
        float[] c0 = c.clone();
        float alpha = 0.5f;
        float beta = -1.25f;
        lib.sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        String where = lib.description() + String.format(" m=%d n=%d k=%d %s%s", m, n, k, transA ? "T" : "N",
                transB ? "T" : "N");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[offA + i * lda + p] : a[offA + p * lda + i];
                    double y = transB ? b[offB + p * ldb + j] : b[offB + j * ldb + p];
                    sum += x * y;
                    abs += Math.abs(x * y);
                }
                int at = offC + j * ldc + i;
                double expected = alpha * sum + beta * c0[at];
                double bound = 2 * (k + 2) * Math.ulp(1f) * (alpha * abs + Math.abs(beta * c0[at])) + 1e-30;
                assertEquals(expected, c[at], bound, where + " at C[" + i + "," + j + "]");
            }
        }
        for (int i = 0; i < c.length; i++) {
            boolean inside = i >= offC && (i - offC) % ldc < m && (i - offC) / ldc < n;
            if (!inside) {
                assertEquals(c0[i], c[i], where + ": element " + i + " outside C was written");
            }
        }
    }

    private static float[] padded(int offset, int rows, int cols, int ld, Rng rng) {
        float[] x = new float[offset + cols * ld + 4];
        java.util.Arrays.fill(x, PAD);
        for (int j = 0; j < cols; j++) {
            for (int i = 0; i < rows; i++) {
                x[offset + j * ld + i] = (float) rng.uniform(-1, 1);
            }
        }
        return x;
    }

    @Test
    void everyLibraryComputesTheProductOnOddTransposedAndOffsetOperands() {
        for (BlasLibrary.Binding lib : bindings()) {
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    checkSgemm(lib, 37, 53, 29, transA, transB);
                    checkSgemm(lib, 1, 7, 300, transA, transB);
                    checkSgemm(lib, 130, 3, 1, transA, transB);
                }
            }
            checkSgemm(lib, 128, 32, 784, false, false); // the MLP's forward, in BLAS's terms
        }
    }

    @Test
    void everyLibraryComputesTheDoubleProductAtAnOffset() {
        for (BlasLibrary.Binding lib : bindings()) {
            Rng rng = new Rng(3);
            int m = 23;
            int n = 17;
            int k = 41;
            double[] a = new double[3 + k * m];
            double[] b = new double[2 + n * k];
            double[] c = new double[1 + m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.uniform(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = rng.uniform(-1, 1);
            }
            // C = Aᵀ·B with A stored k×m (column-major, lda = k), B k×n (ldb = k)
            lib.dgemm('T', 'N', m, n, k, 1.0, a, 3, k, b, 2, k, 0.0, c, 1, m);
            assertEquals(0.0, c[0], lib.description() + ": element before C written");
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = 0;
                    for (int p = 0; p < k; p++) {
                        expected += a[3 + i * k + p] * b[2 + j * k + p];
                    }
                    assertEquals(expected, c[1 + j * m + i], 1e-12, lib.description() + " C[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void theFfmPathsAreCopyFreeAndSaySo() {
        List<BlasLibrary.Binding> all = bindings();
        for (BlasLibrary.Binding lib : all.subList(0, all.size() - 1)) {
            assertTrue(lib.copyFree(), lib.description());
            assertTrue(lib.description().contains("FFM"), lib.description());
        }
        BlasLibrary.Binding jni = all.get(all.size() - 1);
        assertFalse(jni.copyFree());
        assertTrue(jni.description().contains("JNI"), jni.description());
    }

    @Test
    void aLibraryThatCannotBeLoadedIsNamedInOneLineWithTheFallback() {
        String err = stderrOf(() -> {
            BlasLibrary.Binding b = BlasLibrary.bind("/no/such/libopenblas.so.0", Blas::ensureLoaded);
            assertTrue(b.copyFree(), "falls back to jblas's bundled OpenBLAS through FFM: " + b.description());
        });
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("/no/such/libopenblas.so.0") && err.contains("could not be loaded")
                && err.contains("using jblas's bundled OpenBLAS through FFM instead"), err);
    }

    @Test
    void aLibraryWithoutTheSymbolIsNamedInOneLineWithTheFallback() throws Exception {
        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6");
        assumeTrue(Files.exists(libm), "needs a shared library that is not a BLAS; libm is one on Debian");
        List<String> failures = new ArrayList<>();
        assertNull(BlasLibrary.tryLibrary(libm, failures));
        assertEquals(List.of("BLAS library " + libm + " has no sgemm_ symbol"), failures);
        String err = stderrOf(() -> assertNotNull(BlasLibrary.bind(libm.toString(), Blas::ensureLoaded)));
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.contains("has no sgemm_ symbol; using jblas's bundled OpenBLAS through FFM instead"), err);
    }

    @Test
    void jniIsBoundWhenAskedForWithoutAWord() {
        String err = stderrOf(() -> assertFalse(BlasLibrary.bind(BlasLibrary.JBLAS_JNI, Blas::ensureLoaded).copyFree()));
        assertEquals("", err);
    }

    private static String stderrOf(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
