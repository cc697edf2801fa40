package dev.multiverse.reference;

import dev.multiverse.model.AttentionMask;

/** Log-probabilities from logits, and the per-token scores of a text. */
public final class LogProbs {
    private LogProbs() {}

    /** {@code log softmax(logits)}, accumulated in double. */
    public static double[] logSoftmax(float[] logits) {
        double logZ = logSumExp(logits);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) out[i] = logits[i] - logZ;
        return out;
    }

    /** {@code log p(token) = logits[token] - log Σ_i e^logits[i]}. */
    public static double logProb(float[] logits, int token) {
        return logits[token] - logSumExp(logits);
    }

    /** The index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    private static double logSumExp(float[] logits) {
        float max = logits[argmax(logits)];
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        return max + Math.log(sum);
    }

    /**
     * What a model makes of a text: {@code logProbs[i] = log p(tokens[i] | what token i-1 sees)}
     * for i ≥ 1 ({@code NaN} for the first token, which nothing predicts), and {@code argmax[i]},
     * the most likely token after token i.
     */
    public record TokenScores(double[] logProbs, int[] argmax) {}

    /** Scores {@code tokens} in one pass of {@code model} under {@code positions} and {@code mask}. */
    public static TokenScores score(Qwen2 model, int[] tokens, int[] positions, AttentionMask mask) {
        double[] logProbs = new double[tokens.length];
        int[] argmax = new int[tokens.length];
        if (tokens.length > 0) logProbs[0] = Double.NaN;
        model.forward(tokens, positions, mask, (row, logits) -> {
            argmax[row] = argmax(logits);
            if (row + 1 < tokens.length) logProbs[row + 1] = logProb(logits, tokens[row + 1]);
        });
        return new TokenScores(logProbs, argmax);
    }
}
