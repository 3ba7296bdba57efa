package glassbox.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where training time goes: nanoseconds summed per phase ({@code "dense_1 forward"}, {@code "loss"},
 * {@code "optimizer"}, {@code "batching"}, …), in the order phases were first seen.
 */
public final class Profile {
    private final Map<String, long[]> nanos = new LinkedHashMap<>();
    private final Map<String, Long> flops = new LinkedHashMap<>();

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

    /** Phase → GFLOP/s, for the phases that recorded FLOPs. */
    public Map<String, Double> gflops() {
        Map<String, Double> out = new LinkedHashMap<>();
        flops.forEach((k, v) -> out.put(k, v / (double) nanos.get(k)[0]));
        return out;
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

    /** A printable table: phase, seconds, share of the total, microseconds per call, GFLOP/s where known. */
    public String table() {
        double total = totalSeconds();
        StringBuilder sb = new StringBuilder(String.format("%-30s %10s %7s %12s %9s%n", "phase", "seconds", "share",
                "µs/call", "GFLOP/s"));
        nanos.forEach((k, v) -> sb.append(String.format("%-30s %10.3f %6.1f%% %12.1f %9s%n", k, v[0] / 1e9,
                total == 0 ? 0 : 100 * v[0] / 1e9 / total, v[1] == 0 ? 0 : v[0] / 1e3 / v[1],
                flops.containsKey(k) ? String.format("%.1f", flops.get(k) / (double) v[0]) : "")));
        sb.append(String.format("%-30s %10.3f %6.1f%%%n", "total", total, 100.0));
        return sb.toString();
    }
}
