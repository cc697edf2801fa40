package dev.multiverse.contract;

import java.util.Arrays;

/**
 * The rule by which a backend chooses a sequence's next token from the last row's logits {@code
 * l[0 .. V)}; {@link ChoiceReference} is its double-precision statement and {@code
 * docs/engine.md} its prose. With C = {@code choosable} and B = {@code banned}:
 *
 * <ol>
 *   <li>Allowed ids: {@code 0 <= i < C}, i not in B. Nothing else is ever chosen.
 *   <li>Scores s_i = l_i, then the repetition penalty ρ over every distinct token the sequence's
 *       context holds (this step's rows included): s_i = s_i / ρ if s_i > 0, else s_i · ρ.
 *   <li>Greedy (T = 0): the allowed id with the largest s_i, the lowest id on ties. Done.
 *   <li>p_i = exp((s_i − max s) / T) over the allowed ids.
 *   <li>Top-k (k > 0): keep the ids whose s_i is at least the k-th largest allowed score (ties at
 *       the edge are all kept). Min-p (m > 0): keep the ids with p_i ≥ m · max p. Both keep the
 *       most likely id.
 *   <li>Top-p (P < 1): of what is kept, with M its mass, keep p_i ≥ t for the largest t at which
 *       the mass of {p_j ≥ t} still reaches P · M (ties at the edge are all kept).
 *   <li>Draw: with u the uniform and S the kept mass, the first kept id in increasing id order at
 *       which the running sum of p exceeds u · S (the last kept id if rounding leaves none).
 * </ol>
 *
 * @param temperature T: 0 is greedy, else {@code > 0}
 * @param topK k, 0 disables
 * @param topP P in (0, 1], 1 disables
 * @param minP m in [0, 1), 0 disables
 * @param repetitionPenalty ρ {@code > 0}, 1 disables
 * @param choosable C: ids at or beyond it (a model's padding ids) are never chosen
 * @param banned ids never chosen (sorted, distinct on construction)
 */
public record TokenRule(double temperature, int topK, double topP, double minP, double repetitionPenalty,
                        int choosable, int[] banned) {

    public TokenRule {
        checkSampling(temperature, topK, topP, minP, repetitionPenalty);
        if (choosable < 1) throw new IllegalArgumentException("at least one id must be choosable, got " + choosable);
        banned = Arrays.stream(banned).distinct().sorted().toArray();
        for (int b : banned) if (b < 0) throw new IllegalArgumentException("banned id " + b + " is negative");
    }

    /**
     * Checks the sampling parameters of a rule (and of any request that will become one), naming
     * the one that is out of range as the API spells it.
     */
    public static void checkSampling(double temperature, int topK, double topP, double minP, double repetitionPenalty) {
        if (!(temperature >= 0) || Double.isInfinite(temperature))
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top_k must be >= 0 (0 disables), got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("min_p must be in [0, 1), got " + minP);
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty))
            throw new IllegalArgumentException("repetition_penalty must be finite and > 0, got " + repetitionPenalty);
    }

    /** Greedy over ids below {@code choosable}, no penalty, nothing banned. */
    public static TokenRule greedy(int choosable) {
        return new TokenRule(0, 0, 1, 0, 1, choosable, new int[0]);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }

    /** Whether {@code id} may be chosen. */
    public boolean allows(int id) {
        return id >= 0 && id < choosable && Arrays.binarySearch(banned, id) < 0;
    }
}
