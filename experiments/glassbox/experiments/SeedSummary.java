package glassbox.experiments;

import glassbox.util.Table;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * One line of a multi-seed results table: a quantity's mean and sample std over the seeds' runs, each
 * seed's value, and the seed notebook's figure beside them — printed in a {@link Table} and kept as a map
 * for {@code results.json}.
 */
final class SeedSummary {
    private SeedSummary() {
    }

    /**
     * The first {@code count} of {@code rows} (as {@link #row} makes them: quantity, glassbox mean, the seed's
     * figure if any) as {@code results.json}'s headline figures.
     */
    static List<RunFolder.Headline> headline(List<Map<String, Object>> rows, int count) {
        return rows.stream().limit(count).map(r -> new RunFolder.Headline((String) r.get("quantity"),
                ((Number) r.get("glassbox_mean")).doubleValue(),
                r.get("seed_notebook") instanceof Number n ? n.doubleValue() : null)).toList();
    }

    /**
     * Adds the row {@code quantity | seedFigure | mean | std | per seed} to {@code table} and returns its
     * JSON form. {@code seedFigure} is {@code null} where the notebook printed none (shown as "—").
     */
    static <T> Map<String, Object> row(Table table, String quantity, Double seedFigure, List<T> runs,
                                       ToDoubleFunction<T> f) {
        double mean = MnistStudyReport.mean(runs, f);
        double sd = MnistStudyReport.sd(runs, f);
        double[] values = runs.stream().mapToDouble(f).toArray();
        String each = Arrays.stream(values).mapToObj(v -> String.format("%.4f", v)).collect(Collectors.joining(", "));
        table.addRow(quantity, seedFigure == null ? "—" : seedFigure, mean, Double.isNaN(sd) ? null : sd, each);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("quantity", quantity);
        if (seedFigure != null) {
            m.put("seed_notebook", seedFigure);
        }
        m.put("glassbox_mean", mean);
        m.put("glassbox_std", sd);
        m.put("per_seed", values);
        return m;
    }
}
