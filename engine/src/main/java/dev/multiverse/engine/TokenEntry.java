package dev.multiverse.engine;

/**
 * One token of a request's tree: its id, its RoPE position, the KV slot that holds its K/V, and
 * its log-probability {@code log p(token | what its sequence saw before it)}.
 *
 * <p>Entries are shared, not copied, between a parent and its children; the merged text of a
 * request is the root's entry list at the end. The log-prob of a prompt token is NaN (nothing
 * predicts it); the log-prob of a token appended after an uncomputed one is filled in by the step
 * that computes its predecessor.
 */
public final class TokenEntry {
    /** Why a token is in the text. */
    public enum Origin {
        /** Part of the request's prompt. */
        PROMPT,
        /** Chosen by the sequence's sampler (or script) from the model's logits. */
        SAMPLED,
        /** Inserted by the engine: a path header, the newline after a path, the Conclusion opener. */
        FORCED
    }

    private final int token;
    private final int position;
    private final int slot;
    private final Origin origin;
    private final String pathKey;
    private double logprob;

    TokenEntry(int token, int position, int slot, Origin origin, String pathKey, double logprob) {
        this.token = token;
        this.position = position;
        this.slot = slot;
        this.origin = origin;
        this.pathKey = pathKey;
        this.logprob = logprob;
    }

    public int token() {
        return token;
    }

    public int position() {
        return position;
    }

    /** The KV slot holding this token's key (after RoPE at {@link #position()}) and value. */
    public int slot() {
        return slot;
    }

    public Origin origin() {
        return origin;
    }

    /** The key of the sequence that appended this token (see {@link Sequence#pathKey()}). */
    public String pathKey() {
        return pathKey;
    }

    /** {@code log p(token | context)}, or NaN for a prompt token or one not yet scored. */
    public double logprob() {
        return logprob;
    }

    void setLogprob(double value) {
        this.logprob = value;
    }
}
