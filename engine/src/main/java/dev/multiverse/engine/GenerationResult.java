package dev.multiverse.engine;

/**
 * The outcome of a request: the merged text in the canonical order (prompt first), every token's
 * position and log-prob, the trace and the figures.
 *
 * @param requestId the request's id
 * @param tokens the merged tokens, prompt included
 * @param positions their RoPE positions (the canonical layout's)
 * @param logprobs {@code log p(token | what its sequence saw)}, NaN for prompt tokens
 * @param pathKeys the key of the sequence that appended each token ("" for the root, see {@link
 *     Trace.Path#key()})
 * @param origins whether each token is prompt, sampled (or scripted) or engine-inserted
 * @param promptLength how many of the tokens are the prompt
 * @param text the decoded generated part (after the prompt)
 * @param finishReason why the request stopped
 * @param trace the tree
 */
public record GenerationResult(long requestId, int[] tokens, int[] positions, double[] logprobs, String[] pathKeys,
                               TokenEntry.Origin[] origins, int promptLength,
                               String text, EndReason finishReason, Trace trace) {

    public Stats stats() {
        return trace.stats();
    }

    /** The generated tokens (after the prompt). */
    public int[] generatedTokens() {
        return java.util.Arrays.copyOfRange(tokens, promptLength, tokens.length);
    }
}
