package glassbox.bench;

import glassbox.tensor.Blas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which BLAS should glassbox use on this machine? Measures every candidate with {@link BlasProbe} and
 * keeps the fastest one that computes correct results.
 *
 * <p><b>Why there is a choice at all.</b> Two OpenBLAS builds can serve the facade's FFM calls: Debian's
 * ({@code libopenblas0-pthread}, which the launcher installs; it detects the CPU itself) and the one built
 * into jblas 1.2.5's {@code libjblas.so} (2020). On a CPU newer than that build the bundled one does not
 * recognise the processor and falls back to generic SSE kernels ("Barcelona": ~45 GFLOP/s where numpy
 * reaches ~400 on a 2-core Zen 5); forcing a kernel it does have ({@code OPENBLAS_CORETYPE=Haswell},
 * AVX2, or {@code SkylakeX}, AVX-512) mends that, and may beat the detected kernel of the newer build too.
 * Which wins depends on the CPU and the versions, so it is measured, not guessed. Each candidate runs in its
 * own JVM (the kernel is fixed when OpenBLAS loads), with every inherited {@code OPENBLAS_*},
 * {@code MALLOC_*} and {@code GLASSBOX_*} variable removed first so that a global setting cannot skew it.
 *
 * <p><b>Threads.</b> Every choosable candidate runs OpenBLAS on one thread with the facade choosing per
 * product how many cores it gets (bands over Java threads, see {@code Blas}): that keeps the thin and
 * small products off a second OpenBLAS thread (9× slower on a 6272×32×9 product) and keeps results the same
 * bits whatever the thread count. OpenBLAS's own threads, and jblas's JNI calls (each operand copied, the
 * path glassbox used before FFM), are measured beside the winner for the record ({@code bench blas-paths}),
 * never chosen.
 *
 * <p><b>The rule.</b> Score = geometric mean of the GFLOP/s on {@link BlasProbe#SHAPES} (a large square,
 * the MLP's small products at batch 32 and 256, a convolution's thin and large patch products), so no shape
 * dominates. Candidates within reach of the best are measured once more; the highest score among the
 * correct, choosable ones wins.
 */
public final class BlasPaths {
    /**
     * One way of running BLAS: a description, the library the facade binds ({@code GLASSBOX_BLAS_LIBRARY}:
     * a path, {@code jblas} or {@code jblas-jni}) and the environment variables that tune it.
     * {@code facadeThreads} &gt; 1 means OpenBLAS on one thread and glassbox's facade splitting large
     * products over that many Java threads ({@code GLASSBOX_BLAS_THREADS}, see {@code Blas}).
     * {@code preload} and {@code keepFreedMemory} matter to the JNI path only (see {@link #KEEP_FREED_MEMORY}).
     */
    record Candidate(String library, String binding, String preload, String coreType, int threads,
                     boolean keepFreedMemory, int facadeThreads) {
        String name() {
            return library + (jni() ? " through JNI (copies), " : " through FFM, ")
                    + (coreType == null ? "detected kernel" : "forced " + coreType) + ", " + threadsText()
                    + (keepFreedMemory ? ", malloc keeps freed memory" : "");
        }

        boolean jni() {
            return JBLAS_JNI.equals(binding);
        }

        String threadsText() {
            return (facadeThreads > 1
                    ? "1 OpenBLAS thread, products of ≥ " + (int) (Blas.SPLIT_FLOPS / 1e6) + " Mflop split over "
                    + facadeThreads + " Java threads by the facade"
                    : threads + (threads == 1 ? " OpenBLAS thread" : " OpenBLAS threads"));
        }

        /** The same library and kernel with OpenBLAS's own {@code t} threads and no facade split. */
        Candidate withOpenBlasThreads(int t) {
            return new Candidate(library, binding, preload, coreType, t, keepFreedMemory, 1);
        }
    }

    /** What one probe run found. {@code problem} is null for a correct, completed run. */
    record Measurement(Candidate candidate, String problem, String core, Map<String, Double> gflops) {
        boolean ok() {
            return problem == null;
        }

        double score() {
            if (!ok() || gflops.isEmpty()) {
                return 0;
            }
            double logSum = 0;
            for (double g : gflops.values()) {
                logSum += Math.log(g);
            }
            return Math.exp(logSum / gflops.size());
        }
    }

