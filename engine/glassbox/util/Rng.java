package glassbox.util;

import java.util.random.RandomGenerator;

/**
 * The one random-number generator of glassbox: seeded, reproducible, and splittable so that parallel
 * work draws from generators derived from the seed rather than from a shared one (results then do not
 * depend on thread scheduling).
 *
 * <p>It is {@link java.util.SplittableRandom}'s algorithm (SplitMix64, Steele, Lea &amp; Flood 2014), written
 * out here so that its state — two longs, {@code seed} and {@code gamma} — can be read and put back
 * ({@link #state()}, {@link #restore}): a run interrupted and resumed must draw the very numbers it would have
 * drawn. {@code SplittableRandom} keeps those two fields private. Every method gives the JDK class's bits for
 * the same seed and the same calls (a test compares them): {@code nextLong}, {@code nextInt} and
 * {@code split} are the JDK's formulas, and {@code nextDouble}, {@code nextInt(bound)} and
 * {@code nextGaussian} are {@link RandomGenerator}'s default methods run on those, as they are in the JDK.
 *
 * <p>There is deliberately no constructor without a seed.
 */
public final class Rng {
    /** The golden ratio scaled to 64 bits: the step of every generator made from a seed. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    /**
     * A generator's whole state: the next {@code seed} is {@code seed + gamma}, and each output is a mix of
     * it. {@code gamma} is odd.
     */
    public record State(long seed, long gamma) {
    }

    private long seed;
    private long gamma;
    /** This generator seen as a JDK {@link RandomGenerator}, whose default methods derive the other draws. */
    private final RandomGenerator view = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Rng.this.nextLong();
        }

        @Override
        public int nextInt() {
            return mix32(nextSeed());
        }
    };

    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long seed, long gamma) {
        this.seed = seed;
        this.gamma = gamma;
    }

    /** A new, independent generator derived from this one (advances this one). */
    public Rng split() {
        return new Rng(nextLong(), mixGamma(nextSeed()));
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return view.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return view.nextInt(bound);
    }

    public long nextLong() {
        return mix64(nextSeed());
    }

    /** Standard normal (mean 0, standard deviation 1). */
    public double nextGaussian() {
        return view.nextGaussian();
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** {@code 0, 1, …, n-1} in a random order. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }

    /** This generator's state now: {@link #restore} it, and the same numbers follow. */
    public State state() {
        return new State(seed, gamma);
    }

    /**
     * Puts this generator back in {@code state} (one {@link #state()} returned, perhaps in another process):
     * what it draws next is what the generator that gave the state drew next. In place, so whoever holds this
     * generator (a Dropout layer, a model's shuffler) sees the change.
     *
     * @throws IllegalArgumentException if {@code gamma} is even: no generator has such a state
     */
    public void restore(State state) {
        if ((state.gamma() & 1) == 0) {
            throw new IllegalArgumentException("not a generator state: gamma " + Long.toHexString(state.gamma())
                    + " is even (every generator's gamma is odd)");
        }
        this.seed = state.seed();
        this.gamma = state.gamma();
    }

    private long nextSeed() {
        return seed += gamma;
    }

    /** Stafford's variant 13 of MurmurHash3's 64-bit finaliser. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** The high 32 bits of Stafford's variant 4. */
    private static int mix32(long z) {
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** The gamma of a split-off generator: MurmurHash3's mix, made odd and with enough bit transitions. */
    private static long mixGamma(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        z = (z ^ (z >>> 33)) | 1L;
        int n = Long.bitCount(z ^ (z >>> 1));
        return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
    }
}
