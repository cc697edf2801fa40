package dev.multiverse.engine;

/** Log-softmax over a row of logits, in double precision. */
final class LogProbs {
    private LogProbs() {}

    /** {@code log softmax(logits)[token] = logits[token] - max - log sum_v exp(logits[v] - max)}. */
    static double of(float[] logits, int token) {
        if (token < 0 || token >= logits.length)
            throw new IllegalArgumentException("token " + token + " outside a vocabulary of " + logits.length);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp(l - max);
        return logits[token] - max - Math.log(sum);
    }
}
