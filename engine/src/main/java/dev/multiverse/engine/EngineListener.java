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
     * {@code pathKey} is about to choose its next token from {@code logits} ({@code [model vocab]},
     * read only, valid during the call): the raw distribution its sampled token is scored against.
     * Not called before engine-inserted tokens.
     */
    default void onLogits(long requestId, String pathKey, float[] logits) {}

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
