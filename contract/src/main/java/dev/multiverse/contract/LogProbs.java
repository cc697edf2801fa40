package dev.multiverse.contract;

import java.util.Arrays;

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
     * What a model makes of a text: {@code logProbs[j] = log p(tokens[j] | what token j sees)}, read
     * from the row of the latest token before j that j sees (usually j - 1; for the first token of
     * a second or later sibling path, the last token before the block's first path, the row an
     * engine forks from); {@code NaN} where no earlier token is visible (the first token).
     * {@code argmax[i]} is the most likely token after token i.
     */
    public record TokenScores(double[] logProbs, int[] argmax) {}

    /** Scores {@code tokens} in one pass of any {@link SinglePass} (a backend's, say) under {@code positions} and {@code mask}. */
    public static TokenScores score(SinglePass pass, int[] tokens, int[] positions, AttentionMask mask) {
        int n = tokens.length;
        // predicted[k] lists (as a chain through nextPredicted) the tokens j whose predecessor is k
        int[] predicted = new int[n], nextPredicted = new int[n];
        Arrays.fill(predicted, -1);
        double[] logProbs = new double[n];
        Arrays.fill(logProbs, Double.NaN);
        for (int j = n - 1; j >= 1; j--) {
            int k = j - 1;
            while (k >= 0 && !mask.visible(j, k)) k--;
            if (k < 0) continue;
            nextPredicted[j] = predicted[k];
            predicted[k] = j;
        }
        int[] argmax = new int[n];
        pass.forward(tokens, positions, mask, (row, logits) -> {
            argmax[row] = argmax(logits);
            for (int j = predicted[row]; j != -1; j = nextPredicted[j]) logProbs[j] = logProb(logits, tokens[j]);
        });
        return new TokenScores(logProbs, argmax);
    }
}
