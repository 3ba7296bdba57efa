package glassbox.nn;

import glassbox.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Copies the rows of a batch into buffers that are reused from step to step (one set for full batches,
 * one for the shorter last batch), so a training step allocates nothing.
 */
final class Batcher {
    private final Tensor x;
    private final Tensor y;
    private final Map<Integer, Tensor[]> buffers = new HashMap<>();

    Batcher(Tensor x, Tensor y) {
        this.x = x;
        this.y = y;
    }

    /** Rows {@code order[from..to)} of x (or rows {@code from..to} when order is null). */
    Tensor x(int[] order, int from, int to) {
        return gather(x, 0, order, from, to);
    }

    Tensor y(int[] order, int from, int to) {
        return gather(y, 1, order, from, to);
    }

    /** A gradient buffer shaped like the model output {@code out}. */
    Tensor grad(Tensor out) {
        Tensor[] slot = buffers.computeIfAbsent(out.dim(0), k -> new Tensor[3]);
        if (slot[2] == null || !slot[2].sameShape(out)) {
            slot[2] = Tensor.zeros(out.shape());
        }
        return slot[2];
    }

    private Tensor gather(Tensor src, int which, int[] order, int from, int to) {
        int n = to - from;
        Tensor[] slot = buffers.computeIfAbsent(n, k -> new Tensor[3]);
        if (slot[which] == null) {
            int[] shape = src.shape();
            shape[0] = n;
            slot[which] = Tensor.zeros(shape);
        }
        Tensor dst = slot[which];
        int row = src.rowLength();
        if (order == null) {
            System.arraycopy(src.data(), from * row, dst.data(), 0, n * row);
        } else {
            for (int i = 0; i < n; i++) {
                System.arraycopy(src.data(), order[from + i] * row, dst.data(), i * row, row);
            }
        }
        return dst;
    }
}
