package glassbox.bench;

import glassbox.kernels.Gemm;
import glassbox.kernels.GemmLadder;
import java.util.List;

/**
 * The GEMM rungs the convolution ladder climbs ({@link ConvLadderBenchmark}: one {@code im2col + …} rung
 * each), slowest first, the BLAS facade last. The one place that list comes from.
 */
final class GemmRungs {
    private GemmRungs() {
    }

    static List<Gemm> all() {
        return GemmLadder.rungs();
    }
}
