/**
 * The launcher's commands for looking inside the engine: {@code ./glassbox gradcheck}
 * ({@link glassbox.tools.GradcheckCommand}, the tests' {@link glassbox.nn.GradientCheck} on any layer or
 * loss by its Keras name) and {@code ./glassbox shell} ({@link glassbox.tools.ShellCommand}, JShell with
 * the engine imported and {@link glassbox.tools.ShellHelpers}).
 *
 * <p>They sit beside the experiments, not in the engine: they depend on picocli and on JShell, and the
 * engine depends on neither them nor those (ArchitectureTest checks the first). What they need from the
 * engine is public API: {@code GradientCheck} returns a report instead of asserting, and every layer's
 * {@code cache()} shows what its last forward kept.
 */
package glassbox.tools;
