package glassbox.nn.optim;

import glassbox.nn.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Copying an optimiser's per-parameter arrays out ({@link Optimizer#state}) and back ({@link Optimizer#restore}). */
final class Slots {
    private Slots() {
    }

    /** A copy of each parameter's slot arrays, in {@code params} order; {@code null} where there are none. */
    static List<float[][]> copy(Map<Param, float[][]> slots, List<Param> params) {
        List<float[][]> copies = new ArrayList<>(params.size());
        for (Param p : params) {
            float[][] own = slots.get(p);
            if (own == null) {
                copies.add(null);
                continue;
            }
            float[][] copy = new float[own.length][];
            for (int s = 0; s < own.length; s++) {
                copy[s] = own[s].clone();
            }
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Replaces {@code slots} with copies of {@code saved} (from {@link #copy}) after checking that it has one
     * entry per parameter, each {@code null} or {@code perParam} arrays of the parameter's size.
     */
    static void restore(Map<Param, float[][]> slots, List<Param> params, List<float[][]> saved, int perParam,
                        String optimizer) {
        if (saved.size() != params.size()) {
            throw new IllegalArgumentException(optimizer + " state holds " + saved.size() + " parameters but the model has "
                    + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            float[][] s = saved.get(i);
            if (s == null) {
                continue;
            }
            int size = params.get(i).value().size();
            boolean ok = s.length == perParam;
            for (int k = 0; ok && k < s.length; k++) {
                ok = s[k] != null && s[k].length == size;
            }
            if (!ok) {
                throw new IllegalArgumentException(optimizer + " state of parameter " + i + " ('" + params.get(i).name()
                        + "', " + size + " values) is not " + perParam + " arrays of that size");
            }
        }
        slots.clear();
        for (int i = 0; i < params.size(); i++) {
            float[][] s = saved.get(i);
            if (s != null) {
                float[][] copy = new float[perParam][];
                for (int k = 0; k < perParam; k++) {
                    copy[k] = s[k].clone();
                }
                slots.put(params.get(i), copy);
            }
        }
    }
}
