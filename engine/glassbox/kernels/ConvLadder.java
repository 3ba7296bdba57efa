package glassbox.kernels;

import java.util.ArrayList;
import java.util.List;

/**
 * The convolution ladder in order, slowest idea first: the direct loops, im2col on each GEMM rung (so the
 * GEMM ladder's lessons reappear inside the convolution), then the engine's own path.
 *
 * <pre>
 *   direct loops            seven loops, no reuse beyond the caches'            {@link DirectConv}
 *   im2col + (GEMM rung)    one big product per pass, kh·kw× the memory          {@link Im2colConv}
 *   engine (Conv2D)         chunked im2col + BLAS, the dY-convolution trick      {@link EngineConv}
 * </pre>
 */
public final class ConvLadder {
    private ConvLadder() {
    }

    /** New rungs: direct, {@code im2col + g} for each of {@code gemms} in their order, engine. */
    public static List<Conv> rungs(List<? extends Gemm> gemms) {
        List<Conv> rungs = new ArrayList<>();
        rungs.add(new DirectConv());
        for (Gemm g : gemms) {
            rungs.add(new Im2colConv(g));
        }
        rungs.add(new EngineConv());
        return List.copyOf(rungs);
    }
}
