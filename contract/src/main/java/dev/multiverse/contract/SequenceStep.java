package dev.multiverse.contract;

/**
 * One sequence of a step: its context as a chain of slot runs, its new rows, and what it wants
 * back.
 *
 * <p>The sequence sees, in order, every entry of {@code runs[0 .. n-2]} (whole: the engine never
 * appends to a run that another run follows in some chain) and the first {@code end} entries of
 * its last run. The last {@code rows()} of those are this step's new tokens: row r is entry
 * {@code end - rows + r} of the last run, at RoPE position {@code positions[r]}; it attends to
 * everything before it in that order and to itself, and its K/V go to that entry's slot. Siblings
 * name the same runs, so a backend sees which rows share which prefix.
 *
 * @param runs the run ids of the context chain, at least one
 * @param end how many entries of the last run the sequence sees after this step
 * @param positions the RoPE position of each new row, at least one
 * @param readout what the step returns for this sequence
 */
public record SequenceStep(long[] runs, int end, int[] positions, Readout readout) {

    public SequenceStep {
        if (runs.length == 0) throw new IllegalArgumentException("a sequence step needs at least one run");
        if (positions.length == 0) throw new IllegalArgumentException("a sequence step needs at least one new row");
        if (end < positions.length)
            throw new IllegalArgumentException(positions.length + " new rows but the last run ends at entry " + end);
        if (readout == null) throw new IllegalArgumentException("a sequence step needs a readout");
    }

    /** The number of new tokens (rows) in this step. */
    public int rows() {
        return positions.length;
    }

    /** The run the new rows are in. */
    public long lastRun() {
        return runs[runs.length - 1];
    }
}
