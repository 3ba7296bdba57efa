package glassbox.util;

import java.util.SplittableRandom;

/**
 * The one random-number generator of glassbox: seeded, reproducible, and splittable so that parallel
 * work draws from generators derived from the seed rather than from a shared one (results then do not
 * depend on thread scheduling).
 *
 * <p>There is deliberately no constructor without a seed.
 */
public final class Rng {
    private final SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private Rng(SplittableRandom random) {
        this.random = random;
    }

    /** A new, independent generator derived from this one (advances this one). */
    public Rng split() {
        return new Rng(random.split());
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** Standard normal (mean 0, standard deviation 1). */
    public double nextGaussian() {
        return random.nextGaussian();
    }

    /** Fisher–Yates shuffle of {@code a} in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
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
}
