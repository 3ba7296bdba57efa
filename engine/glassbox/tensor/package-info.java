/**
 * The bottom of the engine: dense row-major float tensors and the arithmetic every layer builds on.
 *
 * <ul>
 *   <li>{@link glassbox.tensor.Tensor} — a shape and its own {@code float[]}, row-major.</li>
 *   <li>{@link glassbox.tensor.Blas} — the one door to BLAS, row-major in, column-major out of sight; the
 *       products are FFM downcalls on the Java arrays themselves ({@code BlasLibrary}: no copies), LAPACK
 *       goes through jblas; {@link glassbox.tensor.ReferenceGemm} is the double-precision oracle its tests
 *       use.</li>
 *   <li>{@link glassbox.tensor.Padding} and {@link glassbox.tensor.Window2D} — where a 2-D window visits an
 *       NHWC image, with TensorFlow's {@code "same"} rule (odd padding goes bottom/right).</li>
 *   <li>{@link glassbox.tensor.Im2col} — patches into matrix rows and back, what makes a convolution one
 *       GEMM; {@link glassbox.tensor.ReferenceConv2D} — the convolution by its definition, the oracle the
 *       im2col path is tested and benchmarked against.</li>
 *   <li>{@link glassbox.tensor.ConvPlan} — how a convolution layer runs: tasks and chunks of samples, their
 *       buffers, which route for each product; the layer itself states only the math.
 *       {@link glassbox.tensor.ThinConv} — direct loops for one input channel or one filter, in plain Java
 *       and (in {@code glassbox.tensor.vector}, the separate source root {@code kernels-vector/}, loaded by
 *       name) with the Vector API, the same bits either way.</li>
 * </ul>
 *
 * <p>Choices made here: loops run on every core through {@link glassbox.util.Parallel}, each task writing
 * only its own samples, so results do not depend on the thread count; where tasks each sum over their own
 * samples (a convolution's kernel gradient), the task sums are added in task order afterwards, and the
 * tasks are fixed by the shape, never by the number of cores.
 */
package glassbox.tensor;