    private static final Pattern CORE_LINE = Pattern.compile("^Core: (.+)$");
    private static final String BUNDLED = "jblas 1.2.5 bundled OpenBLAS";
    static final String JBLAS = "jblas";
    static final String JBLAS_JNI = "jblas-jni";
    /**
     * glibc settings that keep freed memory for reuse, for the JNI path: jblas copies each operand into
     * memory from {@code malloc} and frees it after the call, and glibc gives freed blocks of more than
     * ~128 KB straight back to the system, so every call faults fresh pages in, which at the MLP's shapes
     * cost many times the product itself. Blocks up to 32 MiB come from the heap instead, kept up to 256 MiB free.
     */
    static final Map<String, String> KEEP_FREED_MEMORY = Map.of(
            "MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20),
            "MALLOC_TRIM_THRESHOLD_", Integer.toString(256 << 20));
    /** A candidate within this fraction of the best after the first round is measured again. */
    private static final double CLOSE = 0.7;

    private BlasPaths() {
    }

    /**
     * The choosable candidates, on {@code cores} cores: the system OpenBLAS (if installed) detected and
     * forced to the kernels the CPU supports, then jblas's bundled one forced (detected too, with
     * {@code extra}: it is the slow generic kernel on CPUs newer than 2020). All through FFM, OpenBLAS on one
     * thread, the facade's bands over every core.
     */
    static List<Candidate> candidates(int cores, boolean extra) {
        String flags = cpuFlags();
        boolean avx2 = flags == null || flags.contains(" avx2");
        boolean avx512 = flags == null || flags.contains(" avx512f");
        int facade = Math.max(1, cores);
        List<Candidate> list = new ArrayList<>();
        Optional<Path> system = findSystemOpenBlas();
        if (system.isPresent()) {
            String lib = systemLibraryName(system.get());
            String path = system.get().toString();
            list.add(new Candidate(lib, path, null, null, 1, false, facade));
            if (avx2) {
                list.add(new Candidate(lib, path, null, "Haswell", 1, false, facade));
            }
            if (extra && avx512) {
                list.add(new Candidate(lib, path, null, "SkylakeX", 1, false, facade));
            }
        }
        if (extra) {
            list.add(new Candidate(BUNDLED, JBLAS, null, null, 1, false, facade));
        }
        if (avx2) {
            list.add(new Candidate(BUNDLED, JBLAS, null, "Haswell", 1, false, facade));
        }
        if (avx512) {
            list.add(new Candidate(BUNDLED, JBLAS, null, "SkylakeX", 1, false, facade));
        }
        return list;
    }

    /**
     * The paths measured for the record beside {@code winner}: its library and kernel on OpenBLAS's own
     * threads, and through jblas's JNI calls (the winner's library preloaded under jblas when it is the
     * system's, as glassbox ran before FFM), on all cores with malloc keeping freed memory.
     */
    static List<Candidate> forTheRecord(Candidate winner, int cores) {
        List<Candidate> list = new ArrayList<>();
        if (cores > 1) {
            list.add(winner.withOpenBlasThreads(cores));
        }
        String preload = JBLAS.equals(winner.binding()) ? null : winner.binding();
        list.add(new Candidate(winner.library(), JBLAS_JNI, preload, winner.coreType(), cores, true, 1));
        return list;
    }

