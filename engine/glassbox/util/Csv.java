package glassbox.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Comma-separated values for {@code results.csv}: a header row, then one line per row.
 *
 * <p>Quoting follows RFC 4180: a field containing a comma, a double quote, CR or LF is enclosed in double
 * quotes, with each inner quote doubled ({@code say "hi"} → {@code "say ""hi"""}); other fields are written
 * as they are. Lines end in {@code \n} rather than the RFC's {@code \r\n}, as Unix tools expect; Python's
 * {@code csv}, pandas, R and spreadsheets read either.
 *
 * <p>Cells are rendered with {@link String#valueOf}, so numbers keep full precision and the shortest text
 * that reads back exactly (a {@code Float} 0.9259f prints as {@code 0.9259}; widened to {@code double} it
 * would print as {@code 0.9258999824523926}), NaN is written as {@code NaN} (pandas reads it back as NaN)
 * and {@code null} as an empty field.
 */
public final class Csv {

    private Csv() {
    }

    /** The CSV text of {@code header} followed by {@code rows}; every row must have the header's length. */
    public static String toCsv(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder();
        appendLine(sb, header);
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " cells, expected "
                        + header.size() + " (one per header column " + header + ")");
            }
            appendLine(sb, row);
        }
        return sb.toString();
    }

    /** Writes {@link #toCsv} of {@code header} and {@code rows} to {@code file} (UTF-8), atomically. */
    public static void write(Path file, List<String> header, List<? extends List<?>> rows) throws IOException {
        AtomicFiles.writeString(file, toCsv(header, rows));
    }

    /** A CSV file read back: its header and its rows, every cell as the text it holds. */
    public record Table(List<String> header, List<List<String>> rows) {
    }

    /** Reads a file {@link #write} wrote (any RFC 4180 file): quoted fields may hold commas, quotes, newlines. */
    public static Table read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The rows of CSV {@code text}, the first being the header; a row of one empty cell (a blank line) is skipped. */
    public static Table parse(String text) {
        List<List<String>> lines = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                if (!(row.size() == 1 && row.get(0).isEmpty())) {
                    lines.add(row);
                }
                row = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !row.isEmpty()) {
            row.add(cell.toString());
            lines.add(row);
        }
        return lines.isEmpty() ? new Table(List.of(), List.of())
                : new Table(lines.get(0), lines.subList(1, lines.size()));
    }

    /** One field, quoted if RFC 4180 requires it. */
    public static String quote(Object cell) {
        String s = cell == null ? "" : String.valueOf(cell);
        boolean needsQuotes = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0;
        return needsQuotes ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static void appendLine(StringBuilder sb, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(cells.get(i)));
        }
        sb.append('\n');
    }
}
