package dev.multiverse.engine;

/**
 * The figures of one request.
 *
 * @param promptTokens tokens in the prompt
 * @param totalTokens tokens generated across all paths (sampled and engine-inserted)
 * @param criticalPath the position count from the start of the answer: largest position used +
 *     1 - prompt tokens
 * @param parallelismRatio {@code totalTokens / criticalPath} (1 for a sequential answer)
 * @param steps the engine steps in which this request had tokens in the batch
 * @param paths how many paths were forked in all
 * @param wallMs milliseconds from admission to finish
 */
public record Stats(int promptTokens, int totalTokens, int criticalPath, double parallelismRatio, long steps,
                    int paths, double wallMs) {}
