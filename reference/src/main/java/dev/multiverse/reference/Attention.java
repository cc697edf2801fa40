package dev.multiverse.reference;

import java.util.Arrays;

/**
 * Attention over slot lists: a row attends to exactly the KV slots in its list, in order. The
 * list is the mask; nothing else decides what a token sees.
 */
public final class Attention {
    private Attention() {}

    /**
     * Grouped-query attention: query head {@code h} reads KV head {@code h / (heads / kvHeads)}.
     * For row r and head h, {@code out = Σ_j softmax_j(q·K[slot_j] / sqrt(headDim)) · V[slot_j]}
     * over {@code slot_j} in {@code keySlots[r]}.
     *
     * <p>Shapes: q, out [n][heads·headDim]; keys, values [slots][kvHeads·headDim]; scores
     * [team.size()][≥ longest slot list], scratch for each thread.
     */
    public static void attendSlots(
            ThreadTeam team, float[] q, float[] keys, float[] values, int[][] keySlots, int n,
            int heads, int kvHeads, int headDim, float[][] scores, float[] out) {
        int group = heads / kvHeads;
        int kvDim = kvHeads * headDim;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        team.forRange(n * heads, 1, (worker, from, to) -> {
            float[] score = scores[worker];
            for (int task = from; task < to; task++) {
                int r = task / heads, h = task % heads;
                int[] slots = keySlots[r];
                int qo = (r * heads + h) * headDim;
                int kvo = (h / group) * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < slots.length; j++) {
                    score[j] = Kernels.dot(q, qo, keys, slots[j] * kvDim + kvo, headDim) * scale;
                    max = Math.max(max, score[j]);
                }
                float sum = Kernels.expShifted(score, slots.length, max);
                Arrays.fill(out, qo, qo + headDim, 0f);
                for (int j = 0; j < slots.length; j++) {
                    Kernels.axpy(score[j] / sum, values, slots[j] * kvDim + kvo, out, qo, headDim);
                }
            }
        });
    }
}
