package dev.multiverse.engine;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.reference.CpuBackend;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.SafeTensorsWriter;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Random;

/**
 * A tiny random Qwen2 over {@link CharVocabulary}'s 64 ids (hidden 32, 2 layers, 4 query heads on
 * 2 KV heads, F32), written with {@link SafeTensorsWriter} and opened through the real loader.
 */
final class RandomQwen2 implements AutoCloseable {
    final ModelConfig config;
    final Qwen2 model;
    private final WeightStore store;

    private RandomQwen2(ModelConfig config, Qwen2 model, WeightStore store) {
        this.config = config;
        this.model = model;
        this.store = store;
    }

    static RandomQwen2 write(Path dir, long seed) throws Exception {
        var c = new ModelConfig(32, 48, 2, 4, 2, 8, CharVocabulary.SIZE, 1e-6f, 10_000.0, 4096, true, DType.F32,
                OptionalInt.empty(), new int[] {CharVocabulary.EOS});
        var random = new Random(seed);
        int d = c.hiddenSize(), m = c.intermediateSize(), q = c.numHeads() * c.headDim(), kv = c.numKvHeads() * c.headDim();
        var w = new SafeTensorsWriter();
        w.add("model.embed_tokens.weight", DType.F32, new long[] {c.vocabSize(), d}, gaussian(random, c.vocabSize() * d, 0, 1));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            w.add(p + "input_layernorm.weight", DType.F32, new long[] {d}, gaussian(random, d, 1, 0.2));
            w.add(p + "post_attention_layernorm.weight", DType.F32, new long[] {d}, gaussian(random, d, 1, 0.2));
            for (String name : new String[] {"q", "k", "v"}) {
                int rows = name.equals("q") ? q : kv;
                w.add(p + "self_attn." + name + "_proj.weight", DType.F32, new long[] {rows, d}, gaussian(random, rows * d, 0, 0.4));
                w.add(p + "self_attn." + name + "_proj.bias", DType.F32, new long[] {rows}, gaussian(random, rows, 0, 0.3));
            }
            w.add(p + "self_attn.o_proj.weight", DType.F32, new long[] {d, q}, gaussian(random, d * q, 0, 0.3));
            w.add(p + "mlp.gate_proj.weight", DType.F32, new long[] {m, d}, gaussian(random, m * d, 0, 0.3));
            w.add(p + "mlp.up_proj.weight", DType.F32, new long[] {m, d}, gaussian(random, m * d, 0, 0.3));
            w.add(p + "mlp.down_proj.weight", DType.F32, new long[] {d, m}, gaussian(random, d * m, 0, 0.3));
        }
        w.add("model.norm.weight", DType.F32, new long[] {d}, gaussian(random, d, 1, 0.2));
        w.write(dir.resolve("model.safetensors"));
        var store = WeightStore.open(dir);
        return new RandomQwen2(c, new Qwen2(Qwen2Weights.from(store, c), 1), store);
    }

    /** A CPU backend over this model; do not close it (that would close the shared model). */
    Backend backend(int slots) {
        return new CpuBackend(model, slots, null);
    }

    private static float[] gaussian(Random random, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * random.nextGaussian());
        return v;
    }

    @Override
    public void close() throws Exception {
        model.close();
        store.close();
    }
}
