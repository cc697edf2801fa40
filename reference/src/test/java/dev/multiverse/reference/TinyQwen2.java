package dev.multiverse.reference;

import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.SafeTensorsWriter;
import dev.multiverse.weights.WeightStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.Random;

/**
 * Tiny random Qwen2 checkpoints written with {@link SafeTensorsWriter}: two layers, odd widths
 * (so every kernel runs its vector tails), weights large enough that attention is far from uniform.
 * Public for the tests of other modules (the test-jar).
 */
public final class TinyQwen2 {
    private TinyQwen2() {}

    /** The vocabulary of the models of this module's tests. */
    public static final int VOCAB = 97;

    /** The shape of a tiny model: heads/kvHeads, tied or not, stored as {@code dtype}. */
    public record Shape(int heads, int kvHeads, boolean tied, DType dtype) {
        @Override
        public String toString() {
            return heads + "/" + kvHeads + (tied ? " tied " : " untied ") + dtype;
        }
    }

    static ModelConfig config(Shape shape) {
        return config(shape, VOCAB);
    }

    /** hidden 40, intermediate 56, 2 layers, head dim 8, rope theta 10^4. */
    public static ModelConfig config(Shape shape, int vocab) {
        return new ModelConfig(40, 56, 2, shape.heads(), shape.kvHeads(), 8, vocab, 1e-6f, 10_000.0, 4096,
                shape.tied(), shape.dtype(), OptionalInt.empty(), new int[] {vocab - 1});
    }

    static Path write(Path parent, Shape shape, long seed) {
        return write(parent, shape, VOCAB, seed);
    }

    /**
     * Writes a random model of {@code shape} and {@code vocab} tokens into a fresh directory under
     * {@code parent}: model.safetensors and a Hugging Face config.json.
     */
    public static Path write(Path parent, Shape shape, int vocab, long seed) {
        ModelConfig c = config(shape, vocab);
        Random random = new Random(seed);
        int d = c.hiddenSize(), m = c.intermediateSize(), qd = c.numHeads() * c.headDim(), kd = c.numKvHeads() * c.headDim();
        var writer = new SafeTensorsWriter();
        DType t = shape.dtype();
        writer.add("model.embed_tokens.weight", t, new long[] {c.vocabSize(), d}, values(random, c.vocabSize() * d, 0, 1.0));
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            writer.add(p + "input_layernorm.weight", t, new long[] {d}, values(random, d, 1, 0.2));
            writer.add(p + "self_attn.q_proj.weight", t, new long[] {qd, d}, values(random, qd * d, 0, 0.4));
            writer.add(p + "self_attn.q_proj.bias", t, new long[] {qd}, values(random, qd, 0, 0.3));
            writer.add(p + "self_attn.k_proj.weight", t, new long[] {kd, d}, values(random, kd * d, 0, 0.4));
            writer.add(p + "self_attn.k_proj.bias", t, new long[] {kd}, values(random, kd, 0, 0.3));
            writer.add(p + "self_attn.v_proj.weight", t, new long[] {kd, d}, values(random, kd * d, 0, 0.3));
            writer.add(p + "self_attn.v_proj.bias", t, new long[] {kd}, values(random, kd, 0, 0.3));
            writer.add(p + "self_attn.o_proj.weight", t, new long[] {d, qd}, values(random, d * qd, 0, 0.2));
            writer.add(p + "post_attention_layernorm.weight", t, new long[] {d}, values(random, d, 1, 0.2));
            writer.add(p + "mlp.gate_proj.weight", t, new long[] {m, d}, values(random, m * d, 0, 0.2));
            writer.add(p + "mlp.up_proj.weight", t, new long[] {m, d}, values(random, m * d, 0, 0.2));
            writer.add(p + "mlp.down_proj.weight", t, new long[] {d, m}, values(random, d * m, 0, 0.2));
        }
        writer.add("model.norm.weight", t, new long[] {d}, values(random, d, 1, 0.2));
        if (!shape.tied()) writer.add("lm_head.weight", t, new long[] {c.vocabSize(), d}, values(random, c.vocabSize() * d, 0, 0.3));
        try {
            Path dir = Files.createTempDirectory(parent, "qwen2-");
            writer.write(dir.resolve("model.safetensors"));
            Files.writeString(dir.resolve("config.json"), configJson(c));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a tiny model as a {@link Qwen2} on two threads; close the store after the model. */
    static Qwen2 open(WeightStore store, Shape shape) throws Exception {
        return new Qwen2(Qwen2Weights.from(store, config(shape)), 2);
    }

    private static String configJson(ModelConfig c) {
        String dtype = switch (c.dtype()) {
            case F32 -> "float32";
            case F16 -> "float16";
            default -> "bfloat16";
        };
        return String.format(java.util.Locale.ROOT, """
                {"model_type": "qwen2", "hidden_size": %d, "intermediate_size": %d, "num_hidden_layers": %d,
                 "num_attention_heads": %d, "num_key_value_heads": %d, "head_dim": %d, "vocab_size": %d,
                 "rms_norm_eps": %s, "rope_theta": %s, "max_position_embeddings": %d, "tie_word_embeddings": %b,
                 "torch_dtype": "%s", "eos_token_id": %d}
                """, c.hiddenSize(), c.intermediateSize(), c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(),
                c.vocabSize(), Float.toString(c.rmsNormEps()), Double.toString(c.ropeTheta()), c.maxPositionEmbeddings(),
                c.tieWordEmbeddings(), dtype, c.eosTokenIds()[0]);
    }

    private static float[] values(Random random, int n, double mean, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (mean + std * random.nextGaussian());
        return v;
    }

    static int[] randomTokens(Random random, int n) {
        return random.ints(n, 0, VOCAB).toArray();
    }
}
