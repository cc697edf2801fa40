package dev.multiverse.contract;

import java.util.List;

/** The sequences that advance together in one forward step; their weight reads are shared. */
public record Batch(List<SequenceStep> sequences) {
    public Batch {
        sequences = List.copyOf(sequences);
    }

    /** A batch of the given steps. */
    public static Batch of(SequenceStep... steps) {
        return new Batch(List.of(steps));
    }
}
