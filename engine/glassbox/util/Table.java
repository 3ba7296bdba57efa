package glassbox.util;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A results table: printed to the console with aligned columns, and saved as CSV with the same cells.
 *
 * <pre>{@code
 * Table t = new Table("Test results", "model", "loss", "accuracy");
 * t.addRow("dense", 0.2551, 0.9259);
 * t.print(System.out);
 *
 * Test results
 * model    loss  accuracy
 * -----  ------  --------
 * dense  0.2551    0.9259
 * }</pre>
 *
 * <p>On screen, {@code double}/{@code float} cells show 4 decimals ({@code %.4f}), or 4 significant digits
 * in scientific notation ({@code %.4e}) when their magnitude is at least 1e7 or below 1e-4 (so a learning
 * rate of 1e-5 does not print as {@code 0.0000}); integers print in full; numbers are right-aligned,
 * everything else left-aligned; {@code null} is an empty cell. The CSV keeps full precision.
 */
public final class Table {
    private final String title;
    private final List<String> columns;
    private final List<List<Object>> rows = new ArrayList<>();

    /** A table with a {@code title} (printed above it; may be empty) and the given column headers. */
    public Table(String title, String... columns) {
        if (columns.length == 0) {
            throw new IllegalArgumentException("a table needs at least one column, got none");
        }
        this.title = title == null ? "" : title;
        this.columns = List.copyOf(Arrays.asList(columns));
    }

    /** Appends one row; {@code cells} must match the columns in number and order. Returns {@code this}. */
    public Table addRow(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, expected " + columns.size()
                    + " (one per column " + columns + ")");
        }
        rows.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(cells))));
        return this;
    }

    public String title() {
        return title;
    }

    public List<String> columns() {
        return columns;
    }

    /** The rows as added (unformatted values). */
    public List<List<Object>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** Prints the title (if any), the header, a rule and the rows, columns separated by two spaces. */
    public void print(PrintStream out) {
        out.print(render());
        out.flush();
    }

    /** Writes the header and rows (full-precision values, not the on-screen text) as CSV, atomically. */
    public void saveCsv(Path file) throws IOException {
        Csv.write(file, columns, rows);
    }

    /** The text {@link #print} prints. */
    public String render() {
        int n = columns.size();
        List<String[]> cells = new ArrayList<>();
        for (List<Object> row : rows) {
            String[] text = new String[n];
            for (int j = 0; j < n; j++) {
                text[j] = format(row.get(j));
            }
            cells.add(text);
        }
        int[] width = new int[n];
        boolean[] rightAlign = new boolean[n];
        for (int j = 0; j < n; j++) {
            width[j] = columns.get(j).length();
            rightAlign[j] = !rows.isEmpty();
            for (int r = 0; r < rows.size(); r++) {
                width[j] = Math.max(width[j], cells.get(r)[j].length());
                Object v = rows.get(r).get(j);
                rightAlign[j] &= v == null || v instanceof Number;
            }
        }
        StringBuilder sb = new StringBuilder();
        if (!title.isEmpty()) {
            sb.append(title).append('\n');
        }
        String[] rule = new String[n];
        for (int j = 0; j < n; j++) {
            rule[j] = "-".repeat(width[j]);
        }
        appendLine(sb, columns.toArray(new String[0]), width, rightAlign);
        appendLine(sb, rule, width, rightAlign);
        for (String[] text : cells) {
            appendLine(sb, text, width, rightAlign);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /** How one cell looks on screen (see the class comment). */
    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return String.valueOf(d);
            }
            double a = Math.abs(d);
            boolean scientific = a >= 1e7 || (a != 0 && a < 1e-4);
            return String.format(Locale.ROOT, scientific ? "%.4e" : "%.4f", d);
        }
        return String.valueOf(v);
    }

    private static void appendLine(StringBuilder sb, String[] text, int[] width, boolean[] rightAlign) {
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < text.length; j++) {
            if (j > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[j] - text[j].length());
            line.append(rightAlign[j] ? pad + text[j] : text[j] + pad);
        }
        // trailing spaces of a left-aligned last column are noise in logs and diffs
        sb.append(line.toString().stripTrailing()).append('\n');
    }
}
