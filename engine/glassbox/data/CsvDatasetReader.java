package glassbox.data;

import glassbox.tensor.Tensor;
import glassbox.util.Csv;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a dataset kept as four CSV files, the layout seed notebook 002 loads with pandas:
 *
 * <pre>
 * dir/
 *   x_train.csv   a header row, then one row per image: its pixels row-major, e.g. 784 values for 28 × 28
 *   y_train.csv   a header row, then one row per image: its integer class label
 *   x_test.csv    the same for the test split
 *   y_test.csv
 * </pre>
 *
 * <p>{@code readDirectory(dir, 5)} is the notebook's {@code pd.read_csv('x_train.csv')} (and the other three)
 * followed by {@code x_train.values.reshape((-1, 28, 28))}: it returns a {@link TrainTest} whose images have
 * shape {@code (n, side, side)}, where {@code side² = } the number of columns (784 → 28; anything but a
 * perfect square is an error), holding the cell values as floats (pandas' float64, rounded once to
 * float32 as the notebook's {@code astype("float32")} does). Pixels are kept as they are, 0..255 or
 * already scaled; any finite decimal number is accepted ({@code 0}, {@code 255}, {@code 0.5},
 * {@code -1.25e-3}).
 *
 * <p><b>The header row.</b> pandas writes one with {@code to_csv}: column names such as
 * {@code pixel1,…,pixel784}, or, for a frame made from a NumPy array, the column numbers
 * {@code 0,1,…,783} (the seed's {@code y_train} has the one column {@code 0}). So a first row counts as a
 * header if any cell is not a number, or if its cells are exactly {@code 0, 1, …, k−1}; any other
 * all-numeric first row is data, and the file is rejected for lacking a header (pandas would silently
 * have turned the first image into column names). A header cell may be quoted ({@code "a,b"}); data cells
 * are bare numbers. Blank lines are skipped, as pandas does; lines may end in {@code \n} or {@code \r\n};
 * a UTF-8 byte-order mark is ignored. A pandas index column ({@code to_csv} without {@code index=False})
 * makes the column count one more than a square, and the error says so.
 *
 * <p><b>Labels</b> must be integers in {@code [0, numClasses)}; {@code 3.0} counts as 3 (pandas writes an
 * integer column as float when it ever held a NaN), {@code 2.5} is an error.
 *
 * <p><b>Errors.</b> A file that is there but wrong throws a {@link MalformedDataException} whose message
 * starts with the file's path, then {@code line L} and, where one cell is at fault, {@code column C} —
 * both 1-based, the column counting cells as a spreadsheet does — then what was found and what was
 * expected: a row with more or fewer cells than the header, a cell that is not a number (quoted), a label
 * that is not an integer or is out of range, a first row that is data rather than a header, an empty file
 * or one with a header only, an image file whose column count is not a perfect square or differs between
 * train and test, a label file that ends before, or runs on after, its image file. A missing file is a
 * {@link NoSuchFileException} naming it and every other missing one. These two, and a plain
 * {@code IOException} when the file system fails, are the only exceptions a file can cause, whatever its
 * bytes (truncated, bit-flipped, invalid UTF-8, a header of a million columns: see
 * {@code CsvDatasetReaderFuzzTest}).
 *
 * <p><b>Speed.</b> The files are streamed through a 64 KiB buffer, never held whole, and each line is cut
 * into cells by scanning its bytes once; a cell such as {@code 255} or {@code 0.5} becomes its value
 * without a {@code String} being made (see {@code parseNumber}). Rows are collected in blocks of 1024
 * images (fewer when a row has more than 1024 cells: a block stays within 4 MB) and copied once into the
 * final array, so the peak memory is about twice the images' floats, and never more than the file's rows
 * need, whatever its header claims.
 * A 60,000 × 784 {@code x_train.csv} loads in about a second on a 2-core machine, whether its cells are
 * integers (108 MB) or floats as pandas writes them ({@code 12.0}, 202 MB).
 */
public final class CsvDatasetReader {
    public static final String X_TRAIN = "x_train.csv";
    public static final String Y_TRAIN = "y_train.csv";
    public static final String X_TEST = "x_test.csv";
    public static final String Y_TEST = "y_test.csv";
    /** The four files of a CSV dataset folder, as seed 002 names them. */
    public static final List<String> FILES = List.of(X_TRAIN, Y_TRAIN, X_TEST, Y_TEST);

    private static final int ROWS_PER_BLOCK = 1024;
    /** The most cells a block of rows holds (4 MB of floats). */
    private static final int BLOCK_FLOATS = 1 << 20;
    /** Longest cell text quoted in a message; longer cells are cut with an ellipsis. */
    private static final int QUOTE_LIMIT = 40;
    /** {@code 10^k} for k = 0..15, each an exact double. */
    private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15};

    private CsvDatasetReader() {
    }

    /** {@link #readDirectory(Path, String, int)} with the folder's own name as the dataset name. */
    public static TrainTest readDirectory(Path dir, int numClasses) throws IOException {
        Path fileName = dir.toAbsolutePath().normalize().getFileName();
        return readDirectory(dir, fileName == null ? "csv" : fileName.toString(), numClasses);
    }

    /**
     * Reads {@code dir/x_train.csv}, {@code y_train.csv}, {@code x_test.csv} and {@code y_test.csv}: the
     * datasets are named {@code <name>-train} and {@code <name>-test}, and their images must have one size.
     *
     * @param numClasses the number of classes (labels lie in {@code [0, numClasses)}); a CSV does not say it
     * @throws NoSuchFileException    if any of the four files is missing (the message lists all missing ones)
     * @throws MalformedDataException if a file is malformed, as the class comment lists
     */
    public static TrainTest readDirectory(Path dir, String name, int numClasses) throws IOException {
        checkNumClasses(numClasses);
        List<String> missing = new ArrayList<>();
        for (String file : FILES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                missing.add(file);
            }
        }
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(dir.resolve(missing.get(0)).toString(), null, "no such file; "
                    + dir + " lacks " + String.join(", ", missing) + "; expected the four files "
                    + String.join(", ", FILES) + " that seed 002's pd.read_csv calls read");
        }
        Dataset train = readPair(dir.resolve(X_TRAIN), dir.resolve(Y_TRAIN), numClasses, name + "-train");
        Dataset test = readPair(dir.resolve(X_TEST), dir.resolve(Y_TEST), numClasses, name + "-test");
        if (test.x().dim(1) != train.x().dim(1)) {
            int side = test.x().dim(1);
            int trainSide = train.x().dim(1);
            throw new MalformedDataException(dir.resolve(X_TEST) + ": line 1: the header has " + side * side
                    + " columns (" + side + " × " + side + " images) but " + dir.resolve(X_TRAIN) + " has "
                    + trainSide * trainSide + " (" + trainSide + " × " + trainSide
                    + "); expected train and test images of one size");
        }
        return new TrainTest(train, test);
    }

    /**
     * Reads an image CSV and its label CSV into a {@link Dataset}: {@code x} of shape
     * {@code (n, side, side)}, {@code y} the labels, one per image row, in file order.
     *
     * @throws MalformedDataException if either file is malformed or they disagree on the number of rows
     */
    public static Dataset readPair(Path images, Path labels, int numClasses, String name) throws IOException {
        checkNumClasses(numClasses);
        Tensor x = readImages(images);
        int n = x.dim(0);
        Labels y = readLabelRows(labels, numClasses);
        if (y.values.length < n) {
            throw new MalformedDataException(labels + ": line " + y.endLine + ", column 1: the file ends after "
                    + y.values.length + " labels, but " + images + " holds " + n
                    + " images; expected one label per image");
        }
        if (y.values.length > n) {
            throw new MalformedDataException(labels + ": line " + y.lines[n] + ", column 1: label row " + (n + 1)
                    + " has no image: " + images + " holds " + n + " images, this file " + y.values.length
                    + " labels; expected one label per image");
        }
        return new Dataset(x, y.values, numClasses, name);
    }

    /**
     * Reads an image CSV: a header of {@code side²} columns, then one image per row. Returns {@code x} of
     * shape {@code (n, side, side)}, the cells in file order (row-major pixels, as {@code reshape} reads them).
     */
    public static Tensor readImages(Path file) throws IOException {
        try (Lines lines = new Lines(file)) {
            int columns = readHeader(lines, "images");
            int side = (int) Math.round(Math.sqrt(columns));
            if (side * side != columns) {
                String hint = lines.firstHeaderCell.isEmpty() || lines.firstHeaderCell.startsWith("Unnamed")
                        ? " The first column, named '" + lines.firstHeaderCell + "', looks like the index pandas'"
                        + " to_csv writes unless given index=False."
                        : "";
                throw new MalformedDataException(file + ": line " + lines.number + ": the header has " + columns
                        + " columns, which is not a perfect square; expected one column per pixel of a square "
                        + "image (784 = 28 × 28)." + hint);
            }
            // A block holds up to 1024 rows but at most BLOCK_FLOATS cells, so that a header of a million
            // columns (corrupt, or not a dataset) costs 4 MB before its first row is seen, not 4 GB.
            int rowsPerBlock = Math.max(1, Math.min(ROWS_PER_BLOCK, BLOCK_FLOATS / columns));
            List<float[]> blocks = new ArrayList<>();
            float[] block = new float[rowsPerBlock * columns];
            int inBlock = 0;
            int n = 0;
            while (lines.next()) {
                if (lines.length == 0) {
                    continue;
                }
                if (inBlock == rowsPerBlock) {
                    blocks.add(block);
                    block = new float[rowsPerBlock * columns];
                    inBlock = 0;
                }
                parseRow(lines, columns, block, inBlock * columns);
                inBlock++;
                n++;
            }
            if (n == 0) {
                throw new MalformedDataException(file + ": line " + (lines.number + 1)
                        + ": the file ends after its header; expected one row per image after it");
            }
            if ((long) n * columns > Integer.MAX_VALUE - 8) {
                throw new MalformedDataException(file + ": line " + lines.number + ": " + n + " rows of " + columns
                        + " cells are more than 2^31 values; a Java array cannot hold them");
            }
            // Image k lives at block k / rowsPerBlock, offset (k % rowsPerBlock) · columns: copy the blocks
            // end to end.
            float[] x = new float[n * columns];
            int offset = 0;
            for (float[] full : blocks) {
                System.arraycopy(full, 0, x, offset, full.length);
                offset += full.length;
            }
            System.arraycopy(block, 0, x, offset, inBlock * columns);
            return new Tensor(x, n, side, side);
        }
    }

    /**
     * Reads a label CSV: a header of one column, then one integer label in {@code [0, numClasses)} per row.
     */
    public static int[] readLabels(Path file, int numClasses) throws IOException {
        checkNumClasses(numClasses);
        return readLabelRows(file, numClasses).values;
    }

    /** Labels with the line each came from, for messages about a count that does not match the images. */
    private record Labels(int[] values, int[] lines, int endLine) {
    }

    private static Labels readLabelRows(Path file, int numClasses) throws IOException {
        try (Lines lines = new Lines(file)) {
            int columns = readHeader(lines, "labels");
            if (columns != 1) {
                throw new MalformedDataException(file + ": line " + lines.number + ": the header has " + columns
                        + " columns; expected one, the label column");
            }
            int[] values = new int[ROWS_PER_BLOCK];
            int[] lineOf = new int[ROWS_PER_BLOCK];
            int n = 0;
            while (lines.next()) {
                if (lines.length == 0) {
                    continue;
                }
                if (countCells(lines.line, lines.length) != 1) {
                    throw raggedRow(lines, 1);
                }
                double v = parseNumber(lines.line, 0, lines.length);
                if (Double.isNaN(v)) {
                    throw notANumber(lines, 0, 0, lines.length);
                }
                if (v != Math.rint(v)) {
                    throw new MalformedDataException(file + ": line " + lines.number + ", column 1: label '"
                            + quote(lines.line, 0, lines.length) + "' is not an integer; expected a class index in [0, "
                            + numClasses + ")");
                }
                if (v < 0 || v >= numClasses) {
                    throw new MalformedDataException(file + ": line " + lines.number + ", column 1: label "
                            + quote(lines.line, 0, lines.length) + " is outside [0, " + numClasses
                            + "); expected a class index below numClasses = " + numClasses);
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                    lineOf = Arrays.copyOf(lineOf, 2 * n);
                }
                values[n] = (int) v;
                lineOf[n] = lines.number;
                n++;
            }
            if (n == 0) {
                throw new MalformedDataException(file + ": line " + (lines.number + 1)
                        + ": the file ends after its header; expected one label per row after it");
            }
            return new Labels(Arrays.copyOf(values, n), Arrays.copyOf(lineOf, n), lines.number + 1);
        }
    }

    /**
     * Reads the first non-blank line as the header and returns its number of columns; rejects an empty file
     * and a first row that is data (see the class comment).
     */
    private static int readHeader(Lines lines, String what) throws IOException {
        boolean any = false;
        while ((any = lines.next()) && lines.length == 0) {
            // pandas skips blank lines before the header too
        }
        if (!any) {
            throw new MalformedDataException(lines.path + ": line 1, column 1: the file is empty; expected a header "
                    + "row, then one row of " + what + " per image");
        }
        List<String> cells = splitHeader(lines.line, lines.length);
        lines.firstHeaderCell = cells.get(0);
        boolean numeric = true;
        boolean columnNumbers = true;
        for (int c = 0; c < cells.size() && numeric; c++) {
            byte[] b = cells.get(c).getBytes(StandardCharsets.UTF_8);
            double v = parseNumber(b, 0, b.length);
            numeric = !Double.isNaN(v);
            columnNumbers &= v == c;
        }
        if (numeric && !columnNumbers) {
            throw new MalformedDataException(lines.path + ": line " + lines.number + ", column 1: the first row '"
                    + quote(lines.line, 0, lines.length) + "' is numeric, data rather than column names; expected a "
                    + "header row such as pandas writes (e.g. 0,1,…,783 or pixel1,…,pixel784)");
        }
        return cells.size();
    }

    /** The header's cells, RFC 4180 style ({@link Csv#parse}: a quoted cell may hold commas), each stripped. */
    private static List<String> splitHeader(byte[] line, int length) {
        List<String> cells = Csv.parse(new String(line, 0, length, StandardCharsets.UTF_8)).header();
        return cells.isEmpty() ? List.of("") : cells.stream().map(String::strip).toList();
    }

    /** Parses the current line's {@code columns} cells into {@code out[offset …]} as floats. */
    private static void parseRow(Lines lines, int columns, float[] out, int offset) throws IOException {
        byte[] b = lines.line;
        int length = lines.length;
        int column = 0;
        int start = 0;
        for (int i = 0; i <= length; i++) {
            if (i < length && b[i] != ',') {
                continue;
            }
            // cell `column` (0-based) is b[start, i)
            if (column == columns) {
                throw raggedRow(lines, columns);
            }
            double v = parseNumber(b, start, i);
            if (Double.isNaN(v)) {
                throw notANumber(lines, column, start, i);
            }
            out[offset + column] = (float) v;
            column++;
            start = i + 1;
        }
        if (column != columns) {
            throw raggedRow(lines, columns);
        }
    }

    private static MalformedDataException raggedRow(Lines lines, int columns) {
        int cells = countCells(lines.line, lines.length);
        // the first cell too many, or the first one missing
        int column = cells > columns ? columns + 1 : cells + 1;
        return new MalformedDataException(lines.path + ": line " + lines.number + ", column " + column
                + ": the row has " + cells + " cell" + (cells == 1 ? "" : "s") + " but the header has " + columns
                + "; expected one cell per header column in every row");
    }

    private static MalformedDataException notANumber(Lines lines, int column, int from, int to) {
        String what = isBlank(lines.line, from, to) ? "the cell is empty" // pandas would read NaN here
                : "cell '" + quote(lines.line, from, to) + "' is not a finite decimal number";
        return new MalformedDataException(lines.path + ": line " + lines.number + ", column " + (column + 1) + ": "
                + what + "; expected a number such as 0, 255 or 0.5");
    }

    private static int countCells(byte[] b, int length) {
        int cells = 1;
        for (int i = 0; i < length; i++) {
            if (b[i] == ',') {
                cells++;
            }
        }
        return cells;
    }

    /**
     * The value of the text {@code b[from, to)}, surrounding spaces and tabs ignored, or NaN if it is not a
     * finite decimal number {@code [+-] digits [. digits] [(e|E) [+-] digits]} (digits may be absent on one
     * side of the point).
     *
     * <p>Every pixel pandas writes ({@code 0}, {@code 255}, {@code 12.0}, {@code 0.5}) has at most 15 digits
     * and no exponent. Such a number is read without making a {@code String}: its digits form an integer
     * significand {@code m < 10^15 < 2^53} and the value is {@code m / 10^f}, {@code f} the digits after the
     * point. Both operands are exact doubles, so the one division rounds correctly — the same double as
     * {@link Double#parseDouble} (Clinger's fast path: W. D. Clinger, "How to read floating point numbers
     * accurately", PLDI 1990). Longer numbers and exponents go to {@code parseDouble}.
     */
    static double parseNumber(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t')) {
            from++;
        }
        while (to > from && (b[to - 1] == ' ' || b[to - 1] == '\t')) {
            to--;
        }
        int i = from;
        boolean negative = false;
        if (i < to && (b[i] == '+' || b[i] == '-')) {
            negative = b[i] == '-';
            i++;
        }
        long significand = 0; // overflows past 18 digits, but is only used up to 15
        int digits = 0;
        int fractionDigits = 0;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            significand = 10 * significand + (b[i] - '0');
            digits++;
            i++;
        }
        if (i < to && b[i] == '.') {
            i++;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                significand = 10 * significand + (b[i] - '0');
                digits++;
                fractionDigits++;
                i++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        boolean exponent = i < to && (b[i] == 'e' || b[i] == 'E');
        if (exponent) {
            i++;
            if (i < to && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return Double.NaN;
            }
        }
        if (i != to) {
            return Double.NaN;
        }
        if (!exponent && digits <= 15) {
            double v = significand / POW10[fractionDigits];
            return negative ? -v : v;
        }
        double v = Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    private static boolean isBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The text {@code b[from, to)} for a message, cut to {@link #QUOTE_LIMIT} characters. */
    private static String quote(byte[] b, int from, int to) {
        String s = new String(b, from, to - from, StandardCharsets.UTF_8);
        return s.length() <= QUOTE_LIMIT ? s : s.substring(0, QUOTE_LIMIT) + "…";
    }

    private static void checkNumClasses(int numClasses) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("CsvDatasetReader: numClasses is " + numClasses
                    + "; expected a positive count (a CSV does not say how many classes there are)");
        }
    }

    /**
     * A text file read one line at a time into the reusable array {@code line[0, length)} (without its
     * {@code \n} or {@code \r\n}), counting lines for messages.
     */
    private static final class Lines implements Closeable {
        final Path path;
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int pos;
        private int limit;
        byte[] line = new byte[1 << 12];
        int length;
        /** 1-based number of the line in {@code line}; 0 before the first. */
        int number;
        /** The header's first cell, for the hint about a pandas index column. */
        String firstHeaderCell = "";

        Lines(Path path) throws IOException {
            this.path = path;
            this.in = Files.newInputStream(path);
        }

        /** Reads the next line; false at the end of the file. */
        boolean next() throws IOException {
            length = 0;
            boolean read = false;
            while (true) {
                if (pos == limit) {
                    limit = Math.max(0, in.read(buffer, 0, buffer.length));
                    pos = 0;
                    if (limit == 0) {
                        if (!read) {
                            return false;
                        }
                        break;
                    }
                }
                read = true;
                int start = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                append(start, pos);
                if (pos < limit) {
                    pos++; // the '\n'
                    break;
                }
            }
            number++;
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (number == 1 && length >= 3 && line[0] == (byte) 0xEF && line[1] == (byte) 0xBB
                    && line[2] == (byte) 0xBF) {
                System.arraycopy(line, 3, line, 0, length - 3); // UTF-8 byte-order mark (Excel's "CSV UTF-8")
                length -= 3;
            }
            return true;
        }

        private void append(int from, int to) {
            int count = to - from;
            if (length + count > line.length) {
                line = Arrays.copyOf(line, Math.max(2 * line.length, length + count));
            }
            System.arraycopy(buffer, from, line, length, count);
            length += count;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
