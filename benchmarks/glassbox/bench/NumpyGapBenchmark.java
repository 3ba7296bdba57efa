package glassbox.bench;

import glassbox.data.Datasets;
import glassbox.tensor.Blas;
import glassbox.util.AtomicFiles;
import glassbox.util.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./glassbox bench numpy-gap}: how far glassbox's BLAS facade ({@link Blas#sgemm}, FFM calls on the Java
 * arrays) is
 * from numpy's float32 {@code matmul} on the same OpenBLAS, and what each candidate remedy buys.
 *
 * <p><b>Set-up.</b> Every side is a long-lived child process answering timing requests
 * ({@link GemmWorker} for glassbox, {@code benchmarks/python/numpy_gemm.py} for numpy), because the
 * settings compared — OpenBLAS's thread count, glibc's malloc thresholds, the kernel OpenBLAS picks — are
 * fixed per process. The parent asks them in turn, round after round, the order rotated each round, and
 * keeps each figure's median over the rounds: a burst of load from elsewhere then spoils one round of
 * every side, not one side. The children:
 * <ul>
 *   <li><b>glassbox</b>: a JVM in the launcher's environment (its OpenBLAS, kernel and thread count) with
 *       OpenBLAS on all cores;</li>
 *   <li><b>glassbox, 1 thread</b>: the same with {@code OPENBLAS_NUM_THREADS=1};</li>
 *   <li><b>glassbox, default malloc</b>: the same without the malloc thresholds;</li>
 *   <li><b>numpy</b>: {@code /usr/bin/python3} with {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}
 *       removed (OpenBLAS picks its kernel itself, as for any numpy user), otherwise the same environment —
 *       the same preloaded library and thread count;</li>
 *   <li><b>numpy, glassbox's kernel</b>: numpy with glassbox's {@code OPENBLAS_CORETYPE}: the difference
 *       between the facade and this is the facade's own cost (the FFM call), the kernel choice taken out;</li>
 *   <li><b>numpy, 1 thread</b>.</li>
 * </ul>
 * Each prints which OpenBLAS file it mapped; the report says whether glassbox and numpy run the same one.
 *
 * <p><b>What is measured.</b> Per product, the median seconds per call of {@code C = op(A)·op(B)} at
 * 1024², 2048² and the seed-000 MLP's products (784-128-128-10) at batch 32 and 256: forward {@code x·W}
 * per layer, {@code dW = xᵀ·dZ} per layer, {@code dX = dZ·Wᵀ} for layers 2 and 3 (the first layer's dX
 * is never computed: {@code Sequential} skips it, nothing below needs it). Then the remedies:
 * <ol type="a">
 *   <li>larger batches of work per call: eight calls on an eighth of the batch against one call (batch
 *       256 shapes); and {@code predict} of 8,192 samples at 32 to 8,192 rows per forward pass;</li>
 *   <li>reused buffers: glassbox with glibc's default malloc against the launcher's thresholds;</li>
 *   <li>fewer calls per layer: a Dense pass with the bias folded into the GEMM ({@code [x 1]·[W; b]},
 *       {@code [x 1]ᵀ·dZ} for dW and db at once) against the layer's GEMM plus a bias loop;</li>
 *   <li>OpenBLAS's thread count: 1 thread against all cores, per product and per MLP training step;
 *       one product split over two Java threads each running a 1-thread OpenBLAS, always ({@code split2})
 *       and as the facade does it above {@link Blas#SPLIT_FLOPS} ({@code GLASSBOX_BLAS_THREADS}).</li>
 * </ol>
 * The MLP training step is also timed in numpy (the same network, loss and Adam written with numpy
 * arrays in the script), for the gap on a whole step rather than per product.
 * The tables go to standard output and, with every median and the processes' descriptions, to
 * {@code runs/bench/numpy-gap-<time>.json} and {@code .md}.
 */
@Command(name = "numpy-gap", mixinStandardHelpOptions = true,
        description = {"glassbox's BLAS facade beside numpy's float32 matmul on the same OpenBLAS, alternating",
            "the two in one run, then what each remedy buys: bigger calls, malloc reuse, fewer calls per",
            "Dense layer, OpenBLAS's thread count (1 vs the launcher's; two Java threads × 1)."})
public final class NumpyGapBenchmark implements Callable<Integer> {
    @Option(names = "--rounds", description = "rounds of measurements, medians over them; default ${DEFAULT-VALUE}")
    int rounds = 5;

    @Option(names = "--batch-seconds", paramLabel = "S",
            description = "target length of one timed batch of calls; default ${DEFAULT-VALUE}")
    double batchSeconds = 0.05;

    @Option(names = "--python", description = "interpreter with numpy; default ${DEFAULT-VALUE}")
    String python = PythonPeers.PYTHON;

    @Option(names = "--script", paramLabel = "FILE",
            description = "the numpy side; default <project>/benchmarks/python/numpy_gemm.py")
    Path script;

    @Option(names = "--quick", description = "two MLP shapes, two rounds, no training steps (a smoke test)")
    boolean quick;

    /** One matrix product: {@code op(A)} is m×k, {@code op(B)} is k×n. */
    record Shape(String name, int m, int n, int k, boolean ta, boolean tb) {
        String request() {
            return m + " " + n + " " + k + " " + (ta ? "T" : "N") + " " + (tb ? "T" : "N");
        }

        double flops() {
            return 2.0 * m * n * k;
        }
    }

    /** The products of one training step of the 784-128-128-10 MLP at {@code batch}. */
    static List<Shape> mlpShapes(int batch) {
        int[] widths = {784, 128, 128, 10};
        List<Shape> list = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            list.add(new Shape("b" + batch + " fwd L" + (l + 1), batch, widths[l + 1], widths[l], false, false));
        }
        for (int l = 0; l < 3; l++) {
            list.add(new Shape("b" + batch + " dW L" + (l + 1), widths[l], widths[l + 1], batch, true, false));
        }
        for (int l = 1; l < 3; l++) {
            list.add(new Shape("b" + batch + " dX L" + (l + 1), batch, widths[l], widths[l + 1], false, true));
        }
        return list;
    }

    static List<Shape> shapes(boolean quick) {
        List<Shape> list = new ArrayList<>();
        if (quick) {
            list.add(mlpShapes(32).get(0));
            list.add(mlpShapes(32).get(3));
            return list;
        }
        list.add(new Shape("1024²", 1024, 1024, 1024, false, false));
        list.add(new Shape("2048²", 2048, 2048, 2048, false, false));
        list.addAll(mlpShapes(32));
        list.addAll(mlpShapes(256));
        // What Sequential saves by never computing the first layer's dX (nothing below it needs it); named
        // so that the per-step sums leave it out.
        for (int batch : new int[] {32, 256}) {
            list.add(new Shape("skipped: dX L1 b" + batch, batch, 784, 128, false, true));
        }
        return list;
    }

    /** A child process answering one request per line. */
    static final class Child implements AutoCloseable {
        final String name;
        final Process process;
        final BufferedReader out;
        final BufferedWriter in;
        final Map<String, Object> description;

        @SuppressWarnings("unchecked")
        Child(String name, List<String> command, Map<String, String> env) throws IOException {
            this.name = name;
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().putAll(env);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready ")) {
                process.destroy();
                throw new IOException(name + " did not start (" + String.join(" ", command) + " printed "
                        + (line == null ? "nothing" : "'" + line + "'") + "; its errors are above)");
            }
            description = Json.fromJson(line.substring(6), Map.class);
        }

        /** Sends one request; the seconds it answers. */
        double ask(String request) throws IOException {
            in.write(request);
            in.newLine();
            in.flush();
            String answer = out.readLine();
            if (answer == null) {
                throw new IOException(name + " exited while answering '" + request + "'");
            }
            if (answer.startsWith("error")) {
                throw new IOException(name + " could not answer '" + request + "': " + answer);
            }
            return Double.parseDouble(answer);
        }

        /** A field of the child's description; whole numbers without Gson's ".0". */
        String describe(String field) {
            Object v = description.get(field);
            return v instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : String.valueOf(v);
        }

        /** The OpenBLAS file (resolved) this child mapped, or "?" if none. */
        String openblas() {
            Object libs = description.get("libraries");
            if (libs instanceof List<?> list) {
                for (Object o : list) {
                    if (Path.of(o.toString()).getFileName().toString().startsWith("libopenblas")) {
                        try {
                            return Path.of(o.toString()).toRealPath().toString();
                        } catch (IOException e) {
                            return o.toString();
                        }
                    }
                }
            }
            return "?";
        }

        @Override
        public void close() {
            try {
                in.write("quit");
                in.newLine();
                in.flush();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One timed quantity: a child and its request, with {@code %d} where the repetition count goes
     * ({@code reps} is sized once so that a batch lasts about {@code --batch-seconds}).
     */
    static final class Probe {
        final String key;
        final Child child;
        final String template;
        final int divisor;
        int reps;
        final List<Double> seconds = new ArrayList<>();

        /** {@code divisor}: how many of the timed units one answer covers (1 but for whole-run requests). */
        Probe(String key, Child child, String template, int divisor) {
            this.key = key;
            this.child = child;
            this.template = template;
            this.divisor = divisor;
        }

        double measure(int r) throws IOException {
            return child.ask(template.contains("%d") ? String.format(Locale.ROOT, template, r) : template) / divisor;
        }

        double median() {
            return seconds.isEmpty() ? Double.NaN
                    : BenchResults.median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    @Override
    public Integer call() throws Exception {
        Path home = Datasets.home();
        Path numpyScript = script != null ? script : home.resolve("benchmarks").resolve("python").resolve("numpy_gemm.py");
        if (!Files.isRegularFile(numpyScript)) {
            System.err.println("bench numpy-gap: the numpy side's script " + numpyScript + " is missing (it ships in"
                    + " the repository as benchmarks/python/numpy_gemm.py; give another with --script FILE)");
            return 2;
        }
        if (rounds < 1 || !(batchSeconds > 0)) {
            System.err.println("bench numpy-gap: --rounds must be ≥ 1 and --batch-seconds > 0, got " + rounds + " and "
                    + batchSeconds);
            return 2;
        }
        String noNumpy = PythonPeers.missing(python, PythonPeers.Library.NUMPY);
        if (noNumpy != null) { // this benchmark is the gap to numpy: without it there is nothing to report
            System.err.println("bench numpy-gap: needs numpy: " + noNumpy);
            return 2;
        }
        int roundCount = quick ? Math.min(rounds, 2) : rounds;
        double busy = BlasPaths.busyCores();
        System.out.println("bench numpy-gap — launcher's BLAS: " + Blas.describe());
        if (busy > 0.25) {
            System.out.printf(Locale.ROOT, "warning: other processes keep %.1f of %d cores busy; the ratios below are"
                    + " taken side by side, the absolute times are inflated%n", busy,
                    Runtime.getRuntime().availableProcessors());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        // Which of the three thread settings below the launcher chose: the one the gap table reports.
        String launcherKind = Blas.threads() > 1 ? "bands"
                : "1".equals(env.get("OPENBLAS_NUM_THREADS")) ? "facade1" : "facadeN";
        List<Child> children = new ArrayList<>();
        try {
            Map<String, String> base = new HashMap<>(env);
            base.remove("GLASSBOX_BLAS_THREADS");
            Map<String, String> allThreads = new HashMap<>(base);
            allThreads.put("OPENBLAS_NUM_THREADS", cores);
            Child jvm = startJvm("glassbox, OpenBLAS " + cores + " threads", allThreads, children);
            Map<String, String> oneThread = new HashMap<>(base);
            oneThread.put("OPENBLAS_NUM_THREADS", "1");
            Child jvm1 = startJvm("glassbox, OpenBLAS 1 thread", oneThread, children);
            Map<String, String> bandsEnv = new HashMap<>(oneThread);
            bandsEnv.put("GLASSBOX_BLAS_THREADS", cores);
            Child jvmBands = startJvm("glassbox, OpenBLAS 1 thread, facade bands on " + cores + " threads", bandsEnv,
                    children);
            Map<String, String> plainMalloc = new HashMap<>(env);
            plainMalloc.keySet().removeIf(k -> k.startsWith("MALLOC_"));
            Child jvmMalloc = quick ? null : startJvm("glassbox as the launcher chose, default malloc", plainMalloc,
                    children);
            Child launcherJvm = launcherKind.equals("bands") ? jvmBands : launcherKind.equals("facade1") ? jvm1 : jvm;

            Map<String, String> numpyEnv = new HashMap<>(base);
            numpyEnv.remove("OPENBLAS_CORETYPE");
            numpyEnv.remove("OPENBLAS_L2_SIZE");
            numpyEnv.put("OPENBLAS_NUM_THREADS", cores);
            Child numpy = startPython("numpy", numpyScript, numpyEnv, children);
            Map<String, String> numpyKernel = new HashMap<>(numpyEnv);
            if (env.containsKey("OPENBLAS_CORETYPE")) {
                numpyKernel.put("OPENBLAS_CORETYPE", env.get("OPENBLAS_CORETYPE"));
            }
            Child numpyGlassboxKernel = startPython("numpy, glassbox's kernel", numpyScript, numpyKernel, children);
            Map<String, String> numpyOne = new HashMap<>(numpyEnv);
            numpyOne.put("OPENBLAS_NUM_THREADS", "1");
            Child numpy1 = startPython("numpy 1 thread", numpyScript, numpyOne, children);

            for (Child c : children) {
                System.out.println("  " + c.name + ": " + c.openblas() + ", core " + c.describe("core") + ", threads "
                        + c.describe("threads"));
            }
            boolean same = launcherJvm.openblas().equals(numpy.openblas()) && !numpy.openblas().equals("?");
            System.out.println(same ? "same OpenBLAS on both sides: " + jvm.openblas()
                    : "WARNING: not the same OpenBLAS: glassbox " + launcherJvm.openblas() + ", numpy "
                    + numpy.openblas());

            List<Shape> shapes = shapes(quick);
            Map<String, Probe> probes = new LinkedHashMap<>();
            for (Shape s : shapes) {
                String g = "gemm " + s.request() + " %d ";
                add(probes, "facadeN|" + s.name, jvm, g + "facade");
                add(probes, "copy|" + s.name, jvm, g + "copy");
                add(probes, "numpy|" + s.name, numpy, "gemm " + s.request() + " %d");
                add(probes, "numpyKernel|" + s.name, numpyGlassboxKernel, "gemm " + s.request() + " %d");
                add(probes, "numpy1|" + s.name, numpy1, "gemm " + s.request() + " %d");
                add(probes, "facade1|" + s.name, jvm1, g + "facade");
                add(probes, "split2|" + s.name, jvm1, g + "split2");
                add(probes, "bands|" + s.name, jvmBands, g + "facade");
                if (jvmMalloc != null) {
                    add(probes, "malloc|" + s.name, jvmMalloc, g + "facade");
                }
                if (s.name.startsWith("b256") && !s.tb) {
                    add(probes, "chunks8|" + s.name, launcherJvm, g + "chunks8");
                }
            }
            int[][] denseShapes = quick ? new int[][] {{784, 128, 32}} : new int[][] {{784, 128, 32}, {128, 128, 32},
                {784, 128, 256}, {128, 128, 256}};
            for (int[] d : denseShapes) {
                for (String v : List.of("fwd", "fwdAug", "bwd", "bwdAug")) {
                    add(probes, "dense " + v + "|" + d[0] + "→" + d[1] + " b" + d[2], launcherJvm,
                            "dense " + v + " " + d[0] + " " + d[1] + " " + d[2] + " %d");
                }
            }
            if (!quick) {
                for (int batch : new int[] {32, 256}) {
                    int steps = batch == 32 ? 200 : 40;
                    for (Child c : List.of(jvm, jvm1, jvmBands, jvmMalloc, numpy)) {
                        probes.put("mlp|" + c.name + "|" + batch, new Probe("mlp|" + c.name + "|" + batch, c,
                                "mlp " + batch + " " + steps, 1));
                    }
                }
                for (int chunk : new int[] {32, 256, 1024, 8192}) {
                    probes.put("predict|" + chunk, new Probe("predict|" + chunk, launcherJvm, "predict " + chunk, 1));
                }
            }

            calibrate(probes.values());
            List<Child> order = new ArrayList<>(children);
            for (int r = 0; r < roundCount; r++) {
                System.out.printf(Locale.ROOT, "round %d/%d …%n", r + 1, roundCount);
                for (int i = 0; i < order.size(); i++) {
                    Child c = order.get((i + r) % order.size());
                    // Let the previous child's OpenBLAS threads stop spinning before this one is timed.
                    Thread.sleep(200);
                    for (Probe p : probes.values()) {
                        if (p.child == c) {
                            p.seconds.add(p.measure(p.reps));
                        }
                    }
                }
            }
            NumpyGapReport report = new NumpyGapReport(shapes, probes, cores, launcherKind, launcherJvm, children,
                    same, busy, roundCount);
            String markdown = report.markdown();
            System.out.println();
            System.out.print(markdown);
            write(home, markdown, report.json());
            return 0;
        } finally {
            for (Child c : children) {
                c.close();
            }
        }
    }

    private static void add(Map<String, Probe> probes, String key, Child child, String template) {
        probes.put(key, new Probe(key, child, template, 1));
    }

    private Child startJvm(String name, Map<String, String> env, List<Child> children) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Child c = new Child(name, List.of(java, "-Xmx2g", "-Djdk.lang.processReaperUseDefaultStackSize=true",
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), GemmWorker.class.getName()),
                env);
        children.add(c);
        return c;
    }

    private Child startPython(String name, Path numpyScript, Map<String, String> env, List<Child> children)
            throws IOException {
        Child c = new Child(name, List.of(python, numpyScript.toString()), env);
        children.add(c);
        return c;
    }

    /**
     * Sizes each probe's batch: two single calls (the first builds operands, warms the JIT and starts
     * OpenBLAS's threads), then as many repetitions as fill {@code --batch-seconds}; whole-run requests
     * (training steps, predict) are run once to warm up and keep their fixed size.
     */
    private void calibrate(Iterable<Probe> probes) throws IOException {
        System.out.println("warming up every child …");
        for (Probe p : probes) {
            if (!p.template.contains("%d")) {
                p.measure(0);
                p.reps = 0;
                continue;
            }
            p.measure(1);
            double once = Math.max(1e-7, p.measure(3));
            p.reps = (int) Math.max(1, Math.min(200_000, batchSeconds / once));
            p.measure(p.reps); // warm at the batch size that will be timed
        }
    }

    private static void write(Path home, String markdown, Map<String, Object> json) throws IOException {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dir = home.resolve("runs").resolve("bench");
        Path jsonFile = dir.resolve("numpy-gap-" + stamp + ".json");
        Path mdFile = dir.resolve("numpy-gap-" + stamp + ".md");
        Json.write(jsonFile, json);
        AtomicFiles.writeString(mdFile, markdown);
        System.out.println("results: " + jsonFile + " and " + mdFile.getFileName());
    }
}
