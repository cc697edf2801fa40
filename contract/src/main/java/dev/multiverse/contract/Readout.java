package dev.multiverse.contract;

/**
 * What one sequence wants back from its step; nothing beyond it leaves the backend.
 *
 * @param rowLogprobs whether to return, for every row r but the last, {@code log p(token of row
 *     r + 1 | row r)}: the log-probs of the step's own tokens after its first
 * @param pick how the next token after the last row is decided (see {@link Pick})
 * @param scoreIds ids whose log-probs under the last row are wanted (tokens the engine may insert
 *     there: a path header, a path's close, a Conclusion)
 * @param topN how many of the most likely choosable ids of the last row to return with their
 *     log-probs (the API's {@code top_logprobs}); 0 for none
 * @param logits whether to return every row's full logits (tests, scoring tools)
 */
public record Readout(boolean rowLogprobs, Pick pick, int[] scoreIds, int topN, boolean logits) {

    private static final int[] NO_IDS = new int[0];

    public Readout {
        if (pick == null) throw new IllegalArgumentException("a readout needs a pick (Pick.none() for none)");
        scoreIds = scoreIds == null ? NO_IDS : scoreIds.clone();
        for (int id : scoreIds) if (id < 0) throw new IllegalArgumentException("score id " + id + " is negative");
        if (topN < 0) throw new IllegalArgumentException("topN must be >= 0, got " + topN);
        if (topN > 0 && pick.kind() != Pick.Kind.CHOSEN && pick.kind() != Pick.Kind.GIVEN)
            throw new IllegalArgumentException("top-N log-probs come with a given or chosen token");
    }

    /** Only the full logits of every row. */
    public static Readout logitsOnly() {
        return new Readout(false, Pick.none(), NO_IDS, 0, true);
    }

    /** Nothing at all (a prefill chunk whose next token is not decided yet). */
    public static Readout nothing() {
        return new Readout(false, Pick.none(), NO_IDS, 0, false);
    }

    /** A token decided by {@code pick}, nothing else. */
    public static Readout of(Pick pick) {
        return new Readout(false, pick, NO_IDS, 0, false);
    }
}
