package glassbox.util;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Rng is SplittableRandom written out: the same seed and the same calls give the JDK class's bits (so every
 * seeded result from before the rewrite is unchanged), and its state, read and put back, continues the same
 * sequence.
 */
class RngTest {

    /** Every kind of draw, splits included, in an order that mixes them; compared bit for bit with the JDK. */
    @Test
    void drawsTheSameBitsAsSplittableRandom() {
        for (long seed : new long[]{0, 1, 42, -7, Long.MAX_VALUE, 0x9e3779b97f4a7c15L}) {
            Rng ours = new Rng(seed);
            SplittableRandom jdk = new SplittableRandom(seed);
            for (int round = 0; round < 50; round++) {
                assertEquals(jdk.nextLong(), ours.nextLong(), "nextLong, seed " + seed);
                assertEquals(Double.doubleToRawLongBits(jdk.nextDouble()), Double.doubleToRawLongBits(ours.nextDouble()));
                int bound = 1 + round * 37;
                assertEquals(jdk.nextInt(bound), ours.nextInt(bound), "nextInt(" + bound + ")");
                assertEquals(jdk.nextInt(1 << 30), ours.nextInt(1 << 30), "a power-of-two bound");
                assertEquals(Double.doubleToRawLongBits(jdk.nextGaussian()),
                        Double.doubleToRawLongBits(ours.nextGaussian()), "nextGaussian");
                if (round % 10 == 0) {
                    jdk = jdk.split();
                    ours = ours.split();
                }
            }
            int[] a = new Rng(seed).permutation(100);
            int[] b = new int[100];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < 100; i++) {
                b[i] = i;
            }
            for (int i = b.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = b[i];
                b[i] = b[j];
                b[j] = t;
            }
            assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString(a), "permutation, seed " + seed);
        }
    }

    @Test
    void aRestoredStateContinuesTheSameSequenceInAnotherGenerator() {
        Rng a = new Rng(5).split();
        for (int i = 0; i < 17; i++) {
            a.nextGaussian();
        }
        Rng.State state = a.state();
        Rng b = new Rng(99);
        b.restore(state);
        for (int i = 0; i < 100; i++) {
            assertEquals(a.nextLong(), b.nextLong());
        }
        assertEquals(a.split().nextLong(), b.split().nextLong(), "splits continue alike too");
    }

    @Test
    void anEvenGammaIsNoState() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Rng(1).restore(new Rng.State(3, 4)));
        assertEquals("not a generator state: gamma 4 is even (every generator's gamma is odd)", e.getMessage());
    }
}
