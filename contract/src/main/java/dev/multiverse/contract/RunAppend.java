package dev.multiverse.contract;

/**
 * New entries of one slot run, sent once: the run's entries {@code [from, from + slots.length)}.
 * A run is an append-only list of (KV slot, token) entries with an id the engine chose; a run
 * seen for the first time starts at {@code from = 0}. The token of an entry is the one whose K/V
 * the slot holds (or is about to hold, for the rows of this step); backends read tokens for the
 * repetition penalty and for the log-probs of known next tokens.
 *
 * @param run the run's id, unique among the runs a backend holds
 * @param from where these entries go: the run's length so far
 * @param slots the entries' KV slots
 * @param tokens the entries' tokens, as many as slots
 */
public record RunAppend(long run, int from, int[] slots, int[] tokens) {
    public RunAppend {
        if (from < 0) throw new IllegalArgumentException("run " + run + ": entries appended from " + from);
        if (slots.length != tokens.length)
            throw new IllegalArgumentException("run " + run + ": " + slots.length + " slots for " + tokens.length + " tokens");
    }

    /** How many entries this append adds. */
    public int length() {
        return slots.length;
    }
}
