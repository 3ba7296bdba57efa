package glassbox.manifold;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Not a test: times the Barnes-Hut tree build and the repulsion pass (θ = 0.5) on a saved 2-D embedding
 * (the CSV {@link TsneMnistTiming} writes with {@code --out}), so the two can be tuned in isolation.
 */
public final class BarnesHutTiming {
    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[0]);
        for (int a = 1; a < args.length; a++) {
            time(args[a], reps);
        }
    }

    private static void time(String file, int reps) throws Exception {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        List<String> lines = Files.readAllLines(Path.of(file));
        int n = lines.size() - 1;
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            y[2 * i] = Double.parseDouble(f[0]);
            y[2 * i + 1] = Double.parseDouble(f[1]);
        }
        SpaceTree tree = new SpaceTree(2);
        double[] force = new double[2 * n];
        for (int round = 0; round < 2; round++) {
            long build = 0;
            long traverse = 0;
            double z = 0;
            for (int r = 0; r < reps; r++) {
                long t0 = cpu.getCurrentThreadCpuTime();
                tree.build(y, n);
                long t1 = cpu.getCurrentThreadCpuTime();
                int[] stack = tree.newStack();
                z = 0;
                for (int at = 0; at < n; at++) {
                    int i = tree.order()[at];
                    z += tree.repulsion(y, i, 0.25, 1.0, force, stack);
                }
                long t2 = cpu.getCurrentThreadCpuTime();
                build += t1 - t0;
                traverse += t2 - t1;
            }
            System.out.printf("%s: n %d, %d nodes, depth %d: build %.3f ms, repulsion (1 thread) %.3f ms per iteration (thread CPU time); Z %.6e%n",
                    Path.of(file).getFileName(), n, tree.nodeCount(), tree.maxDepth(), build / 1e6 / reps, traverse / 1e6 / reps, z);
        }
    }
}
