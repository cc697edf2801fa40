package dev.multiverse.contract;

/**
 * The new tokens of one sequence in a step.
 *
 * <p>Row {@code r} (token {@code tokens[r]} at RoPE position {@code positions[r]}) attends to the
 * slots {@code contextSlots} in order, then to {@code writeSlots[0..r]}; its own K/V are written to
 * {@code writeSlots[r]}. Several rows make a chunk of prefill; one row is a decode step.
 *
 * @param tokens the new token ids, at least one
 * @param positions the RoPE position of each new token
 * @param writeSlots the slot each new token's K/V go to
 * @param contextSlots the slots already written that every new token sees (the sequence's past)
 * @param allLogits whether to return logits for every row, or only for the last one
 */
public record SequenceStep(int[] tokens, int[] positions, int[] writeSlots, int[] contextSlots, boolean allLogits) {

    /** Checks the lengths; slot ranges are checked by the backend, which knows its capacity. */
    public SequenceStep {
        if (tokens.length == 0) throw new IllegalArgumentException("a sequence step needs at least one token");
        if (positions.length != tokens.length)
            throw new IllegalArgumentException(
                    "positions has " + positions.length + " entries for " + tokens.length + " tokens");
        if (writeSlots.length != tokens.length)
            throw new IllegalArgumentException(
                    "writeSlots has " + writeSlots.length + " entries for " + tokens.length + " tokens");
    }

    /** The number of new tokens (rows) in this step. */
    public int rows() {
        return tokens.length;
    }

    /** The number of rows whose logits the step returns: all rows, or only the last. */
    public int logitRows() {
        return allLogits ? tokens.length : 1;
    }
}
