package dev.multiverse.engine;

/**
 * How the engine schedules, whatever the request.
 *
 * @param maxForkDepth how deeply blocks may nest: the root sequence has depth 0 and may fork when
 *     {@code maxForkDepth >= 1}; a path of depth d may fork when {@code d < maxForkDepth}. 0 turns
 *     the engine into an ordinary sequential one (tags are plain text).
 * @param prefillChunk the most uncomputed tokens one sequence feeds the backend in one step
 * @param maxRunningRequests the most requests running at once; later ones wait for admission
 * @param scoreTokens whether to record every appended token's log-prob (an O(vocabulary) pass
 *     per token); off, log-probs are NaN and steps return only each sequence's last logits
 */
public record EngineConfig(int maxForkDepth, int prefillChunk, int maxRunningRequests, boolean scoreTokens) {

    public EngineConfig {
        if (maxForkDepth < 0) throw new IllegalArgumentException("max fork depth must be >= 0, got " + maxForkDepth);
        if (prefillChunk < 1) throw new IllegalArgumentException("prefill chunk must be >= 1, got " + prefillChunk);
        if (maxRunningRequests < 1)
            throw new IllegalArgumentException("max running requests must be >= 1, got " + maxRunningRequests);
    }

    /** Nesting up to depth 4, prefill in chunks of 64 tokens, up to 64 running requests, log-probs on. */
    public static EngineConfig defaults() {
        return new EngineConfig(4, 64, 64, true);
    }

    /** The same configuration with another fork depth (0 = sequential engine). */
    public EngineConfig withMaxForkDepth(int depth) {
        return new EngineConfig(depth, prefillChunk, maxRunningRequests, scoreTokens);
    }

    public EngineConfig withPrefillChunk(int chunk) {
        return new EngineConfig(maxForkDepth, chunk, maxRunningRequests, scoreTokens);
    }

    /** The same configuration with log-prob recording on or off. */
    public EngineConfig withScoreTokens(boolean score) {
        return new EngineConfig(maxForkDepth, prefillChunk, maxRunningRequests, score);
    }
}
