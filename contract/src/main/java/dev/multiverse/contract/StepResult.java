package dev.multiverse.contract;

import java.util.List;

/**
 * The logits of one step, per sequence of the batch in batch order: {@code logits(s)} is {@code
 * [rows][vocab]}, every row of sequence {@code s} if it asked for all logits, else only its last row.
 */
public record StepResult(List<float[][]> perSequence) {
    public StepResult {
        perSequence = List.copyOf(perSequence);
    }

    /** The logits of sequence {@code s}: {@code [rows][vocab]}. */
    public float[][] logits(int s) {
        return perSequence.get(s);
    }

    /** The logits of the last row of sequence {@code s} (the next-token distribution). */
    public float[] lastLogits(int s) {
        float[][] rows = perSequence.get(s);
        return rows[rows.length - 1];
    }
}
