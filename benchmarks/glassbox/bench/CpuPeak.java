package glassbox.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * This machine's peak single-precision rate, derived from what the CPU says about itself:
 * {@code cores × FMA ports × SIMD lanes × 2 (an FMA is a multiply and an add) × clock}.
 *
 * <p>Lanes and ports per core, from {@code /proc/cpuinfo}'s vendor, family and flags:
 * <pre>
 *   AMD family ≥ 26 (Zen 5), avx512f   16 fp32 lanes × 2 FMA pipes (two full 512-bit FMAs per cycle)
 *   AMD family 25 (Zen 4), avx512f     16 lanes × 1: 512-bit FMAs run as two 256-bit halves on its two pipes
 *   other x86 with avx512f (Intel)     16 lanes × 2 (Xeon Gold/Platinum and later; parts with one 512-bit
 *                                      FMA unit — some Silver/Bronze, client chips — have half: an overestimate)
 *   avx2 + fma (Haswell+, Zen 2/3)     8 lanes × 2 (Zen 1, family 23 model &lt; 0x30, splits 256-bit ops: half)
 *   avx without fma                    8 lanes × 1 (a multiply port and an add port: 16 flops per cycle)
 *   otherwise (SSE)                    4 lanes × 1
 * </pre>
 * Clock: {@code /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq} when the kernel exposes it (the
 * highest boost the driver knows), else {@code cpu MHz} from {@code /proc/cpuinfo} — under a hypervisor the
 * host's nominal clock, which boosting cores exceed. Cores: {@code Runtime.availableProcessors()}.
 *
 * <p>The derivation is checked against the best measured GEMM ({@link #check}): above 100% means the cores
 * run faster than the clock used (boost), and the implied clock is printed; an implied clock no x86 core
 * reaches (above {@value #FASTEST_X86_GHZ} GHz) means the lanes × ports guess is wrong — under a hypervisor
 * the family and model are the virtual CPU model's (this machine's KVM guest reports family 25, Zen 4's,
 * while BLAS measures more than a Zen 4 core can do at any clock) — and the check re-derives with two FMA
 * ports, Zen 5's.
 */
record CpuPeak(String model, String vendor, int family, int cores, int lanes, int fmaPorts, double ghz,
               String clockSource, boolean virtualised) {
    /** The highest clock any shipping x86 core boosts to, GHz (desktop Zen 5 and Raptor Lake, ~5.7–6.0). */
    static final double FASTEST_X86_GHZ = 6.0;

    /** FLOPs per cycle per core. */
    int flopsPerCycle() {
        return fmaPorts * lanes * 2;
    }

    /** The derived peak, GFLOP/s. */
    double gflops() {
        return cores * flopsPerCycle() * ghz;
    }

    /** Reads {@code /proc/cpuinfo} and cpufreq; {@code null} when /proc/cpuinfo cannot be read (not Linux). */
    static CpuPeak detect() {
        try {
            String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
            Path max = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
            OptionalDouble maxMhz = Files.isReadable(max)
                    ? OptionalDouble.of(Double.parseDouble(Files.readString(max).trim()) / 1000)
                    : OptionalDouble.empty();
            return parse(cpuinfo, maxMhz, Runtime.getRuntime().availableProcessors());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The derivation from {@code /proc/cpuinfo}'s text (its first processor), a cpufreq maximum if any, and a core count. */
    static CpuPeak parse(String cpuinfo, OptionalDouble maxMhz, int cores) {
        String vendor = field(cpuinfo, "vendor_id", "unknown");
        String model = field(cpuinfo, "model name", "unknown");
        int family = Integer.parseInt(field(cpuinfo, "cpu family", "0"));
        int modelNumber = Integer.parseInt(field(cpuinfo, "model", "0"));
        Set<String> flags = new HashSet<>(Arrays.asList(field(cpuinfo, "flags", "").split("\\s+")));
        boolean amd = vendor.equals("AuthenticAMD");
        int lanes;
        int ports;
        if (flags.contains("avx512f")) {
            lanes = 16;
            ports = amd && family == 25 ? 1 : 2;
        } else if (flags.contains("avx2") && flags.contains("fma")) {
            lanes = 8;
            ports = amd && family == 23 && modelNumber < 0x30 ? 1 : 2;
        } else if (flags.contains("avx")) {
            lanes = 8;
            ports = 1;
        } else {
            lanes = 4;
            ports = 1;
        }
        double ghz;
        String source;
        if (maxMhz.isPresent()) {
            ghz = maxMhz.getAsDouble() / 1000;
            source = "cpufreq cpuinfo_max_freq";
        } else {
            String mhz = field(cpuinfo, "cpu MHz", null);
            if (mhz == null) {
                throw new IllegalArgumentException("/proc/cpuinfo has no 'cpu MHz' line and there is no cpufreq maximum");
            }
            ghz = Double.parseDouble(mhz) / 1000;
            source = "/proc/cpuinfo cpu MHz";
        }
        return new CpuPeak(model, vendor, family, cores, lanes, ports, ghz, source, flags.contains("hypervisor"));
    }

    private static String field(String cpuinfo, String key, String fallback) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return fallback;
    }

    /** How the peak was derived, one line. */
    String derivation() {
        return String.format(Locale.ROOT, "peak = %d cores × %d FMA ports × %d fp32 lanes × 2 × %.2f GHz = %.0f GFLOP/s"
                        + " (%s, %s family %d%s; clock from %s)", cores, fmaPorts, lanes, ghz, gflops(), model, vendor,
                family, virtualised ? ", under a hypervisor" : "", clockSource);
    }

    /** The same CPU with {@code ports} FMA ports. */
    CpuPeak withFmaPorts(int ports) {
        return new CpuPeak(model, vendor, family, cores, lanes, ports, ghz, clockSource, virtualised);
    }

    /**
     * The derivation checked against {@code bestGflops}, the best figure measured: the peak to use (this one,
     * or with two FMA ports when this one would need an impossible clock) and the lines explaining it.
     */
    Checked check(double bestGflops, String bestLabel) {
        List<String> lines = new ArrayList<>();
        CpuPeak peak = this;
        double implied = bestGflops / (cores * flopsPerCycle());
        if (implied > FASTEST_X86_GHZ && fmaPorts == 1 && lanes == 16) {
            peak = withFmaPorts(2);
            lines.add(String.format(Locale.ROOT, "%s reached %.0f GFLOP/s: with %d FMA port(s) that needs %.1f GHz, which"
                            + " no x86 core reaches — the CPU is not what it says%s; re-derived with 2 FMA ports (Zen 5):",
                    bestLabel, bestGflops, fmaPorts, implied,
                    virtualised ? " (a hypervisor's virtual CPU model names the family)" : ""));
            lines.add(peak.derivation());
            implied = bestGflops / (cores * peak.flopsPerCycle());
        }
        double percent = 100 * bestGflops / peak.gflops();
        lines.add(String.format(Locale.ROOT, "best measured: %s, %.0f GFLOP/s = %.0f%% of %.0f", bestLabel, bestGflops,
                percent, peak.gflops()));
        if (percent > 100) {
            lines.add(String.format(Locale.ROOT, "above 100%%: the cores run faster than the %.2f GHz reported (boost);"
                    + " the measured figure implies at least %.2f GHz, a peak of at least %.0f GFLOP/s", ghz, implied,
                    bestGflops));
        }
        return new Checked(peak, lines);
    }

    /** The peak a table's "% of peak" uses, and how it was checked. */
    record Checked(CpuPeak peak, List<String> lines) {
    }
}
