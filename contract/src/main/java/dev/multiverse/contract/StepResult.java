package dev.multiverse.contract;

import java.util.List;

/** What one step returns: one {@link SequenceResult} per sequence of the batch, in batch order. */
public record StepResult(List<SequenceResult> perSequence) {
    public StepResult {
        perSequence = List.copyOf(perSequence);
    }

    public SequenceResult get(int s) {
        return perSequence.get(s);
    }

    /** The full logits of sequence {@code s}, {@code [rows][vocab]}, when its readout asked for them. */
    public float[][] logits(int s) {
        float[][] l = perSequence.get(s).logits();
        if (l == null) throw new IllegalStateException("sequence " + s + " did not ask for logits");
        return l;
    }

    /** The last row's logits of sequence {@code s}, when its readout asked for logits. */
    public float[] lastLogits(int s) {
        return perSequence.get(s).lastLogits();
    }
}
