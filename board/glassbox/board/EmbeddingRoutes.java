package glassbox.board;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import glassbox.experiments.RunFolder;
import glassbox.experiments.RunReader;
import glassbox.util.Csv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/embedding?run=…}: a run's {@link RunFolder#EMBEDDING} as columns the scatter plot takes: per
 * method ({@code pca}, {@code tsne}) the x and y of every point, per colouring ({@code label}, {@code kmeans},
 * {@code dbscan}, …) every point's id and the ids' names, and which image each point is.
 */
final class EmbeddingRoutes {
    private final RunReader reader;

    EmbeddingRoutes(RunReader reader) {
        this.reader = reader;
    }

    void register(BoardServer server) {
        server.get("/api/embedding", r -> embedding(r.param("run")));
    }

    Map<String, Object> embedding(String id) throws IOException {
        Path file = reader.file(id, RunFolder.EMBEDDING).orElseThrow(() -> new BoardServer.NotFound(
                "run '" + id + "' has no " + RunFolder.EMBEDDING + " (fashion-embedding and kmeans-labels write one)"));
        Csv.Table table = Csv.read(file);
        List<String> header = table.header();
        int n = table.rows().size();
        Map<String, double[][]> methods = new LinkedHashMap<>();
        Map<String, int[]> colourings = new LinkedHashMap<>();
        for (int c = 2; c < header.size(); c++) {
            String name = header.get(c);
            if (name.endsWith("_1") && c + 1 < header.size()
                    && header.get(c + 1).equals(name.substring(0, name.length() - 2) + "_2")) {
                methods.put(name.substring(0, name.length() - 2), new double[][]{column(table, c), column(table, c + 1)});
                c++;
            } else {
                double[] ids = column(table, c);
                int[] asInt = new int[n];
                for (int i = 0; i < n; i++) {
                    asInt[i] = (int) ids[i];
                }
                colourings.put(name, asInt);
            }
        }
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = Integer.parseInt(table.rows().get(i).get(1));
        }
        JsonObject results = reader.find(id).map(RunReader.Run::results).orElse(null);
        Map<String, Object> names = new LinkedHashMap<>();
        colourings.forEach((name, ids) -> names.put(name, names(name, ids, results)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("split", n == 0 ? "test" : table.rows().get(0).get(0));
        out.put("index", index);
        out.put("methods", methods);
        out.put("colourings", colourings);
        out.put("names", names);
        return out;
    }

    /**
     * The names of a colouring's ids: the run's {@code class_names} for {@code label} when its results list
     * them, "noise" for −1, else "<colouring> <id>".
     */
    private static Map<Integer, String> names(String colouring, int[] ids, JsonObject results) {
        JsonArray classes = results != null && results.has("class_names") && results.get("class_names").isJsonArray()
                ? results.getAsJsonArray("class_names") : null;
        Map<Integer, String> names = new TreeMap<>();
        for (int id : ids) {
            names.computeIfAbsent(id, k -> {
                if (k == -1) {
                    return "noise";
                }
                if (colouring.equals("label") && classes != null && k >= 0 && k < classes.size()) {
                    return classes.get(k).getAsString();
                }
                return (colouring.equals("label") ? "" : colouring + " ") + k;
            });
        }
        return names;
    }

    private static double[] column(Csv.Table table, int c) {
        List<List<String>> rows = table.rows();
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            try {
                v[i] = Double.parseDouble(rows.get(i).get(c));
            } catch (RuntimeException e) {
                throw new IllegalStateException(RunFolder.EMBEDDING + " row " + (i + 2) + " column '"
                        + table.header().get(c) + "': not a number (" + e.getMessage() + ")");
            }
        }
        return v;
    }
}
