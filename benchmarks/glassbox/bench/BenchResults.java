package glassbox.bench;

import glassbox.tensor.Blas;
import glassbox.util.Json;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the end-to-end benchmarks share: the median of repeated timings and the JSON file of their rows. */
final class BenchResults {
    private BenchResults() {
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Writes {@code runs/bench/<name>-<timestamp>.json} (rows, BLAS path, time); prints and returns its path. */
    static Path write(Path home, String name, List<Map<String, Object>> rows) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", name + "-epoch");
        out.put("blas", Blas.describe());
        out.put("time", LocalDateTime.now().toString());
        out.put("rows", rows);
        Path file = home.resolve("runs").resolve("bench").resolve(name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".json");
        Json.write(file, out);
        System.out.println("results: " + file);
        return file;
    }

    /** Collects garbage, then restarts every heap pool's peak-usage count. */
    static void resetPeakHeap() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peak usage since {@link #resetPeakHeap}. */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
