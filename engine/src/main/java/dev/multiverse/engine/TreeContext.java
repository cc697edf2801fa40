package dev.multiverse.engine;

import dev.multiverse.contract.LogProbs;

/**
 * What every operation on a request tree shares: the slot pool, the vocabulary, the configuration
 * and the engine's clock; and the two edits everything else is made of, appending a token and
 * releasing a sequence's slots.
 */
final class TreeContext {
    final KvSlotPool pool;
    final EngineVocabulary vocabulary;
    final EngineConfig config;
    final int vocabularySize;
    /** The newline token the engine inserts after {@code </Goal>} and {@code </Path>}. */
    final int newline;
    long step;

    TreeContext(KvSlotPool pool, EngineVocabulary vocabulary, EngineConfig config, int vocabularySize) {
        this.pool = pool;
        this.vocabulary = vocabulary;
        this.config = config;
        this.vocabularySize = vocabularySize;
        int[] nl = vocabulary.encodePlain("\n");
        if (nl.length != 1)
            throw new IllegalArgumentException("the vocabulary encodes \"\\n\" as " + nl.length + " tokens; the engine needs one");
        this.newline = nl[0];
    }

    long now() {
        return System.nanoTime();
    }

    /**
     * Appends {@code token} at the sequence's next position in a fresh slot. Its log-prob comes
     * from the sequence's next-token logits when nothing is pending; otherwise the step that
     * computes its predecessor fills it in.
     */
    TokenEntry append(Sequence seq, int token, TokenEntry.Origin origin) {
        double logprob = config.scoreTokens() && seq.uncomputed() == 0 && seq.nextLogits != null
                && origin != TokenEntry.Origin.PROMPT
                ? LogProbs.logProb(seq.nextLogits, token) : Double.NaN;
        var entry = new TokenEntry(token, seq.nextPosition++, pool.allocate(), origin, seq.pathKey, logprob);
        seq.add(entry);
        seq.trace.appended(token, entry.position());
        if (origin != TokenEntry.Origin.PROMPT) seq.request.generated++;
        seq.request.request.listener().onToken(seq.request.id(), seq.pathKey, token, origin);
        return entry;
    }

    /**
     * What budget {@code n} more generated tokens of {@code seq} would break: null if none,
     * MAX_TOTAL_TOKENS or MAX_TOKENS.
     */
    EndReason budgetFor(Sequence seq, int n) {
        RequestState req = seq.request;
        if (req.generated + n > req.request.budgets().maxTotalTokens()) return EndReason.MAX_TOTAL_TOKENS;
        if (seq.nextPosition + n - 1 > req.maxPosition) return EndReason.MAX_TOKENS;
        return null;
    }

    /** Appends engine-inserted tokens and tells the chooser; all or none, within the budgets. */
    EndReason appendForced(Sequence seq, int... tokens) {
        EndReason broken = budgetFor(seq, tokens.length);
        if (broken != null) return broken;
        for (int t : tokens) {
            append(seq, t, TokenEntry.Origin.FORCED);
            seq.chooser.forced(t);
        }
        return null;
    }

    /** Gives back the sequence's hold on every slot of its list (once). */
    void release(Sequence seq) {
        if (seq.released) return;
        seq.released = true;
        for (TokenEntry e : seq.entries) pool.release(e.slot());
    }
}
