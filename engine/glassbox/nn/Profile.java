package glassbox.nn;

import glassbox.tensor.Tensor;

import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where training time goes: nanoseconds summed per phase ({@code "dense_1 forward"}, {@code "loss"},
 * {@code "optimizer"}, {@code "batching"}, …), in the order phases were first seen, and the floating-point
 * operations of the phases that count them (the layers' matrix products, {@link Layer#forwardFlops}).
 *
 * <p>A callback ({@code --profile}): give it to {@link Sequential#fit} first in
 * {@link FitOptions#withCallbacks}, read it afterwards (or from {@link History#profile()}). It times each
 * {@link Callback.Phase} from its begin to its end, and files the time between phases under {@code "hooks"}
 * inside a training step (the other callbacks' per-phase hooks: {@code --inspect}'s statistics) and under
 * {@code "callbacks"} between steps and epochs. Each layer's forward and backward are
 * marked as belonging to the layer ({@link #markLayerPhase}). The rest — batching, loss, optimiser,
 * callbacks, validation — is time <em>outside</em> the layers: when it is a large share of the total, no
 * faster kernel will help, and {@link #table()} says so in its last two lines.
 */
public final class Profile implements Callback {
    private final Map<String, long[]> nanos = new LinkedHashMap<>();
    private final Map<String, Long> flops = new LinkedHashMap<>();
    private final Map<String, String> layerOf = new LinkedHashMap<>();
    private List<Layer> layers = List.of();
    private String[] forwardKeys;
    private String[] backwardKeys;
    private long phaseStart;
    private long lastEnd = -1; // −1: no phase has ended yet in this fit
    private int batch;

    @Override
    public void setModel(Sequential model) {
        layers = model.layers();
        forwardKeys = new String[layers.size()];
        backwardKeys = new String[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            forwardKeys[l] = layers.get(l).name() + " forward";
            backwardKeys[l] = layers.get(l).name() + " backward";
            markLayerPhase(forwardKeys[l], layers.get(l).name());
            markLayerPhase(backwardKeys[l], layers.get(l).name());
        }
        lastEnd = -1;
    }

    @Override
    public void onPhaseBegin(Phase phase, int layer) {
        phaseStart = System.nanoTime();
        if (lastEnd >= 0) { // between a step's phases: per-phase hooks (--inspect's); between steps: the rest
            add(phase == Phase.BATCHING || phase == Phase.VALIDATION ? "callbacks" : "hooks", phaseStart - lastEnd);
        }
    }

    @Override
    public void onPhaseEnd(Phase phase, int layer, Tensor output) {
        lastEnd = System.nanoTime();
        String key = switch (phase) {
            case BATCHING -> "batching";
            case FORWARD -> forwardKeys[layer];
            case LOSS -> "loss";
            case BACKWARD -> backwardKeys[layer];
            case OPTIMIZER -> "optimizer";
            case VALIDATION -> "validation";
        };
        add(key, lastEnd - phaseStart);
        if (phase == Phase.BATCHING && output != null) {
            batch = output.dim(0);
        } else if (phase == Phase.FORWARD) {
            addFlops(key, layers.get(layer).forwardFlops(batch));
        } else if (phase == Phase.BACKWARD) {
            addFlops(key, layers.get(layer).backwardFlops(batch));
        }
    }

    @Override
    public void onTrainEnd(History history) {
        history.setProfile(this);
    }

    /** Adds {@code elapsed} nanoseconds (and one call) to {@code phase}. */
    public void add(String phase, long elapsed) {
        long[] slot = nanos.computeIfAbsent(phase, k -> new long[2]);
        slot[0] += elapsed;
        slot[1]++;
    }

    /** Adds {@code count} floating-point operations done by {@code phase} (for its GFLOP/s). */
    public void addFlops(String phase, long count) {
        if (count > 0) {
            flops.merge(phase, count, Long::sum);
        }
    }

    /** Declares that {@code phase} is time spent inside {@code layer} (its forward or backward). */
    public void markLayerPhase(String phase, String layer) {
        layerOf.put(phase, layer);
    }

    /** Phase → GFLOP/s, for the phases that recorded FLOPs. */
    public Map<String, Double> gflops() {
        Map<String, Double> out = new LinkedHashMap<>();
        flops.forEach((k, v) -> out.put(k, v / (double) nanos.get(k)[0]));
        return out;
    }

    /** Phase → floating-point operations counted, for the phases that recorded any. */
    public Map<String, Long> flops() {
        return new LinkedHashMap<>(flops);
    }

    /** Phase → total seconds, in first-seen order. */
    public Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v[0] / 1e9));
        return out;
    }

    /** Phase → number of timed calls. */
    public Map<String, Long> calls() {
        Map<String, Long> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v[1]));
        return out;
    }

    public double totalSeconds() {
        return nanos.values().stream().mapToLong(v -> v[0]).sum() / 1e9;
    }

    /**
     * Layer → seconds of its forward and backward together, for the layers that were timed, in the order
     * their phases were first seen.
     */
    public Map<String, Double> layerSeconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((phase, v) -> {
            String layer = layerOf.get(phase);
            if (layer != null) {
                out.merge(layer, v[0] / 1e9, Double::sum);
            }
        });
        return out;
    }

    /**
     * Layer → GFLOP/s of its forward and backward together (all its counted FLOPs over all its time), for
     * the layers that count FLOPs (Dense and Conv2D; pooling, normalisation and activations do no matrix
     * product and are left out rather than shown as 0).
     */
    public Map<String, Double> layerGflops() {
        Map<String, long[]> sums = new LinkedHashMap<>(); // layer → {flops, nanos}
        nanos.forEach((phase, v) -> {
            String layer = layerOf.get(phase);
            if (layer != null) {
                long[] s = sums.computeIfAbsent(layer, k -> new long[2]);
                s[0] += flops.getOrDefault(phase, 0L);
                s[1] += v[0];
            }
        });
        Map<String, Double> out = new LinkedHashMap<>();
        sums.forEach((layer, s) -> {
            if (s[0] > 0) {
                out.put(layer, s[0] / (double) s[1]);
            }
        });
        return out;
    }

    /** Seconds spent in the layers' forward and backward passes. */
    public double insideLayersSeconds() {
        return layerSeconds().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Seconds spent in every other phase: batching, loss, optimiser, callbacks, validation, … */
    public double outsideLayersSeconds() {
        return totalSeconds() - insideLayersSeconds();
    }

    /** Phase → seconds, for the phases outside the layers, in first-seen order. */
    public Map<String, Double> outsideLayers() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((phase, v) -> {
            if (!layerOf.containsKey(phase)) {
                out.put(phase, v[0] / 1e9);
            }
        });
        return out;
    }

    /**
     * A printable table: each phase with its seconds, share of the total, microseconds per call and GFLOP/s
     * where known; then each layer's forward + backward with its share and GFLOP/s; then the split between
     * time inside the layers and outside them (which phases make up the outside, largest first).
     */
    public String table() {
        double total = totalSeconds();
        StringBuilder sb = new StringBuilder(String.format("%-30s %10s %7s %12s %9s%n", "phase", "seconds", "share",
                "µs/call", "GFLOP/s"));
        nanos.forEach((k, v) -> sb.append(String.format("%-30s %10.3f %6.1f%% %12.1f %9s%n", k, v[0] / 1e9,
                share(v[0] / 1e9, total), v[1] == 0 ? 0 : v[0] / 1e3 / v[1],
                flops.containsKey(k) ? String.format("%.1f", flops.get(k) / (double) v[0]) : "")));
        sb.append(String.format("%-30s %10.3f %6.1f%%%n", "total", total, 100.0));
        Map<String, Double> layers = layerSeconds();
        if (!layers.isEmpty()) {
            Map<String, Double> gflops = layerGflops();
            sb.append(String.format("%n%-30s %10s %7s %12s %9s%n", "layer (forward + backward)", "seconds", "share",
                    "", "GFLOP/s"));
            layers.forEach((layer, s) -> sb.append(String.format("%-30s %10.3f %6.1f%% %12s %9s%n", layer, s,
                    share(s, total), "", gflops.containsKey(layer) ? String.format("%.1f", gflops.get(layer)) : "")));
        }
        double inside = insideLayersSeconds();
        double outside = total - inside;
        sb.append(String.format("%-30s %10.3f %6.1f%%%n", "inside layers", inside, share(inside, total)));
        StringBuilder parts = new StringBuilder();
        outsideLayers().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> parts.append(parts.length() == 0 ? "" : ", ").append(String.format("%s %.1f%%",
                        e.getKey(), share(e.getValue(), total))));
        sb.append(String.format("%-30s %10.3f %6.1f%%   %s%n", "outside layers", outside, share(outside, total),
                parts));
        return sb.toString();
    }

    private static double share(double seconds, double total) {
        return total == 0 ? 0 : 100 * seconds / total;
    }
}
