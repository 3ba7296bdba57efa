package glassbox;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import glassbox.tensor.Blas;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of DESIGN.md, checked on the compiled main classes (tests are not imported: they may
 * build whatever fixtures they need).
 *
 * <p>Each rule was seen to fail once, on purpose: a throw-away class in a temporary package that broke it
 * (importing jblas, importing an experiment, a tensor class using {@code glassbox.nn}, a call to
 * {@code Math.random()} and {@code new Random()}, {@code WeightIO} reading {@code Layers.CLASS_NAMES}) made the
 * matching test fail with that class named, and was then deleted.
 */
class ArchitectureTest {
    private static final String EXPERIMENTS = "glassbox.experiments..";
    private static final String BENCHMARKS = "glassbox.bench..";
    /** The launcher's commands around the engine: gradcheck, shell. */
    private static final String TOOLS = "glassbox.tools..";
    private static final String BOARD = "glassbox.board..";

    /**
     * Native BLAS is reached through one door — {@code Blas} and the library binding beside it — so storage
     * order, native loading and the FFM downcalls are handled in one place.
     */
    static final ArchRule ONLY_THE_BLAS_FACADE_IMPORTS_JBLAS_OR_FFM = noClasses()
            .that(not(HasName.Predicates.nameMatching("glassbox\\.tensor\\.Blas(Library)?(\\$.*)?")))
            .and().resideOutsideOfPackage(BENCHMARKS)
            .should().dependOnClassesThat().resideInAPackage("org.jblas..")
            .orShould().dependOnClassesThat().resideInAPackage("java.lang.foreign..")
            .because("jblas and the FFM API are imported only by glassbox.tensor.Blas and BlasLibrary"
                    + " (benchmarks may call jblas to measure it)");

    /** Dependencies point one way: experiments, benchmarks and tools use the engine, never the reverse. */
    static final ArchRule ENGINE_KNOWS_NO_EXPERIMENT_OR_BENCHMARK = noClasses()
            .that().resideOutsideOfPackages(EXPERIMENTS, BENCHMARKS, TOOLS, BOARD)
            .should().dependOnClassesThat().resideInAnyPackage(EXPERIMENTS, BENCHMARKS, TOOLS, BOARD)
            .because("nothing in the engine knows an experiment, a benchmark, a tool (gradcheck, shell) or the board");

    /** The bottom layer: everything else is built on tensor and util, so they may use only each other. */
    static final ArchRule TENSOR_AND_UTIL_ARE_THE_BOTTOM_LAYER = noClasses()
            .that().resideInAnyPackage("glassbox.tensor..", "glassbox.util..")
            .should().dependOnClassesThat(resideInAPackage("glassbox..")
                    .and(not(resideInAnyPackage("glassbox.tensor..", "glassbox.util.."))))
            .because("glassbox.tensor and glassbox.util depend on no other glassbox package");

    /**
     * The model core knows layers only through {@code Layer}: rebuilding layers by class name (whole-model
     * files) and the ready-made callbacks sit above it, in glassbox.nn.io and glassbox.nn.callbacks.
     */
    static final ArchRule NN_CORE_KNOWS_NO_LAYER_CLASS = noClasses()
            .that().resideInAPackage("glassbox.nn")
            .should().dependOnClassesThat().resideInAnyPackage("glassbox.nn.layers..", "glassbox.nn.io..",
                    "glassbox.nn.callbacks..")
            .because("glassbox.nn (Layer, Sequential, WeightIO) must not depend on the layer classes, "
                    + "nn.io or nn.callbacks, which are built on it");

    /** Reproducibility: every random number comes from a seeded glassbox.util.Rng. */
    static final ArchRule NO_UNSEEDED_RANDOMNESS = noClasses()
            .should().callMethod(Math.class, "random")
            .orShould().callMethod(StrictMath.class, "random")
            .orShould().callConstructor(Random.class)
            .orShould().callConstructor(SplittableRandom.class)
            .orShould().callMethod(ThreadLocalRandom.class, "current")
            .orShould().callMethod(Collections.class, "shuffle", List.class)
            .because("randomness must be seeded (use glassbox.util.Rng): no Math.random(), no new Random() or "
                    + "new SplittableRandom() without a seed, no ThreadLocalRandom, no Collections.shuffle(list)");

    /**
     * The Vector API is an incubator module (still in Java 25), present only when the JVM is started with
     * {@code --add-modules jdk.incubator.vector}: the engine must run without it, so only the classes of the
     * separate source root {@code kernels-vector/} may use it — the GEMM ladder's Vector rung
     * ({@code glassbox.kernels.vector}, loaded reflectively by {@code GemmLadder}) and the convolution's
     * direct loops ({@code glassbox.tensor.vector}, loaded reflectively by {@code ThinConv}, whose plain-Java
     * loops serve without them). Nothing else may even name them.
     */
    static final ArchRule ONLY_THE_VECTOR_ROOT_USES_THE_INCUBATOR = noClasses()
            .that().resideOutsideOfPackages("glassbox.kernels.vector..", "glassbox.tensor.vector..")
            .should().dependOnClassesThat().resideInAPackage("jdk.incubator..")
            .orShould().dependOnClassesThat().resideInAnyPackage("glassbox.kernels.vector..",
                    "glassbox.tensor.vector..")
            .because("only glassbox.kernels.vector and glassbox.tensor.vector (kernels-vector/) may use"
                    + " jdk.incubator.vector, and they are loaded by name: nothing else may need --add-modules to run");

    private static JavaClasses mainClasses;

    @BeforeAll
    static void importMainClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("glassbox");
    }

    @Test
    void onlyTheBlasFacadeImportsJblasOrFfm() {
        ONLY_THE_BLAS_FACADE_IMPORTS_JBLAS_OR_FFM.check(mainClasses);
    }

    @Test
    void engineKnowsNoExperimentOrBenchmark() {
        ENGINE_KNOWS_NO_EXPERIMENT_OR_BENCHMARK.check(mainClasses);
    }

    @Test
    void tensorAndUtilDependOnlyOnEachOther() {
        TENSOR_AND_UTIL_ARE_THE_BOTTOM_LAYER.check(mainClasses);
    }

    @Test
    void nnCoreKnowsNoLayerClass() {
        NN_CORE_KNOWS_NO_LAYER_CLASS.check(mainClasses);
    }

    @Test
    void onlyTheVectorSourceRootUsesTheIncubator() {
        ONLY_THE_VECTOR_ROOT_USES_THE_INCUBATOR.check(mainClasses);
    }

    @Test
    void noUnseededRandomness() {
        NO_UNSEEDED_RANDOMNESS.check(mainClasses);
    }
}
