package glassbox.tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jblas.NativeBlas;

/**
 * The native BLAS that {@link Blas} calls, reached through the JDK's Foreign Function &amp; Memory API on the
 * Java arrays themselves: no operand is copied. Part of the facade (only {@code Blas} uses it).
 *
 * <p><b>The call.</b> The Fortran routines {@code sgemm_} and {@code dgemm_}, which both libraries we can
 * use export (jblas's bundled OpenBLAS has no CBLAS): every argument by address. A downcall made with
 * {@link Linker.Option#critical(boolean) critical(true)} may be handed heap segments —
 * {@link MemorySegment#ofArray} over a {@code float[]} — and the JVM passes the array's own address, pinned
 * for the call's duration (the garbage collector waits, which is why only short, non-blocking native calls
 * may be critical: a GEMM is one). The scalars go the same way, from a small {@code int[]} per call.
 *
 * <p><b>Which library</b> ({@code GLASSBOX_BLAS_LIBRARY}, written by the launcher's probe):
 * <ul>
 *   <li>a path: that shared object, e.g. Debian's {@code libopenblas.so.0} (it detects the CPU itself);</li>
 *   <li>{@code jblas}: the OpenBLAS built into jblas's {@code libjblas.so} (2020; on newer CPUs it needs
 *       {@code OPENBLAS_CORETYPE} forced), found among the libraries jblas has loaded;</li>
 *   <li>{@code jblas-jni}: no FFM at all — jblas's JNI calls, which copy every operand (measured, kept as
 *       a path the probe can compare against);</li>
 *   <li>unset: the system OpenBLAS if installed, else jblas's.</li>
 * </ul>
 * A library that cannot be loaded, or lacks the symbol, is reported in one line on standard error naming
 * it and the fallback taken (the next in that list, ending with jblas's JNI calls), never a stack trace.
 */
final class BlasLibrary {
    /**
     * The two routines in BLAS's own terms (column-major, Fortran's argument order), with offsets into the
     * arrays; {@link Blas} does the row-major swap before calling.
     */
    interface Binding {
        void sgemm(char transA, char transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                   float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc);

        void dgemm(char transA, char transB, int m, int n, int k, double alpha, double[] a, int offA, int lda,
                   double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc);

        /** What serves the calls, for the run record: the library's {@link #name()} and how it is called. */
        String description();

        /** The library, e.g. "system OpenBLAS 0.3.21 (…/libopenblasp-r0.3.21.so)". */
        default String name() {
            return description().replaceFirst(" through (FFM|JNI).*$", "");
        }

        /** Whether the library works on the Java arrays themselves (FFM), not on copies (jblas's JNI). */
        boolean copyFree();
    }

    /** The FFM downcalls: operands are heap segments over the Java arrays, passed by address, no copy. */
    private record Ffm(String description, MethodHandle sgemm, MethodHandle dgemm) implements Binding {
        @Override
        public void sgemm(char transA, char transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                          float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
            call(sgemm, transA, transB, m, n, k, MemorySegment.ofArray(new float[] {alpha, beta}),
                    MemorySegment.ofArray(a).asSlice(4L * offA), lda, MemorySegment.ofArray(b).asSlice(4L * offB), ldb,
                    MemorySegment.ofArray(c).asSlice(4L * offC), ldc, 4);
        }

        @Override
        public void dgemm(char transA, char transB, int m, int n, int k, double alpha, double[] a, int offA,
                          int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
            call(dgemm, transA, transB, m, n, k, MemorySegment.ofArray(new double[] {alpha, beta}),
                    MemorySegment.ofArray(a).asSlice(8L * offA), lda, MemorySegment.ofArray(b).asSlice(8L * offB), ldb,
                    MemorySegment.ofArray(c).asSlice(8L * offC), ldc, 8);
        }

        @Override
        public boolean copyFree() {
            return true;
        }
    }

    /** jblas's JNI calls: each array is copied into native memory and the output copied back. */
    private record Jni(String description) implements Binding {
        @Override
        public void sgemm(char transA, char transB, int m, int n, int k, float alpha, float[] a, int offA, int lda,
                          float[] b, int offB, int ldb, float beta, float[] c, int offC, int ldc) {
            NativeBlas.sgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }

        @Override
        public void dgemm(char transA, char transB, int m, int n, int k, double alpha, double[] a, int offA,
                          int lda, double[] b, int offB, int ldb, double beta, double[] c, int offC, int ldc) {
            NativeBlas.dgemm(transA, transB, m, n, k, alpha, a, offA, lda, b, offB, ldb, beta, c, offC, ldc);
        }

        @Override
        public boolean copyFree() {
            return false;
        }
    }

    static final String JBLAS = "jblas";
    static final String JBLAS_JNI = "jblas-jni";
    private static final Pattern VERSION = Pattern.compile("r(\\d+\\.\\d+\\.\\d+)");

    /** {@code xgemm_(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)}: thirteen addresses. */
    private static final FunctionDescriptor GEMM = FunctionDescriptor.ofVoid(
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS);

    private BlasLibrary() {
    }

