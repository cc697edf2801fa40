package dev.multiverse.engine;

import java.util.List;

/**
 * Events of a running request, called on the engine's thread in the order they happen. Every
 * method does nothing by default.
 */
public interface EngineListener {

    /** Listens to nothing. */
    EngineListener NONE = new EngineListener() {};

    /**
     * How many of the most likely alternatives of every sampled token this listener wants (the
     * API's {@code top_logprobs}); the backend reads them with the token. 0 for none.
     */
    default int topLogprobs() {
        return 0;
    }

    /**
     * The {@link #topLogprobs()} most likely choosable ids where {@code pathKey} sampled its next
     * token, most likely first, with their log-probs (of the raw distribution); called just before
     * that token's {@link #onToken}. Not called for engine-inserted or scripted tokens.
     */
    default void onAlternatives(long requestId, String pathKey, int[] ids, double[] logprobs) {}

    /** {@code token} was appended to the sequence {@code pathKey} (the root is ""). */
    default void onToken(long requestId, String pathKey, int token, TokenEntry.Origin origin) {}

    /** {@code parentKey} forked one child per key, in outline order, with these Outline ids. */
    default void onFork(long requestId, String parentKey, List<String> childKeys, List<String> outlineIds) {}

    /** A path (or the root) ended. */
    default void onPathEnd(long requestId, String pathKey, EndReason reason) {}

    /** The children of {@code parentKey} were joined into it. */
    default void onJoin(long requestId, String parentKey) {}

    /** The request finished; {@code result} is what its handle's future completes with. */
    default void onFinish(long requestId, GenerationResult result) {}
}
