package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import dev.multiverse.contract.TokenRule;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Samples a sequence's next token with {@link SamplingParams}: the backend chooses under the
 * {@link TokenRule} they make, with one uniform draw per token from this sampler's stream. The
 * stream is seeded from the request seed and the sequence's path key only, so what it draws never
 * depends on which other sequences or requests share the batch.
 */
public final class Sampler implements TokenChooser {
    private static final int[] NO_IDS = new int[0];
    private final SamplingParams params;
    private final SplittableRandom random;

    public Sampler(SamplingParams params, String pathKey) {
        this.params = params;
        this.random = new SplittableRandom(streamSeed(params.seed(), pathKey));
    }

    /** A 64-bit mix of the request seed and the path key (FNV-1a over the key, then SplitMix64). */
    static long streamSeed(long seed, String pathKey) {
        long h = 0xcbf29ce484222325L;
        for (byte b : pathKey.getBytes(StandardCharsets.UTF_8)) h = (h ^ (b & 0xff)) * 0x100000001b3L;
        long z = seed + 0x9e3779b97f4a7c15L * (h | 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return new Sampler(params, pathKey);
    }

    @Override
    public Pick next(int choosable) {
        var rule = new TokenRule(params.temperature(), params.topK(), params.topP(), params.minP(),
                params.repetitionPenalty(), choosable, NO_IDS);
        return Pick.chosen(rule, rule.isGreedy() ? 0 : random.nextDouble());
    }
}
