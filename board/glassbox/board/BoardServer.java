package glassbox.board;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import glassbox.experiments.RunReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The board's web server: the JDK's own {@code com.sun.net.httpserver}, which needs no dependency and serves
 * a local, read-only page as well as a framework would. It serves three kinds of things:
 *
 * <ul>
 *   <li>the page itself ({@code /}, {@code /web/<file>}) and the chart libraries' WebJars
 *       ({@code /vendor/uplot/…}, {@code /vendor/echarts/…}), all from the class path;</li>
 *   <li>JSON routes ({@code /api/…}), registered by {@link RunRoutes} and {@link ModelRoutes};</li>
 *   <li>files of a run folder ({@code /files/<experiment>/<stamp>/<name>}: its figures), only those that lie
 *       inside the runs folder ({@link RunReader#file}); anything else is 404.</li>
 * </ul>
 *
 * Nothing it serves writes, deletes or runs anything but a saved model's inference. A route's
 * {@link BadRequest} or {@link NotFound} becomes a 400 or 404 with {@code {"error": "…"}}; any other
 * exception a 500 with its one-line message, never a stack trace.
 */
public final class BoardServer implements AutoCloseable {
    /** A JSON route: reads the request, returns what {@link Gson} writes as the response. */
    @FunctionalInterface
    public interface Route {
        Object handle(Request request) throws Exception;
    }

    /** A route answering with bytes of its own content type (a PNG). */
    public record Bytes(String contentType, byte[] bytes) {
    }

    /** A request's method, decoded query parameters and body. */
    public record Request(String method, Map<String, String> query, byte[] body) {
        /** The parameter {@code name}, which the route requires. */
        public String param(String name) {
            String value = query.get(name);
            if (value == null || value.isEmpty()) {
                throw new BadRequest("missing parameter '" + name + "'");
            }
            return value;
        }

        /** The parameter {@code name} as an integer in {@code [min, max]}. */
        public int intParam(String name, int min, int max) {
            String value = param(name);
            int n;
            try {
                n = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new BadRequest("parameter '" + name + "' must be an integer, not '" + value + "'");
            }
            if (n < min || n > max) {
                throw new BadRequest("parameter '" + name + "' must be in [" + min + ", " + max + "], not " + n);
            }
            return n;
        }

        public Optional<String> optional(String name) {
            return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
        }
    }

    /** A malformed request: 400 with this message. */
    public static final class BadRequest extends RuntimeException {
        public BadRequest(String message) {
            super(message);
        }
    }

    /** Something the request names does not exist: 404 with this message. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    private static final String WEB = "glassbox/board/web/";
    /** The WebJars' files the page loads, by the path it asks for. */
    private static final Map<String, String> VENDOR = Map.of(
            "/vendor/uplot/uPlot.iife.min.js", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "/vendor/uplot/uPlot.min.css", "META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
            "/vendor/echarts/echarts.min.js", "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js");
    private static final Map<String, String> TYPES = Map.of(".html", "text/html; charset=utf-8",
            ".js", "text/javascript; charset=utf-8", ".css", "text/css; charset=utf-8", ".png", "image/png",
            ".json", "application/json; charset=utf-8", ".csv", "text/csv; charset=utf-8",
            ".txt", "text/plain; charset=utf-8");

    private final Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final RunReader reader;
    private final HttpServer server;
    private final ExecutorService pool;

    /** A server for the runs under {@code reader}'s root, on {@code host:port} (port 0: any free one). */
    public BoardServer(RunReader reader, String host, int port) throws IOException {
        this.reader = reader;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "board-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::dispatch);
    }

    /** Answers GET (and HEAD) requests for {@code path} with {@code route}'s result as JSON. */
    public BoardServer get(String path, Route route) {
        routes.put("GET " + path, route);
        return this;
    }

    /** Answers POST requests for {@code path}: only for inference, whose input is too long for a query. */
    public BoardServer post(String path, Route route) {
        routes.put("POST " + path, route);
        return this;
    }

    public RunReader reader() {
        return reader;
    }

    public void start() {
        server.start();
    }

    /** Where the page is, e.g. {@code http://127.0.0.1:6006/}. */
    public URI address() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            Route route = routes.get(("HEAD".equals(method) ? "GET" : method) + " " + path);
            if (route != null) {
                answer(exchange, route);
            } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
                send(exchange, 405, "application/json", error("method " + method + " is not allowed on " + path));
            } else if (path.equals("/")) {
                resource(exchange, WEB + "index.html");
            } else if (path.startsWith("/web/") && path.substring(5).matches("[a-z0-9][a-z0-9._-]*")) {
                resource(exchange, WEB + path.substring(5));
            } else if (VENDOR.containsKey(path)) {
                resource(exchange, VENDOR.get(path));
            } else if (path.startsWith("/files/")) {
                runFile(exchange, path.substring("/files/".length()));
            } else {
                notFound(exchange);
            }
        } catch (RuntimeException e) {
            // the exchange is closed; a route's own failures were answered in answer()
        }
    }

    private void answer(HttpExchange exchange, Route route) throws IOException {
        int status = 200;
        Object result;
        try {
            byte[] body = exchange.getRequestBody().readNBytes(1 << 20);
            result = route.handle(new Request(exchange.getRequestMethod(), query(exchange.getRequestURI()), body));
        } catch (BadRequest e) {
            status = 400;
            result = Map.of("error", e.getMessage());
        } catch (NotFound e) {
            status = 404;
            result = Map.of("error", e.getMessage());
        } catch (Exception e) {
            status = 500;
            result = Map.of("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (result instanceof Bytes b) {
            send(exchange, status, b.contentType(), b.bytes());
        } else {
            send(exchange, status, "application/json; charset=utf-8", gson.toJson(result).getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * {@code <experiment>/<stamp>/<name>}, still percent-encoded: decoded once, then it must be exactly three
     * plain names of a file inside the runs folder ({@code ..}, {@code %2e%2e%2f}, absolute paths and links
     * leading out are all 404).
     */
    private void runFile(HttpExchange exchange, String rawPath) throws IOException {
        String path;
        try {
            path = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) { // a malformed escape such as %zz
            notFound(exchange);
            return;
        }
        String[] parts = path.split("/", -1);
        Optional<Path> file = parts.length == 3 ? reader.file(parts[0] + "/" + parts[1], parts[2]) : Optional.empty();
        if (file.isEmpty()) {
            notFound(exchange);
            return;
        }
        String name = parts[2];
        String type = TYPES.getOrDefault(name.contains(".") ? name.substring(name.lastIndexOf('.')) : "",
                "application/octet-stream");
        send(exchange, 200, type, Files.readAllBytes(file.get()));
    }

    private void resource(HttpExchange exchange, String name) throws IOException {
        try (InputStream in = BoardServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                notFound(exchange);
                return;
            }
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.')), "application/octet-stream");
            send(exchange, 200, type, in.readAllBytes());
        }
    }

    private void notFound(HttpExchange exchange) throws IOException {
        send(exchange, 404, "application/json; charset=utf-8",
                error("not found: " + exchange.getRequestURI().getRawPath()));
    }

    private byte[] error(String message) {
        return gson.toJson(Map.of("error", message)).getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The query string's parameters, each decoded once ({@code a=1&b=x%2Fy}). */
    static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(key, value);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query parameter '" + pair + "': " + e.getMessage());
            }
        }
        return params;
    }
}
