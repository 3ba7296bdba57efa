package glassbox.bench;

import glassbox.tensor.Blas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
 * <p><b>Why there is a choice at all.</b> jblas 1.2.5 ships its own OpenBLAS (built in 2020). On a CPU
 * newer than that build it does not recognise the processor and falls back to generic SSE kernels
 * ("Barcelona"): on a 2-core AMD EPYC (Zen 5) that is ~45 GFLOP/s where numpy reaches ~400. Two ways out:
 * <ul>
 *   <li>force a kernel the old build does have, with {@code OPENBLAS_CORETYPE=Haswell} (AVX2) or
 *       {@code SkylakeX} (AVX-512);</li>
 *   <li>use the operating system's newer OpenBLAS (Debian's {@code libopenblas0-pthread}) by preloading
 *       it: jblas calls {@code sgemm_} as a dynamic symbol, so with {@code LD_PRELOAD} the preloaded
 *       library's {@code sgemm_} wins, and it detects the CPU itself.</li>
 * </ul>
 * A third lever is not BLAS at all but the C allocator. jblas hands each Java array to BLAS by copying it
 * into memory from {@code malloc} and frees it after the call. glibc gives freed blocks of more than
 * ~128 KB straight back to the operating system, so the next call gets fresh pages and takes a page fault
 * on every 4 KB of every operand: copying 3 × 256 KB then costs ~270 µs instead of ~20 µs. Raising glibc's
 * {@code MALLOC_MMAP_THRESHOLD_} and {@code MALLOC_TRIM_THRESHOLD_} makes it keep and reuse that memory.
 *
 * <p>Which combination is fastest depends on the CPU and the library versions, so it is measured, not
 * guessed. Each candidate runs in its own JVM (the library {@code sgemm_} binds to is fixed at process
 * start), with every inherited {@code OPENBLAS_*} and {@code MALLOC_*} variable removed first so that a
 * global setting cannot skew it.
 *
 * <p><b>The rule.</b> Score = geometric mean of the GFLOP/s on {@link BlasProbe#SHAPES} (a large square
 * product and the MLP's small ones, so neither dominates). Every library/kernel candidate is measured
 * with all threads and the allocator keeping freed memory (so that page faults do not blur the
 * comparison of libraries), those within reach of the best once more; the highest score among the
 * correct ones wins. Then the winner duels variants of itself, each measured alternately with it: one
 * OpenBLAS thread with the facade splitting the large products over all cores itself (small products
 * then run on one thread, where they lose nothing to thread hand-off; large ones on all: see
 * {@code Blas}), then the allocator's defaults. A variant is kept only if it scores higher.
 *
 * <p>A bare one-thread OpenBLAS is measured for the record ({@code bench blas-paths}) but never chosen:
 * the probe's shapes are the MLP's, and on a loaded machine one thread wins them, yet it would run the
 * convolutions' large products on one core for good. The facade's bands keep those on every core.
 */
public final class BlasPaths {
    /**
     * One way of running BLAS: a description and the environment variables that select it.
     * {@code facadeThreads} &gt; 1 means OpenBLAS on {@code threads} (one) thread and glassbox's facade
     * splitting large products over that many Java threads ({@code GLASSBOX_BLAS_THREADS}, see {@code Blas}).
     */
    record Candidate(String library, String preload, String coreType, int threads, boolean keepFreedMemory,
                     int facadeThreads) {
        Candidate(String library, String preload, String coreType, int threads, boolean keepFreedMemory) {
            this(library, preload, coreType, threads, keepFreedMemory, 1);
        }

        String name() {
            return library + ", " + (coreType == null ? "detected kernel" : "forced " + coreType)
                    + ", " + threadsText()
                    + (keepFreedMemory ? ", malloc keeps freed memory" : "");
        }

        String threadsText() {
            return threads + (threads == 1 ? " thread" : " threads") + (facadeThreads > 1
                    ? " (large products split over " + facadeThreads + " Java threads by the facade)" : "");
        }

        Candidate withThreads(int t) {
            return new Candidate(library, preload, coreType, t, keepFreedMemory, 1);
        }

        Candidate splitByFacade(int javaThreads) {
            return new Candidate(library, preload, coreType, 1, keepFreedMemory, javaThreads);
        }

        Candidate keepingFreedMemory(boolean keep) {
            return new Candidate(library, preload, coreType, threads, keep, facadeThreads);
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
    private static final Pattern VERSION = Pattern.compile("r(\\d+\\.\\d+\\.\\d+)");
    private static final String BUNDLED = "jblas 1.2.5 bundled OpenBLAS";
    /**
     * glibc settings that keep freed memory for reuse: blocks up to 32 MiB (glibc's upper limit for this
     * setting; a 2048×2048 float matrix is 16 MiB) come from the heap instead of their own mapping, and the
     * heap is given back to the system only above 256 MiB free.
     */
    static final Map<String, String> KEEP_FREED_MEMORY = Map.of(
            "MALLOC_MMAP_THRESHOLD_", Integer.toString(32 << 20),
            "MALLOC_TRIM_THRESHOLD_", Integer.toString(256 << 20));
    /** A candidate within this fraction of the best after the first round is measured again. */
    private static final double CLOSE = 0.7;

    private BlasPaths() {
    }

    /**
     * The candidates: the bundled library as shipped and with forced kernels the CPU supports, then the
     * system OpenBLAS (if installed) detected and forced. All at {@code threads} threads.
     */
    static List<Candidate> candidates(int threads, boolean extra) {
        String flags = cpuFlags();
        boolean avx2 = flags == null || flags.contains(" avx2");
        boolean avx512 = flags == null || flags.contains(" avx512f");
        List<Candidate> list = new ArrayList<>();
        list.add(new Candidate(BUNDLED, null, null, threads, true));
        if (avx2) {
            list.add(new Candidate(BUNDLED, null, "Haswell", threads, true));
        }
        if (avx512) {
            list.add(new Candidate(BUNDLED, null, "SkylakeX", threads, true));
        }
        Optional<Path> system = findSystemOpenBlas();
        if (system.isPresent()) {
            String lib = systemLibraryName(system.get());
            String preload = system.get().toString();
            list.add(new Candidate(lib, preload, null, threads, true));
            if (avx2) {
                list.add(new Candidate(lib, preload, "Haswell", threads, true));
            }
            if (extra && avx512) {
                list.add(new Candidate(lib, preload, "SkylakeX", threads, true));
            }
        }
        return list;
    }

    /**
     * Measures the candidates by the rule in the class comment and returns every measurement kept (each
     * candidate's best run, or its failure: one wrong result rejects a path), in the order first measured.
     * {@code rounds} is how often the close candidates, and each duel, are measured: going round twice
     * means a burst of load from another process spoils one run of a candidate, not the candidate.
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
        if (winner == null) {
            return new ArrayList<>(kept.values());
        }
        Candidate chosen = winner.candidate();
        if (chosen.threads() > 1) {
            int cores = chosen.threads();
            keepBetter(kept, measure(chosen.withThreads(1), batchSeconds, progress)); // reported, not chosen
            // One OpenBLAS thread for the small products, the facade's bands over every core for the large.
            chosen = duel(kept, chosen, chosen.withThreads(1).splitByFacade(cores), batchSeconds, rounds, progress);
        }
        duel(kept, chosen, chosen.keepingFreedMemory(false), batchSeconds, rounds, progress);
        return new ArrayList<>(kept.values());
    }

    /** Measures {@code challenger} and {@code holder} alternately; returns the one with the better score. */
    private static Candidate duel(Map<Candidate, Measurement> kept, Candidate holder, Candidate challenger,
                                  double batchSeconds, int rounds, boolean progress) {
        for (int round = 0; round < rounds; round++) {
            keepBetter(kept, measure(challenger, batchSeconds, progress));
            keepBetter(kept, measure(holder, batchSeconds, progress));
        }
        Measurement c = kept.get(challenger);
        return c.ok() && c.score() > kept.get(holder).score() ? challenger : holder;
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
     * A bare one-thread OpenBLAS is not choosable on a machine with more cores (see the class comment).
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
        return c.threads() > 1 || c.facadeThreads() > 1 || Runtime.getRuntime().availableProcessors() == 1;
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
                    "-Djdk.lang.processReaperUseDefaultStackSize=true",
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

    /**
     * The system's OpenBLAS, if installed: Debian/Ubuntu put the pthread build (the one to prefer: the
     * OpenMP build would pull libgomp into the JVM) under {@code /usr/lib/<triplet>/openblas-pthread/};
     * Fedora and Arch use plain library directories. {@code GLASSBOX_SYSTEM_OPENBLAS} overrides the search.
     */
    static Optional<Path> findSystemOpenBlas() {
        String override = System.getenv("GLASSBOX_SYSTEM_OPENBLAS");
        if (override != null && !override.isEmpty()) {
            return Files.isReadable(Path.of(override)) ? Optional.of(Path.of(override)) : Optional.empty();
        }
        List<Path> tries = new ArrayList<>();
        for (String variant : new String[] {"openblas-pthread", "openblas-openmp"}) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/usr/lib"), "*-linux-gnu*")) {
                for (Path dir : dirs) {
                    tries.add(dir.resolve(variant).resolve("libopenblas.so.0"));
                }
            } catch (IOException | RuntimeException e) {
                // no /usr/lib (not Linux): nothing to find there
            }
        }
        tries.add(Path.of("/usr/lib64/libopenblasp.so.0"));
        tries.add(Path.of("/usr/lib64/libopenblas.so.0"));
        tries.add(Path.of("/usr/lib/libopenblas.so.0"));
        return tries.stream().filter(Files::isReadable).findFirst();
    }

    /** "system OpenBLAS 0.3.21 (…/libopenblasp-r0.3.21.so)", the version read from the real file name. */
    static String systemLibraryName(Path lib) {
        Path real;
        try {
            real = lib.toRealPath();
        } catch (IOException e) {
            real = lib;
        }
        Matcher v = VERSION.matcher(real.getFileName().toString());
        return "system OpenBLAS" + (v.find() ? " " + v.group(1) : "") + " (" + real + ")";
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
        sb.append(String.format(Locale.ROOT, "%-4s %-22s %-9s %5s %4s", "", "kernel (OpenBLAS core)", "forced", "thr",
                "keep"));
        for (String shape : BlasProbe.SHAPES.keySet()) {
            sb.append(String.format(Locale.ROOT, " %10s", shape));
        }
        sb.append(String.format(Locale.ROOT, " %8s %7s  %s%n", "geomean", "vs best", "library"));
        for (Measurement m : results) {
            Candidate c = m.candidate();
            sb.append(String.format(Locale.ROOT, "%-4s %-22s %-9s %5s %4s", m == best ? "best" : "",
                    m.core() == null ? "?" : m.core(), c.coreType() == null ? "-" : c.coreType(),
                    c.facadeThreads() > 1 ? "1×" + c.facadeThreads() : Integer.toString(c.threads()),
                    c.keepFreedMemory() ? "yes" : "-"));
            for (String shape : BlasProbe.SHAPES.keySet()) {
                Double g = m.gflops().get(shape);
                sb.append(g == null ? String.format(Locale.ROOT, " %10s", "-")
                        : String.format(Locale.ROOT, " %10.1f", g));
            }
            if (m.ok()) {
                sb.append(String.format(Locale.ROOT, " %8.1f %6.0f%%  %s%n", m.score(),
                        100 * m.score() / best.score(), c.library()));
            } else {
                sb.append(String.format(Locale.ROOT, " %8s %7s  %s%n", "-", "-", c.library()));
                sb.append("       rejected: ").append(m.problem()).append('\n');
            }
        }
        sb.append(String.format(Locale.ROOT, "(GFLOP/s, best of 5 batches. square1024: (1024×1024)·(1024×1024);"
                + " mlp32: x·W, (32×784)·(784×128);%n mlp32dW: xᵀ·dOut, (784×32)·(32×128) with x stored 32×784."
                + " keep: malloc keeps freed memory (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_).%n thr 1×2:"
                + " OpenBLAS on 1 thread, products of ≥ %.0f Mflop split over 2 Java threads by the facade.)%n",
                Blas.SPLIT_FLOPS / 1e6));
        return sb.toString();
    }

    /** The one-line description exported as {@code GLASSBOX_BLAS}. */
    static String describe(Measurement m) {
        Candidate c = m.candidate();
        return String.format(Locale.ROOT, "%s, core %s (%s), %s%s; measured %.0f GFLOP/s at 1024², %.0f"
                        + " at 32×784·784×128", c.library(), m.core() == null ? "unknown" : m.core(),
                c.coreType() == null ? "detected" : "forced", c.threadsText(),
                c.keepFreedMemory() ? ", malloc keeps freed memory" : "",
                m.gflops().get("square1024"), m.gflops().get("mlp32"));
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