    /**
     * Binds the library {@code choice} names ({@code GLASSBOX_BLAS_LIBRARY}'s value; null or blank for the
     * default), falling back as the class comment says. {@code loadJblas} loads jblas's native library
     * (needed before its symbols can be found).
     */
    static Binding bind(String choice, Runnable loadJblas) {
        String wanted = choice == null || choice.isBlank() ? null : choice.trim();
        if (JBLAS_JNI.equals(wanted)) {
            return jni();
        }
        List<String> failures = new ArrayList<>();
        if (wanted == null) {
            Optional<Path> system = findSystemOpenBlas();
            if (system.isPresent()) {
                Binding b = tryLibrary(system.get(), failures);
                if (b != null) {
                    return b;
                }
            }
        } else if (!JBLAS.equals(wanted)) {
            Binding b = tryLibrary(Path.of(wanted), failures);
            if (b != null) {
                return b;
            }
            fallback(failures.get(0), "jblas's bundled OpenBLAS through FFM");
            failures.clear();
        }
        Binding bundled = tryJblas(loadJblas, failures);
        if (bundled != null) {
            return bundled;
        }
        fallback(failures.get(failures.size() - 1), "jblas's JNI calls (each operand copied)");
        return jni();
    }

    private static Binding jni() {
        return new Jni("jblas 1.2.5 bundled OpenBLAS through JNI (operands copied)");
    }

    private static void fallback(String problem, String instead) {
        System.err.println("glassbox: " + problem + "; using " + instead + " instead");
    }

    /** {@code sgemm_}/{@code dgemm_} of the shared object at {@code path}, or null with the reason added. */
    static Binding tryLibrary(Path path, List<String> failures) {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(path, Arena.global());
        } catch (IllegalArgumentException | IllegalCallerException e) {
            failures.add("BLAS library " + path + " could not be loaded (" + e.getMessage() + ")");
            return null;
        }
        return bindFrom(lookup, libraryName(path), path.toString(), failures);
    }

    private static Binding tryJblas(Runnable loadJblas, List<String> failures) {
        try {
            loadJblas.run();
        } catch (RuntimeException | LinkageError e) {
            failures.add("jblas's native library could not be loaded (" + e.getMessage() + ")");
            return null;
        }
        // jblas loads libjblas.so with System.load from this class loader, so the loader's lookup sees it.
        return bindFrom(SymbolLookup.loaderLookup(), "jblas 1.2.5 bundled OpenBLAS", "jblas's libjblas.so",
                failures);
    }

    private static Binding bindFrom(SymbolLookup lookup, String name, String where, List<String> failures) {
        Optional<MemorySegment> s = lookup.find("sgemm_");
        Optional<MemorySegment> d = lookup.find("dgemm_");
        if (s.isEmpty() || d.isEmpty()) {
            failures.add("BLAS library " + where + " has no " + (s.isEmpty() ? "sgemm_" : "dgemm_") + " symbol");
            return null;
        }
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(true);
        return new Ffm(name + " through FFM (no copies)", linker.downcallHandle(s.get(), GEMM, critical),
                linker.downcallHandle(d.get(), GEMM, critical));
    }

    /** "system OpenBLAS 0.3.21 (…/libopenblasp-r0.3.21.so)", the version read from the real file name. */
    static String libraryName(Path lib) {
        Path real;
        try {
            real = lib.toRealPath();
        } catch (IOException e) {
            real = lib;
        }
        Matcher v = VERSION.matcher(real.getFileName().toString());
        return "system OpenBLAS" + (v.find() ? " " + v.group(1) : "") + " (" + real + ")";
    }

    /**
     * The system's OpenBLAS, if installed: Debian/Ubuntu put the pthread build (the one to prefer: the
     * OpenMP build would pull libgomp into the JVM) under {@code /usr/lib/<triplet>/openblas-pthread/};
     * Fedora and Arch use plain library directories. {@code GLASSBOX_SYSTEM_OPENBLAS} overrides the search.
     */
    static Optional<Path> findSystemOpenBlas() {
        String override = System.getenv("GLASSBOX_SYSTEM_OPENBLAS");
        if (override != null && !override.isEmpty()) {
            return Files.isReadable(Path.of(override)) ? Optional.of(Path.of(override)) : Optional.empty();
        }
        List<Path> tries = new ArrayList<>();
        for (String variant : new String[] {"openblas-pthread", "openblas-openmp"}) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu*")) {
                for (Path dir : dirs) {
                    tries.add(dir.resolve(variant).resolve("libopenblas.so.0"));
                }
            } catch (IOException | RuntimeException e) {
                // no /usr/lib (not Linux): nothing to find there
            }
        }
        tries.add(Path.of("/usr/lib64/libopenblasp.so.0"));
        tries.add(Path.of("/usr/lib64/libopenblas.so.0"));
        tries.add(Path.of("/usr/lib/libopenblas.so.0"));
        return tries.stream().filter(Files::isReadable).findFirst();
    }

    /**
     * One downcall of {@code gemm} ({@code sgemm_} or {@code dgemm_}); {@code scalars} holds alpha then beta,
     * each {@code bytes} long; {@code a}, {@code b}, {@code c} start at the first element used.
     */
    private static void call(MethodHandle gemm, char transA, char transB, int m, int n, int k,
                             MemorySegment scalars, MemorySegment a, int lda, MemorySegment b, int ldb,
                             MemorySegment c, int ldc, int bytes) {
        // The by-address integers: transa and transb (a byte each, Fortran CHARACTER*1), then six INTEGERs.
        MemorySegment s = MemorySegment.ofArray(new int[] {transA | transB << 8, m, n, k, lda, ldb, ldc});
        try {
            gemm.invokeExact(s, s.asSlice(1), s.asSlice(4), s.asSlice(8), s.asSlice(12), scalars, a,
                    s.asSlice(16), b, s.asSlice(20), scalars.asSlice(bytes), c, s.asSlice(24));
        } catch (Throwable t) {
            throw new IllegalStateException("native BLAS call failed: " + t, t);
        }
    }
}
