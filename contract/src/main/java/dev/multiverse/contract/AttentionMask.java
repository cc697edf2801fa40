package dev.multiverse.contract;

/**
 * Which earlier tokens a token may attend to in a single forward pass over a whole text. Callers
 * only ask about {@code key <= query}; a token always sees itself.
 */
@FunctionalInterface
public interface AttentionMask {

    /** Whether token {@code query} attends to token {@code key} (with {@code key <= query}). */
    boolean visible(int query, int key);

    /** The ordinary causal mask: every earlier token is visible. */
    static AttentionMask causal() {
        return (query, key) -> key <= query;
    }
}
