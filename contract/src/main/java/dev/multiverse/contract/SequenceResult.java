package dev.multiverse.contract;

/**
 * What one sequence's step returns, as its {@link Readout} asked.
 *
 * @param rowLogprobs {@code [rows - 1]} log-probs of the step's own tokens after the first, or
 *     an empty array if not asked
 * @param token the chosen or given token, or -1 when the pick was NONE
 * @param tokenLogprob {@code log p(token | last row)} under the raw logits (NaN without a token)
 * @param scoreLogprobs the log-probs of the readout's {@code scoreIds} under the last row
 * @param topIds the {@code topN} most likely choosable ids of the last row, most likely first
 *     (the lowest id first on ties)
 * @param topLogprobs their log-probs
 * @param logits {@code [rows][vocab]} if asked, else null
 */
public record SequenceResult(double[] rowLogprobs, int token, double tokenLogprob, double[] scoreLogprobs,
                             int[] topIds, double[] topLogprobs, float[][] logits) {

    /** The logits of the last row (the next-token distribution); only when the readout asked for logits. */
    public float[] lastLogits() {
        if (logits == null) throw new IllegalStateException("the readout did not ask for logits");
        return logits[logits.length - 1];
    }

    /** The log-prob of {@code id}, one of the readout's score ids, or of the picked token. */
    public double logprobOf(int id, int[] scoreIds) {
        if (id == token) return tokenLogprob;
        for (int i = 0; i < scoreIds.length; i++) if (scoreIds[i] == id) return scoreLogprobs[i];
        return Double.NaN;
    }
}
