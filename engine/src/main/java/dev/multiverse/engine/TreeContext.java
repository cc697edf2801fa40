package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * What every operation on a request tree shares: the slot pool, the vocabulary, the configuration
 * and the engine's clock; the runs' ids and holds; and the edit everything else is made of,
 * appending a token.
 */
final class TreeContext {
    final KvSlotPool pool;
    final EngineVocabulary vocabulary;
    final EngineConfig config;
    final int vocabularySize;
    /** The newline token the engine inserts after {@code </Goal>} and {@code </Path>}. */
    final int newline;
    long step;
    /** Run ids are unique in the process, so engines that take turns on one backend never mix theirs. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_RUN_ID = new java.util.concurrent.atomic.AtomicLong(1);
    /** Runs the backend holds that no sequence needs any more: the next batch forgets them. */
    private final List<Long> forgotten = new ArrayList<>();

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

    /** A fresh, empty run held once. */
    SlotRun newRun() {
        return new SlotRun(NEXT_RUN_ID.getAndIncrement());
    }

    /** One more sequence holds {@code run}. */
    void retain(SlotRun run) {
        if (run.holders <= 0) throw new IllegalStateException("retaining freed run " + run.id);
        run.holders++;
    }

    /** One sequence fewer holds {@code run}; the last release frees its slots and has the backend forget it. */
    void release(SlotRun run) {
        if (run.holders <= 0) throw new IllegalStateException("releasing freed run " + run.id);
        if (--run.holders > 0) return;
        for (TokenEntry e : run.entries) pool.release(e.slot());
        if (run.sent > 0) forgotten.add(run.id);
    }

    /** Gives back the sequence's hold on every run it sees (once). */
    void release(Sequence seq) {
        if (seq.released) return;
        seq.released = true;
        for (SlotRun run : seq.chain) release(run);
        release(seq.own);
    }

    /** Whether runs wait to be forgotten. */
    boolean hasForgotten() {
        return !forgotten.isEmpty();
    }

    /** The runs to forget in the next batch; empties the list. */
    long[] takeForgotten() {
        long[] out = forgotten.stream().mapToLong(Long::longValue).toArray();
        forgotten.clear();
        return out;
    }

    /**
     * Appends {@code token} at the sequence's next position in a fresh slot. Its log-prob comes
     * from what the backend read after the sequence's last token when nothing is pending;
     * otherwise the step that computes its predecessor fills it in.
     */
    TokenEntry append(Sequence seq, int token, TokenEntry.Origin origin) {
        double logprob = Double.NaN;
        if (config.scoreTokens() && origin != TokenEntry.Origin.PROMPT && seq.uncomputed() == 0 && seq.next != null) {
            logprob = seq.next.logprob(token);
            if (Double.isNaN(logprob))
                throw new IllegalStateException("no log-prob of token " + token + " after the last token of '" + seq.pathKey + "'");
        }
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
}
