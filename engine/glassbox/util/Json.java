package glassbox.util;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleFunction;

/**
 * JSON in and out, pretty-printed, for {@code results.json} and run configurations: a thin layer over
 * Gson that fixes the two choices every caller would otherwise make differently.
 *
 * <p><b>Non-finite numbers become {@code null}.</b> JSON has no NaN or infinity. Python's
 * {@code json.dumps} writes a bare {@code NaN}, which {@code jq}, JavaScript's {@code JSON.parse} and most
 * other readers reject; a diverged loss or an undefined metric is therefore written as {@code null}, which
 * every reader accepts and pandas reads back as NaN. Reading {@code null} into a {@code double} field gives
 * NaN, so such values survive a round trip.
 *
 * <p><b>Output is indented and keeps field order</b> (records and classes in declaration order, maps in
 * their iteration order — use a {@code LinkedHashMap}), so a results file reads like the printed table.
 * Records, maps, lists, arrays and boxed numbers are all supported, as Gson supports them.
 */
public final class Json {
    private static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping() // keep '<', '=' and quotes in labels readable
            .serializeNulls()
            .registerTypeAdapter(Double.class, new NonFiniteAsNull<Double>(Double::valueOf))
            .registerTypeAdapter(double.class, new NonFiniteAsNull<Double>(Double::valueOf))
            .registerTypeAdapter(Float.class, new NonFiniteAsNull<Float>(d -> (float) d))
            .registerTypeAdapter(float.class, new NonFiniteAsNull<Float>(d -> (float) d))
            .create();

    private Json() {
    }

    /** {@code value} as indented JSON text. */
    public static String toJson(Object value) {
        return GSON.toJson(value);
    }

    /** Parses {@code text} into an instance of {@code type} (a record, a class, {@code Map.class}, …). */
    public static <T> T fromJson(String text, Class<T> type) {
        return GSON.fromJson(text, type);
    }

    /** Writes {@code value} as indented JSON (UTF-8, trailing newline) to {@code file}, atomically. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toJson(value) + "\n");
    }

    /** Reads {@code file} into an instance of {@code type}; a malformed file is reported with its path. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return fromJson(text, type);
        } catch (JsonParseException e) {
            throw new IOException("cannot read " + file + " as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Writes NaN and ±infinity as {@code null}, finite values as Gson would; reads {@code null} as NaN. */
    private static final class NonFiniteAsNull<T extends Number> extends TypeAdapter<T> {
        private final DoubleFunction<T> box;

        NonFiniteAsNull(DoubleFunction<T> box) {
            this.box = box;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            if (value == null || !Double.isFinite(value.doubleValue())) {
                out.nullValue();
            } else {
                out.value(value);
            }
        }

        @Override
        public T read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return box.apply(Double.NaN);
            }
            return box.apply(in.nextDouble());
        }
    }
}