    /**
     * Measures the candidates by the rule in the class comment, then the record's paths beside the winner,
     * and returns every measurement kept (each candidate's best run, or its failure: one wrong result
     * rejects a path), in the order first measured. {@code rounds} is how often the close candidates are
     * measured: going round twice means a burst of load from another process spoils one run of a
     * candidate, not the candidate.
     */
    static List<Measurement> measureAll(List<Candidate> candidates, double batchSeconds, int rounds,
                                        boolean progress) {
        Map<Candidate, Measurement> kept = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            keepBetter(kept, measure(c, batchSeconds, progress));
        }
        for (int round = 1; round < rounds; round++) {
            Measurement leader = best(new ArrayList<>(kept.values()));
            for (Candidate c : candidates) {
                if (leader != null && kept.get(c).score() >= CLOSE * leader.score()) {
                    keepBetter(kept, measure(c, batchSeconds, progress));
                }
            }
        }
        Measurement winner = best(new ArrayList<>(kept.values()));
        if (winner != null) {
            int cores = Runtime.getRuntime().availableProcessors();
            for (Candidate c : forTheRecord(winner.candidate(), cores)) {
                keepBetter(kept, measure(c, batchSeconds, progress));
            }
        }
        return new ArrayList<>(kept.values());
    }

    private static void keepBetter(Map<Candidate, Measurement> kept, Measurement m) {
        Measurement old = kept.get(m.candidate());
        if (old == null || (old.ok() && (!m.ok() || m.score() > old.score()))) {
            kept.put(m.candidate(), m);
        }
    }

    /**
     * How many cores other processes keep busy right now, from two samples of {@code /proc/stat} half a
     * second apart, minus this JVM's own CPU time meanwhile (its JIT is still busy starting up); -1 when
     * unknown. The load average would not do: it still remembers the probes this program ran a minute ago.
     */
    static double busyCores() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long ownBefore = os.getProcessCpuTime();
            long wallBefore = System.nanoTime();
            long[] before = cpuTimes();
            Thread.sleep(500);
            long[] after = cpuTimes();
            double wall = (System.nanoTime() - wallBefore) / 1e9;
            double own = (os.getProcessCpuTime() - ownBefore) / 1e9;
            double total = after[0] - before[0];
            double idle = after[1] - before[1];
            if (total <= 0) {
                return -1;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            return Math.max(0, (1 - idle / total) * cores - own / wall);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {total, idle + iowait} jiffies summed over all CPUs, from the first line of /proc/stat. */
    private static long[] cpuTimes() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /**
     * The correct, choosable measurement with the highest score; earlier candidates win ties. Null if none.
     * Choosable: through FFM, with the facade's bands over every core (see the class comment).
     */
    static Measurement best(List<Measurement> results) {
        Measurement best = null;
        for (Measurement m : results) {
            if (m.ok() && choosable(m.candidate()) && (best == null || m.score() > best.score())) {
                best = m;
            }
        }
        return best;
    }

    static boolean choosable(Candidate c) {
        return !c.jni() && c.threads() == 1
                && (c.facadeThreads() > 1 || Runtime.getRuntime().availableProcessors() == 1);
    }

    /** Runs {@link BlasProbe} in a fresh JVM under the candidate's environment and parses what it prints. */
    static Measurement measure(Candidate c, double batchSeconds, boolean progress) {
        if (progress) {
            System.err.printf(Locale.ROOT, "glassbox: probing %s …%n", c.name());
        }
        Path errorDir = null;
        try {
            errorDir = Files.createTempDirectory("glassbox-probe");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx1g",
                    // as the launcher does: a preloaded OpenBLAS's thread-local storage overflows the stack
                    // of the JVM's process-reaper thread otherwise (only matters if the probe forks)
                    "-Djdk.lang.processReaperUseDefaultStackSize=true", "--enable-native-access=ALL-UNNAMED",
                    // A forced kernel the CPU lacks dies of SIGILL; keep the JVM's crash report out of the repo.
                    "-XX:ErrorFile=" + errorDir.resolve("hs_err_%p.log"),
                    "-cp", System.getProperty("java.class.path"),
                    BlasProbe.class.getName(), String.format(Locale.ROOT, "%.3f", batchSeconds));
            pb.redirectErrorStream(true);
            applyEnvironment(pb.environment(), c);
            pb.environment().put("OPENBLAS_VERBOSE", "2"); // makes OpenBLAS print "Core: <kernel>"
            Process p = pb.start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Measurement(c, "timed out", null, Map.of());
            }
            return parse(c, lines, p.exitValue());
        } catch (IOException e) {
            return new Measurement(c, "could not start the probe JVM: " + e.getMessage(), null, Map.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Measurement(c, "interrupted", null, Map.of());
        } finally {
            deleteQuietly(errorDir);
        }
    }

    private static Measurement parse(Candidate c, List<String> lines, int exitCode) {
        String core = null;
        String problem = null;
        boolean sawCorrect = false;
        Map<String, Double> gflops = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher mc = CORE_LINE.matcher(line.trim());
            if (mc.matches()) {
                // With a preloaded library its "Core:" line comes first (it loads before the JVM runs
                // any Java); the bundled copy's initialisation is then the preloaded one's, already done.
                if (core == null) {
                    core = mc.group(1).trim();
                }
                continue;
            }
            String[] kv = line.trim().split(" ", 2);
            if (kv.length == 2 && kv[0].equals("correct")) {
                sawCorrect = true;
                if (!kv[1].equals("true")) {
                    problem = "wrong results: " + kv[1].replaceFirst("^false ?", "");
                }
            } else if (kv.length == 2 && BlasProbe.SHAPES.containsKey(kv[0])) {
                gflops.put(kv[0], Double.parseDouble(kv[1]));
            }
        }
        if (problem == null && exitCode != 0) {
            problem = "probe exited with code " + exitCode + (exitCode >= 128 ? " (crashed: the CPU may lack"
                    + " the forced kernel's instructions)" : "") + lastLines(lines);
        } else if (problem == null && (!sawCorrect || gflops.size() != BlasProbe.SHAPES.size())) {
            problem = "probe printed no result" + lastLines(lines);
        }
        return new Measurement(c, problem, core, gflops);
    }

    private static String lastLines(List<String> lines) {
        List<String> tail = lines.subList(Math.max(0, lines.size() - 3), lines.size());
        return tail.isEmpty() ? "" : ": " + String.join(" / ", tail);
    }

    /**
     * Sets up {@code env} (a copy of ours) for a candidate: every inherited OpenBLAS setting removed,
     * then the candidate's own. Other preloads the user may have are kept.
     */
    static void applyEnvironment(Map<String, String> env, Candidate c) {
        env.keySet().removeIf(k -> k.startsWith("OPENBLAS_") || k.startsWith("MALLOC_") || k.startsWith("GLASSBOX_")
                || k.equals("GOTO_NUM_THREADS") || k.equals("OMP_NUM_THREADS"));
        String otherPreloads = otherPreloads(env.get("LD_PRELOAD"));
        env.remove("LD_PRELOAD");
        if (c.preload() != null) {
            env.put("LD_PRELOAD", c.preload() + (otherPreloads.isEmpty() ? "" : ":" + otherPreloads));
        } else if (!otherPreloads.isEmpty()) {
            env.put("LD_PRELOAD", otherPreloads);
        }
        env.put("GLASSBOX_BLAS_LIBRARY", c.binding());
        if (c.coreType() != null) {
            env.put("OPENBLAS_CORETYPE", c.coreType());
        }
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(c.threads()));
        if (c.facadeThreads() > 1) {
            env.put("GLASSBOX_BLAS_THREADS", Integer.toString(c.facadeThreads()));
        }
        if (c.keepFreedMemory()) {
            env.putAll(KEEP_FREED_MEMORY);
        }
    }

    private static String otherPreloads(String ldPreload) {
        if (ldPreload == null) {
            return "";
        }
        return Arrays.stream(ldPreload.split("[: ]"))
                .filter(s -> !s.isEmpty() && !s.contains("openblas"))
                .collect(Collectors.joining(":"));
    }

    /** The system's OpenBLAS, if installed (the facade's own search, see {@code BlasLibrary}). */
    static Optional<Path> findSystemOpenBlas() {
        return Blas.systemOpenBlas();
    }

    /** "system OpenBLAS 0.3.21 (…/libopenblasp-r0.3.21.so)". */
    static String systemLibraryName(Path lib) {
        return Blas.systemOpenBlasName(lib);
    }

    /** The CPU's feature flags, space-padded, or null when unknown (then every kernel is tried). */
    private static String cpuFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return " " + line.substring(line.indexOf(':') + 1).trim() + " ";
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    /** The measurements as a fixed-width table, with each row's score relative to the best. */
    static String table(List<Measurement> results) {
        Measurement best = best(results);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-4s %-4s %-22s %-9s %5s", "", "call", "kernel (OpenBLAS core)",
                "forced", "thr"));
        for (String shape : BlasProbe.SHAPES.keySet()) {
            sb.append(String.format(Locale.ROOT, " %10s", shape));
        }
        sb.append(String.format(Locale.ROOT, " %8s %7s  %s%n", "geomean", "vs best", "library"));
        for (Measurement m : results) {
            Candidate c = m.candidate();
            sb.append(String.format(Locale.ROOT, "%-4s %-4s %-22s %-9s %5s", m == best ? "best" : "",
                    c.jni() ? "JNI" : "FFM", m.core() == null ? "?" : m.core(),
                    c.coreType() == null ? "-" : c.coreType(),
                    c.facadeThreads() > 1 ? "1×" + c.facadeThreads() : Integer.toString(c.threads())));
            for (String shape : BlasProbe.SHAPES.keySet()) {
                Double g = m.gflops().get(shape);
                sb.append(g == null ? String.format(Locale.ROOT, " %10s", "-")
                        : String.format(Locale.ROOT, " %10.1f", g));
            }
            if (m.ok()) {
                sb.append(String.format(Locale.ROOT, " %8.1f %6.0f%%  %s%s%n", m.score(),
                        best == null ? 0 : 100 * m.score() / best.score(), c.library(),
                        choosable(c) ? "" : " (for the record)"));
            } else {
                sb.append(String.format(Locale.ROOT, " %8s %7s  %s%n", "-", "-", c.library()));
                sb.append("       rejected: ").append(m.problem()).append('\n');
            }
        }
        sb.append("(GFLOP/s, best of 5 batches. ");
        BlasProbe.SHAPES.forEach((name, shape) -> sb.append(String.format(Locale.ROOT, "%s: (%d×%d)%s·(%d×%d); ",
                name, shape[0], shape[2], shape[3] == 1 ? " stored transposed" : "", shape[2], shape[1])));
        sb.append(String.format(Locale.ROOT, "%n FFM: the facade's copy-free calls; JNI: jblas's (operands copied,"
                + " malloc keeping freed memory). thr 1×2: OpenBLAS on 1 thread, products of ≥ %.0f Mflop split"
                + " over 2 Java threads by the facade; 2: OpenBLAS's own 2 threads.)%n", Blas.SPLIT_FLOPS / 1e6));
        return sb.toString();
    }

    /** The one-line description exported as {@code GLASSBOX_BLAS}. */
    static String describe(Measurement m) {
        Candidate c = m.candidate();
        return String.format(Locale.ROOT, "%s through %s, core %s (%s), %s; measured %.0f GFLOP/s at 1024², %.0f"
                        + " at 32×784·784×128, %.0f at 6272×9·9×32", c.library(), c.jni() ? "JNI" : "FFM",
                m.core() == null ? "unknown" : m.core(), c.coreType() == null ? "detected" : "forced",
                c.threadsText(), m.gflops().get("square1024"), m.gflops().get("mlp32"), m.gflops().get("thinconv"));
    }

    /**
     * Writes {@code blas.env} (shell lines the launcher sources) and {@code blas-probe.txt} (the table)
     * into {@code dir}, each atomically: a reader sees the old file or the new one, never half of one.
     */
    static void write(Path dir, List<Measurement> results, Measurement chosen, double busyCores)
            throws IOException {
        Files.createDirectories(dir);
        Candidate c = chosen.candidate();
        String when = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        StringBuilder env = new StringBuilder();
        env.append("# The BLAS glassbox uses on this machine, chosen by measurement (see blas-probe.txt).\n");
        env.append("# Written by './glassbox setup' on ").append(when).append("; delete this file to re-measure.\n");
        env.append("unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE GOTO_NUM_THREADS OMP_NUM_THREADS"
                + " MALLOC_MMAP_THRESHOLD_ MALLOC_TRIM_THRESHOLD_ GLASSBOX_BLAS_THREADS\n");
        env.append("# The library the facade calls through FFM (a path, or jblas for its bundled OpenBLAS)\n");
        env.append("export GLASSBOX_BLAS_LIBRARY=").append(shellQuote(c.binding())).append('\n');
        env.append("export GLASSBOX_BLAS_PRELOAD=").append(shellQuote(c.preload() == null ? "" : c.preload()))
                .append('\n');
        if (c.preload() != null) {
            // Keep any preload the user already has, after ours.
            env.append("export LD_PRELOAD=\"$GLASSBOX_BLAS_PRELOAD${LD_PRELOAD:+:$LD_PRELOAD}\"\n");
        }
        if (c.coreType() != null) {
            env.append("export OPENBLAS_CORETYPE=").append(c.coreType()).append('\n');
        }
        env.append("export OPENBLAS_NUM_THREADS=").append(c.threads()).append('\n');
        if (c.facadeThreads() > 1) {
            env.append("# OpenBLAS on one thread; glassbox's facade splits large products over Java threads\n");
            env.append("export GLASSBOX_BLAS_THREADS=").append(c.facadeThreads()).append('\n');
        }
        if (c.keepFreedMemory()) {
            env.append("# jblas copies every operand into malloc'ed memory; keep it for reuse instead of faulting in"
                    + " fresh pages per call\n");
            KEEP_FREED_MEMORY.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> env.append("export ").append(e.getKey()).append('=').append(e.getValue())
                            .append('\n'));
        }
        env.append("export GLASSBOX_BLAS=").append(shellQuote(describe(chosen))).append('\n');

        String table = "# BLAS paths measured by './glassbox setup' on " + when + "\n# CPU: " + cpuModel() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores; busy with other work when measuring: "
                + (busyCores < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f cores", busyCores)) + "\n\n"
                + table(results)
                + "\nchosen: " + describe(chosen) + "\n";
        writeAtomically(dir.resolve("blas-probe.txt"), table);
        writeAtomically(dir.resolve("blas.env"), env.toString());
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover empty temp directory is harmless
        }
    }
}
