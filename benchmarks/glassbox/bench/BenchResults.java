package glassbox.bench;

import glassbox.tensor.Blas;
import glassbox.util.Json;

import java.io.IOException;
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
}
