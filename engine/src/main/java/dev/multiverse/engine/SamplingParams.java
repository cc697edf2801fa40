package dev.multiverse.engine;

import dev.multiverse.contract.TokenRule;
import java.util.List;

/**
 * How a sequence picks its next token from the model's logits. One record per request; every
 * sequence of the request's tree samples with it, each from its own random stream (see {@link
 * Sampler}).
 *
 * <p>Order of operations on the raw logits: repetition penalty, then (unless greedy) division by
 * the temperature, softmax, and the filters top-k, min-p, top-p, each keeping at least the most
 * likely token; then one draw.
 *
 * @param temperature 0 means greedy (argmax, ties to the lowest id); otherwise {@code > 0}
 * @param topK keep only the k most likely tokens; 0 disables
 * @param topP keep the smallest set of most likely tokens whose probability reaches p; 1 disables
 * @param minP drop tokens whose probability is below {@code minP * max probability}; 0 disables
 * @param repetitionPenalty the Hugging Face rule over every token the sequence sees: a positive
 *     logit is divided by it, a negative one multiplied; 1 disables
 * @param stopStrings texts that end a sequence once its generated text contains them (the tokens
 *     that complete the stop string are kept)
 * @param seed the request seed; a sequence's stream is derived from it and the sequence's path key
 */
public record SamplingParams(
        double temperature, int topK, double topP, double minP, double repetitionPenalty,
        List<String> stopStrings, long seed) {

    public SamplingParams {
        TokenRule.checkSampling(temperature, topK, topP, minP, repetitionPenalty);
        stopStrings = List.copyOf(stopStrings);
        for (String s : stopStrings)
            if (s.isEmpty()) throw new IllegalArgumentException("a stop string must not be empty");
    }

    /** Greedy decoding, no filters, no stop strings. */
    public static SamplingParams greedy() {
        return new SamplingParams(0, 0, 1, 0, 1, List.of(), 0);
    }

    /** Plain sampling at {@code temperature} with the given seed and no filters. */
    public static SamplingParams sampled(double temperature, long seed) {
        return new SamplingParams(temperature, 0, 1, 0, 1, List.of(), seed);
    }

    /** True when the next token is the argmax of the (penalised) logits. */
    public boolean isGreedy() {
        return temperature == 0;
    }

    /** The same parameters with other stop strings. */
    public SamplingParams withStopStrings(List<String> strings) {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, strings, seed);
    }
}
