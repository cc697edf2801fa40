package dev.multiverse.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sequences that advance together in one forward step (their weight reads are shared), with
 * the context changes since the last step: contexts travel as deltas.
 *
 * <p>A backend handles a batch in this order: it forgets the runs of {@code forget}, applies the
 * {@code appends} (each run's new entries, sent once), runs the step, then forgets the runs of
 * {@code forgetAfter}. A run the engine no longer needs goes in the next batch's {@code forget};
 * {@code forgetAfter} serves callers that build a run for one step only ({@link Builder}).
 *
 * @param appends new entries of runs, at most one append per run
 * @param sequences the sequences of the step; none in a batch that only forgets runs (an idle
 *     engine's last word), which computes nothing and returns no results
 * @param forget runs to drop before the step
 * @param forgetAfter runs to drop after the step
 */
public record Batch(List<RunAppend> appends, List<SequenceStep> sequences, long[] forget, long[] forgetAfter) {
    public Batch {
        appends = List.copyOf(appends);
        sequences = List.copyOf(sequences);
        forget = forget.clone();
        forgetAfter = forgetAfter.clone();
    }

    /** A builder of one-step batches whose contexts are given as explicit slot lists. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a batch whose every sequence gets a run of its own holding its context slots then its
     * new slots, forgotten after the step: for tests and single passes, which name slots
     * directly. Run ids are negative, so they never meet an engine's (positive) ids.
     */
    public static final class Builder {
        private static final AtomicLong NEXT = new AtomicLong(-1);
        private final List<RunAppend> appends = new ArrayList<>();
        private final List<SequenceStep> sequences = new ArrayList<>();

        /**
         * A sequence seeing {@code contextSlots} (holding {@code contextTokens}) and then its new
         * rows: token {@code tokens[r]} at {@code positions[r]}, its K/V in {@code writeSlots[r]}.
         */
        public Builder sequence(int[] contextSlots, int[] contextTokens, int[] tokens, int[] positions, int[] writeSlots,
                                Readout readout) {
            if (contextTokens.length != contextSlots.length)
                throw new IllegalArgumentException(contextSlots.length + " context slots but " + contextTokens.length + " context tokens");
            if (tokens.length != positions.length || writeSlots.length != tokens.length)
                throw new IllegalArgumentException(tokens.length + " tokens, " + positions.length + " positions, "
                        + writeSlots.length + " write slots: one each per new row");
            int n = contextSlots.length + tokens.length;
            int[] slots = new int[n], runTokens = new int[n];
            System.arraycopy(contextSlots, 0, slots, 0, contextSlots.length);
            System.arraycopy(writeSlots, 0, slots, contextSlots.length, writeSlots.length);
            System.arraycopy(contextTokens, 0, runTokens, 0, contextTokens.length);
            System.arraycopy(tokens, 0, runTokens, contextTokens.length, tokens.length);
            long run = NEXT.getAndDecrement();
            appends.add(new RunAppend(run, 0, slots, runTokens));
            sequences.add(new SequenceStep(new long[] {run}, n, positions.clone(), readout));
            return this;
        }

        /** The same, with context tokens of 0 (they matter only to a repetition penalty). */
        public Builder sequence(int[] contextSlots, int[] tokens, int[] positions, int[] writeSlots, Readout readout) {
            return sequence(contextSlots, new int[contextSlots.length], tokens, positions, writeSlots, readout);
        }

        public Batch build() {
            long[] runs = appends.stream().mapToLong(RunAppend::run).toArray();
            return new Batch(appends, sequences, new long[0], runs);
        }
    }
}
