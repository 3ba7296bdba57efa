package glassbox.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The peak derivation on hand-written /proc/cpuinfo text, against peaks worked out by hand. */
class CpuPeakTest {
    private static String cpuinfo(String vendor, int family, int model, String flags, String mhz) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\nmodel\t\t: " + model
                + "\nmodel name\t: Test CPU\ncpu MHz\t\t: " + mhz + "\nflags\t\t: fpu sse sse2 " + flags + "\n\n"
                + "processor\t: 1\nvendor_id\t: " + vendor + "\n";
    }

    @Test
    void zen5CountsTwoFull512BitFmasPerCycle() {
        CpuPeak p = CpuPeak.parse(cpuinfo("AuthenticAMD", 26, 2, "avx avx2 fma avx512f", "3000.000"),
                OptionalDouble.empty(), 2);
        // 2 cores × 2 ports × 16 lanes × 2 flops × 3.0 GHz
        assertEquals(384.0, p.gflops(), 1e-9);
        assertEquals("/proc/cpuinfo cpu MHz", p.clockSource());
    }

    @Test
    void zen4Runs512BitFmasAsTwoHalves() {
        CpuPeak p = CpuPeak.parse(cpuinfo("AuthenticAMD", 25, 17, "avx avx2 fma avx512f", "2500.0"),
                OptionalDouble.empty(), 4);
        assertEquals(4 * 1 * 16 * 2 * 2.5, p.gflops(), 1e-9);
    }

    @Test
    void cpufreqMaximumWinsOverTheReportedMhz() {
        CpuPeak p = CpuPeak.parse(cpuinfo("GenuineIntel", 6, 85, "avx avx2 fma avx512f", "2100.0"),
                OptionalDouble.of(3900), 8);
        assertEquals(8 * 2 * 16 * 2 * 3.9, p.gflops(), 1e-9);
        assertEquals("cpufreq cpuinfo_max_freq", p.clockSource());
    }

    @Test
    void olderVectorUnitsHaveFewerLanes() {
        assertEquals(1 * 2 * 8 * 2 * 3.0, CpuPeak.parse(cpuinfo("GenuineIntel", 6, 60, "avx avx2 fma", "3000"),
                OptionalDouble.empty(), 1).gflops(), 1e-9);
        assertEquals(1 * 1 * 8 * 2 * 3.0, CpuPeak.parse(cpuinfo("AuthenticAMD", 23, 1, "avx avx2 fma", "3000"),
                OptionalDouble.empty(), 1).gflops(), 1e-9); // Zen 1 splits 256-bit ops
        assertEquals(1 * 1 * 8 * 2 * 3.0, CpuPeak.parse(cpuinfo("GenuineIntel", 6, 42, "avx", "3000"),
                OptionalDouble.empty(), 1).gflops(), 1e-9);
        assertEquals(1 * 1 * 4 * 2 * 3.0, CpuPeak.parse(cpuinfo("GenuineIntel", 6, 23, "sse4_1", "3000"),
                OptionalDouble.empty(), 1).gflops(), 1e-9);
    }

    @Test
    void aMeasurementAboveThePeakGivesTheImpliedClock() {
        CpuPeak p = CpuPeak.parse(cpuinfo("AuthenticAMD", 26, 2, "avx512f fma avx2", "2600.0"),
                OptionalDouble.empty(), 2);
        CpuPeak.Checked c = p.check(420, "BLAS at 1024²");
        assertEquals(p, c.peak());
        // 420 / (2 cores × 64 flops per cycle) = 3.28 GHz
        assertTrue(String.join("\n", c.lines()).contains("at least 3.28 GHz"), String.join("\n", c.lines()));
    }

    /** This machine's case: a KVM guest reporting Zen 4's family while BLAS beats any Zen 4 clock. */
    @Test
    void anImpossibleClockSwitchesToTwoFmaPorts() {
        CpuPeak p = CpuPeak.parse(cpuinfo("AuthenticAMD", 25, 17, "avx512f fma avx2 hypervisor", "2596.13"),
                OptionalDouble.empty(), 2);
        assertEquals(2 * 1 * 16 * 2 * 2.59613, p.gflops(), 1e-9);
        CpuPeak.Checked c = p.check(420, "BLAS");
        assertEquals(2, c.peak().fmaPorts());
        assertEquals(2 * 2 * 16 * 2 * 2.59613, c.peak().gflops(), 1e-9);
        // a measurement that a Zen 4 at a plausible clock explains keeps the derivation
        assertEquals(1, p.check(200, "BLAS").peak().fmaPorts());
    }

    @Test
    void cpuinfoWithoutAClockIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuPeak.parse("vendor_id : X\nflags : avx\n", OptionalDouble.empty(), 1));
        assertTrue(e.getMessage().contains("cpu MHz"), e.getMessage());
    }
}
