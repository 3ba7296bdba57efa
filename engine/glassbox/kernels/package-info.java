/**
 * The kernel laboratory: matrix product and convolution written the way a course would build them up,
 * one rung at a time, from the textbook loop to the BLAS facade. Each rung is small, tested against
 * {@link glassbox.tensor.Blas}, and measured by {@code ./glassbox bench gemm} / {@code bench conv}; none is
 * on the engine's training path.
 */
package glassbox.kernels;
