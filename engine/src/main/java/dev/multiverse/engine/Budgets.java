package dev.multiverse.engine;

import java.time.Duration;

/**
 * The limits of one request (spec section 4.6).
 *
 * @param maxTokens the most generated tokens on the critical path: a generated token's position
 *     may not exceed {@code promptLength + maxTokens - 1}
 * @param maxTotalTokens the most tokens the request may generate across all of its paths (sampled
 *     and engine-inserted alike); this also bounds the KV slots it can hold, which the engine
 *     reserves at admission
 * @param maxPathsPerBlock the most paths one block may fork; further outlines are left unforked
 *     and the trace says so
 * @param timeout the request's deadline, counted from its submission
 */
public record Budgets(int maxTokens, int maxTotalTokens, int maxPathsPerBlock, Duration timeout) {

    public Budgets {
        if (maxTokens < 1) throw new IllegalArgumentException("max_tokens must be >= 1, got " + maxTokens);
        if (maxTotalTokens < 1)
            throw new IllegalArgumentException("max_total_tokens must be >= 1, got " + maxTotalTokens);
        if (maxPathsPerBlock < 1)
            throw new IllegalArgumentException("max_paths_per_block must be >= 1, got " + maxPathsPerBlock);
        if (timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("the timeout must be positive, got " + timeout);
    }

    /** 1024 tokens on the critical path, 4096 in all, 16 paths per block, ten minutes. */
    public static Budgets defaults() {
        return new Budgets(1024, 4096, 16, Duration.ofMinutes(10));
    }

    public Budgets withMaxTokens(int n) {
        return new Budgets(n, maxTotalTokens, maxPathsPerBlock, timeout);
    }

    public Budgets withMaxTotalTokens(int n) {
        return new Budgets(maxTokens, n, maxPathsPerBlock, timeout);
    }

    public Budgets withMaxPathsPerBlock(int n) {
        return new Budgets(maxTokens, maxTotalTokens, n, timeout);
    }

    public Budgets withTimeout(Duration d) {
        return new Budgets(maxTokens, maxTotalTokens, maxPathsPerBlock, d);
    }
}
