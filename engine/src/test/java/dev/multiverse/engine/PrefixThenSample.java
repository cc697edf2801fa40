package dev.multiverse.engine;

import dev.multiverse.contract.Pick;

/**
 * The root follows a fixed token prefix (to steer the fake model into a block), then samples;
 * children sample from the start. A prefix token is handled exactly like a sampled one.
 */
final class PrefixThenSample implements TokenChooser {
    private final int[] prefix;
    private final Sampler sampler;
    private int next;

    PrefixThenSample(int[] prefix, SamplingParams params) {
        this.prefix = prefix.clone();
        this.sampler = new Sampler(params, "");
    }

    @Override
    public Pick next(int choosable) {
        return next < prefix.length ? Pick.given(prefix[next]) : sampler.next(choosable);
    }

    @Override
    public void picked(int token) {
        if (next < prefix.length) next++;
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return sampler.child(index, outlineId, pathKey);
    }
}
