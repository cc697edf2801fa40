package dev.multiverse.reference;

/**
 * A readout's top-N list: the N ids below a limit with the largest raw logits, most likely first,
 * the lowest id first on ties ({@code ChoiceReference.top}), by a top-N selection and a sort of
 * its few candidates. Per-thread scratch.
 */
final class TopIds {
    private static final int[] NONE = new int[0];
    private final RuleScores raw;
    private final TopSelection selection = new TopSelection();
    private final Candidates candidates = new Candidates();

    TopIds(int vocab) {
        raw = new RuleScores(vocab);
    }

    /** The {@code count} ids below {@code limit} with the largest {@code logits}, largest first. */
    int[] top(float[] logits, int count, int limit) {
        if (count == 0 || limit <= 0) return NONE;
        raw.setRaw(logits, limit);
        try {
            selection.select(raw, count, candidates);
        } finally {
            raw.clear();
        }
        candidates.sortByScore();
        int[] ids = new int[Math.min(count, candidates.size())];
        for (int r = 0; r < ids.length; r++) ids[r] = candidates.id(candidates.ranked(r));
        return ids;
    }
}
