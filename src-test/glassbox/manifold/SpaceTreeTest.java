package glassbox.manifold;

import glassbox.util.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpaceTreeTest {

    @Test
    void angleZeroRepulsionIsTheSumOverAllOtherPointsAndDuplicatesAreSkipped() {
        int n = 200;
        int dims = 2;
        Rng rng = new Rng(7);
        double[] y = new double[n * dims];
        for (int c = 0; c < y.length; c++) {
            y[c] = rng.nextGaussian();
        }
        // points 1 and 2 are duplicates of point 0 (within 1e-6, scikit-learn's tolerance)
        y[2] = y[0];
        y[3] = y[1];
        y[4] = y[0] + 5e-7;
        y[5] = y[1] - 5e-7;
        SpaceTree tree = new SpaceTree(dims);
        tree.build(y, n);
        int[] order = tree.order().clone();
        java.util.Arrays.sort(order);
        for (int i = 0; i < n; i++) {
            assertEquals(i, order[i], "order is a permutation");
        }
        double[] force = new double[n * dims];
        int[] stack = tree.newStack();
        for (int i = 0; i < n; i++) {
            double z = tree.repulsion(y, i, 0.0, 1.0, force, stack);
            double ez = 0;
            double fx = 0;
            double fy = 0;
            for (int j = 0; j < n; j++) {
                boolean duplicate = Math.abs(y[2 * i] - y[2 * j]) <= 1e-6 && Math.abs(y[2 * i + 1] - y[2 * j + 1]) <= 1e-6;
                if (duplicate) {
                    continue;                 // itself, and (for 0, 1, 2) each other
                }
                double dx = y[2 * i] - y[2 * j];
                double dy = y[2 * i + 1] - y[2 * j + 1];
                double w = 1 / (1 + dx * dx + dy * dy);
                ez += w;
                fx += w * w * dx;
                fy += w * w * dy;
            }
            // The duplicates' leaf sits at its first point with count 3, so others see points 0-2 moved by
            // up to 5e-7 (as in scikit-learn): a relative error of order 1e-9, against 1e-16 elsewhere.
            assertEquals(ez, z, 1e-8 * ez, "Z share of point " + i);
            assertEquals(fx, force[2 * i], 1e-8 * ez);
            assertEquals(fy, force[2 * i + 1], 1e-8 * ez);
        }
    }

    @Test
    void aLargerAngleVisitsFewerCellsButStaysClose() {
        int n = 2000;
        Rng rng = new Rng(8);
        double[] y = new double[2 * n];
        for (int c = 0; c < y.length; c++) {
            y[c] = 10 * rng.nextGaussian();
        }
        SpaceTree tree = new SpaceTree(2);
        tree.build(y, n);
        assertTrue(tree.maxDepth() < 40, "depth " + tree.maxDepth());
        double[] exact = new double[2 * n];
        double[] approx = new double[2 * n];
        int[] stack = tree.newStack();
        for (int i = 0; i < n; i += 97) {
            double z0 = tree.repulsion(y, i, 0.0, 1.0, exact, stack);
            double z5 = tree.repulsion(y, i, 0.25, 1.0, approx, stack);
            assertEquals(z0, z5, 0.02 * z0, "Z share of " + i);
        }
    }
}
