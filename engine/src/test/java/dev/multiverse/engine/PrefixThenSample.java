package dev.multiverse.engine;

/**
 * The root follows a fixed token prefix (to steer the fake model into a block), then samples;
 * children sample from the start. A prefix token is chosen exactly like a sampled one.
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
    public int next(float[] logits, SequenceView sequence) {
        return next < prefix.length ? prefix[next++] : sampler.next(logits, sequence);
    }

    @Override
    public TokenChooser child(int index, String outlineId, String pathKey) {
        return sampler.child(index, outlineId, pathKey);
    }
}
