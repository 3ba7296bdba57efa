package glassbox.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The GEMM rungs in ladder order, from the textbook loop to the BLAS facade: what {@code ./glassbox bench gemm}
 * measures and the tests check against BLAS.
 *
 * <p>The Vector API rungs ({@code glassbox.kernels.vector.VectorGemm}, compiled from the separate source root
 * {@code kernels-vector/}) need the incubator module {@code jdk.incubator.vector}, which a JVM has only when
 * started with {@code --add-modules jdk.incubator.vector}. They are loaded by name, and only when the
 * module is present, so nothing else in glassbox needs that flag (the benchmark's JMH fork and the tests pass
 * it; {@code ./glassbox run} does not).
 */
public final class GemmLadder {
    static final String VECTOR_GEMM = "glassbox.kernels.vector.VectorGemm";

    private GemmLadder() {
    }

    /** Whether this JVM was started with the Vector API ({@code --add-modules jdk.incubator.vector}). */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Every rung, in order: naive ijk, ikj, blocked, packed, packed on every core, then (with the Vector API)
     * the Vector API micro-kernel on one thread and on every core, and last the BLAS facade.
     */
    public static List<Gemm> rungs() {
        List<Gemm> rungs = new ArrayList<>(List.of(new NaiveGemm(), new IkjGemm(), new BlockedGemm(),
                new PackedGemm(), new ParallelGemm()));
        if (vectorApiAvailable()) {
            rungs.add(vectorGemm(false));
            rungs.add(vectorGemm(true));
        }
        rungs.add(new BlasGemm());
        return rungs;
    }

    /** The Vector API rung, on one thread or every core; an {@link IllegalStateException} without the module. */
    public static Gemm vectorGemm(boolean parallel) {
        if (!vectorApiAvailable()) {
            throw new IllegalStateException("the Vector API rung needs the JVM option --add-modules"
                    + " jdk.incubator.vector (still an incubator module in Java 25)");
        }
        try {
            return (Gemm) Class.forName(VECTOR_GEMM).getConstructor(boolean.class).newInstance(parallel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load " + VECTOR_GEMM + " (is kernels-vector/ compiled?): " + e, e);
        }
    }
}
