package glassbox.bench;

import glassbox.nn.layers.Conv2D;
import glassbox.tensor.ConvPlan;
import glassbox.tensor.Padding;
import glassbox.tensor.Window2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GEMM shapes the seed models really produce, as {@code "m:n:k:transA:transB"}: the MLP's, and every
 * Conv2D's at batch {@value #CONV_BATCH}, per call, as {@link Conv2D} issues them.
 *
 * <p>Conv2D's plan ({@link ConvPlan}) cuts a batch into tasks and each task into chunks of whole samples
 * whose patch matrix and output rows fit {@link ConvPlan#DEFAULT_CHUNK_BUDGET_BYTES} (1 MiB), so one pass is
 * many GEMMs of {@code chunk·P} rows ({@code P = outH·outW} positions, {@code L = 9C} patch length), not one
 * of {@code 128·P}. Per chunk:
 * <pre>
 *   forward          Y  = X̂·W      (chunk·P) × F × L          N:N
 *   backward-filter  dW += X̂ᵀ·dZ   L × F × (chunk·P)          T:N
 *   backward-data    dX̂ = dZ·Wᵀ    (chunk·P) × L × F          N:T   then col2im, or, where the plan finds it
 *                    moves fewer bytes, dX = im2col(dZ)·W̃: (chunk·H·W) × C × 9F, N:N
 * </pre>
 * The chunk rule and the routes are asked of the layer's plan ({@link ConvPlan#chunkSamples},
 * {@link ConvPlan#direct}, {@link ConvPlan#inputGradientByConvolution}, {@link ConvPlan#inputGradientDirect}),
 * so they follow the engine when it changes. A layer with one input channel, or one filter, runs direct
 * loops instead of GEMMs where the JVM has the Vector API (the launcher's and the tests' do): it has none
 * here. A model's first conv computes no input gradient (Sequential skips it), so it has no backward-data
 * GEMM. The last chunk of a task is smaller when the chunk does not divide the task's samples; only the
 * full chunk's shape is listed.
 */
final class GemmShapes {
    static final int CONV_BATCH = 128;

    /** One Conv2D of a seed model: input {@code h×w×c}, {@code f} 3×3 filters, stride 1. */
    record ConvLayer(String model, int h, int w, int c, int f, boolean same, boolean first) {
        int outH() {
            return same ? h : h - 2;
        }

        int outW() {
            return same ? w : w - 2;
        }
    }

    /** Every Conv2D of seeds 001, 002 and 003 (SeedModels), in model order. */
    static final List<ConvLayer> SEED_CONVS = List.of(
            new ConvLayer("001 MNIST CNN", 28, 28, 1, 32, false, true),
            new ConvLayer("001 MNIST CNN", 26, 26, 32, 32, false, false),
            new ConvLayer("001 MNIST CNN", 12, 12, 32, 64, false, false),
            new ConvLayer("001 MNIST CNN", 10, 10, 64, 64, false, false),
            new ConvLayer("002 default", 28, 28, 1, 32, true, true),
            new ConvLayer("002 default", 14, 14, 32, 32, true, false),
            new ConvLayer("002 custom", 28, 28, 1, 32, true, true),
            new ConvLayer("002 custom", 28, 28, 32, 128, false, false),
            new ConvLayer("002 custom", 13, 13, 128, 64, true, false),
            new ConvLayer("003 autoencoder", 28, 28, 1, 16, true, true),
            new ConvLayer("003 autoencoder", 14, 14, 16, 8, true, false),
            new ConvLayer("003 autoencoder", 7, 7, 8, 8, true, false),
            new ConvLayer("003 autoencoder", 4, 4, 8, 8, true, false),
            new ConvLayer("003 autoencoder", 4, 4, 8, 8, true, false),
            new ConvLayer("003 autoencoder", 8, 8, 8, 8, true, false),
            new ConvLayer("003 autoencoder", 16, 16, 8, 16, false, false),
            new ConvLayer("003 autoencoder", 28, 28, 16, 1, true, false),
            new ConvLayer("003 classifier", 28, 28, 1, 32, false, true),
            new ConvLayer("003 classifier", 26, 26, 32, 64, false, false));

    private GemmShapes() {
    }

    /** The plan Conv2D builds for {@code l}: it answers how the layer chunks and routes its gradients. */
    static ConvPlan plan(ConvLayer l) {
        return ConvPlan.of(Window2D.of(l.h(), l.w(), l.c(), 3, 3, 1, 1, l.same() ? Padding.SAME : Padding.VALID), l.f());
    }

    /** Samples per chunk at batch 128: the plan's rule. */
    static int chunk(ConvLayer l) {
        return plan(l).chunkSamples(CONV_BATCH);
    }

    /** Whether Conv2D computes this layer's input gradient as a convolution of dZ. */
    static boolean dataAsConvolution(ConvLayer l) {
        return plan(l).inputGradientByConvolution();
    }

    /** Every distinct per-call conv GEMM shape → where it comes from (first occurrence named). */
    static Map<String, String> convShapes() {
        Map<String, String> shapes = new LinkedHashMap<>();
        for (ConvLayer l : SEED_CONVS) {
            ConvPlan plan = plan(l);
            int chunk = chunk(l);
            int rows = chunk * l.outH() * l.outW();
            int patch = 9 * l.c();
            String layer = String.format("%s %dx%dx%d→%d %s, %d samples per call", l.model(), l.h(), l.w(), l.c(),
                    l.f(), l.same() ? "same" : "valid", chunk);
            if (!plan.direct()) {
                shapes.putIfAbsent(rows + ":" + l.f() + ":" + patch + ":N:N", layer + ", forward");
                shapes.putIfAbsent(patch + ":" + l.f() + ":" + rows + ":T:N", layer + ", backward-filter");
            }
            if (!l.first() && !plan.inputGradientDirect()) {
                String data = dataAsConvolution(l)
                        ? chunk * l.h() * l.w() + ":" + l.c() + ":" + 9 * l.f() + ":N:N"
                        : rows + ":" + patch + ":" + l.f() + ":N:T";
                shapes.putIfAbsent(data, layer + ", backward-data" + (dataAsConvolution(l) ? " (as a convolution)" : ""));
            }
        }
        return shapes;
    }

    /** The MLP 784-128-128-10 at batch 32 and 256: forward x·W, backward dW = xᵀ·dOut, dX = dOut·Wᵀ. */
    static final List<String> MLP = List.of("32:128:784:N:N", "32:128:128:N:N", "784:128:32:T:N", "32:784:128:N:T",
            "256:128:784:N:N", "784:128:256:T:N", "256:784:128:N:T");

    static final List<String> SQUARES = List.of("64:64:64:N:N", "128:128:128:N:N", "256:256:256:N:N",
            "512:512:512:N:N", "1024:1024:1024:N:N", "2048:2048:2048:N:N");

    /** Squares, MLP, convs: every shape of {@code --full}. */
    static List<String> all() {
        List<String> all = new ArrayList<>(SQUARES);
        all.addAll(MLP);
        all.addAll(convShapes().keySet());
        return all;
    }

    public static void main(String[] args) {
        convShapes().forEach((s, d) -> System.out.println(s + "  " + d));
    }
}
