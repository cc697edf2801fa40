package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** config.json as transformers writes it for Qwen2, in both generations of the format. */
class ModelConfigTest {
    /** The shape of Qwen2.5-0.5B-Instruct's config.json as transformers 4.x writes it. */
    static final String QWEN25_05B_V4 = """
            {
              "architectures": ["Qwen2ForCausalLM"],
              "attention_dropout": 0.0,
              "bos_token_id": 151643,
              "eos_token_id": 151645,
              "hidden_act": "silu",
              "hidden_size": 896,
              "initializer_range": 0.02,
              "intermediate_size": 4864,
              "max_position_embeddings": 32768,
              "max_window_layers": 21,
              "model_type": "qwen2",
              "num_attention_heads": 14,
              "num_hidden_layers": 24,
              "num_key_value_heads": 2,
              "rms_norm_eps": 1e-06,
              "rope_scaling": null,
              "rope_theta": 1000000.0,
              "sliding_window": 32768,
              "tie_word_embeddings": true,
              "torch_dtype": "bfloat16",
              "transformers_version": "4.43.1",
              "use_cache": true,
              "use_sliding_window": false,
              "vocab_size": 151936
            }
            """;

    @Test
    void readsTheTransformers4Layout() throws Exception {
        ModelConfig c = ModelConfig.parse(QWEN25_05B_V4, "config.json");
        assertEquals(new ModelConfig(896, 4864, 24, 14, 2, 64, 151936, 1e-6f, 1_000_000.0, 32768, true,
                DType.BF16, OptionalInt.of(151643), new int[] {151645}), c);
        assertEquals(7, c.queriesPerKvHead());
        assertTrue(c.isEos(151645));
    }

    @Test
    void readsTheTransformers5Layout() throws Exception {
        String v5 = QWEN25_05B_V4
                .replace("\"rope_theta\": 1000000.0,", "\"rope_parameters\": {\"rope_theta\": 1000000.0, \"rope_type\": \"default\"},")
                .replace("\"torch_dtype\"", "\"dtype\"")
                .replace("\"eos_token_id\": 151645", "\"eos_token_id\": [151645, 151643]")
                .replace("\"rope_scaling\": null,", "");
        ModelConfig c = ModelConfig.parse(v5, "v5.json");
        assertEquals(1_000_000.0, c.ropeTheta());
        assertEquals(DType.BF16, c.dtype());
        assertArrayEquals(new int[] {151645, 151643}, c.eosTokenIds());
    }

    @Test
    void refusesOtherModelTypesNamingTheField() {
        ModelConfigException e = assertThrows(ModelConfigException.class, () ->
                ModelConfig.parse(QWEN25_05B_V4.replace("\"qwen2\"", "\"llama\""), "config.json"));
        assertEquals("model_type", e.field());
        assertTrue(e.getMessage().startsWith("config.json: field model_type: "), e.getMessage());
    }

    @Test
    void readsTheMultiverse32bShape() throws Exception {
        // The spec's model facts (Qwen2.5-32B shape): untied lm_head, 40 query and 8 KV heads of 128.
        String json = QWEN25_05B_V4
                .replace("\"hidden_size\": 896", "\"hidden_size\": 5120")
                .replace("\"intermediate_size\": 4864", "\"intermediate_size\": 27648")
                .replace("\"num_attention_heads\": 14", "\"num_attention_heads\": 40")
                .replace("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 64")
                .replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 8")
                .replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": false")
                .replace("\"vocab_size\": 151936", "\"vocab_size\": 151680");
        ModelConfig c = ModelConfig.parse(json, "multiverse-32b/config.json");
        assertEquals(new ModelConfig(5120, 27648, 64, 40, 8, 128, 151680, 1e-6f, 1e6, 32768, false,
                DType.BF16, OptionalInt.of(151643), new int[] {151645}), c);
        assertEquals(5, c.queriesPerKvHead());
    }

    @Test
    void theConstructorChecksItsInvariantsToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ModelConfig(
                64, 128, 1, 6, 4, 16, 100, 1e-6f, 1e4, 64, false, DType.F32, OptionalInt.empty(), new int[0]));
        assertTrue(e.getMessage().contains("numKvHeads"), e.getMessage());
        int[] eos = {5};
        ModelConfig c = new ModelConfig(64, 128, 1, 4, 2, 16, 100, 1e-6f, 1e4, 64, false, DType.F32,
                OptionalInt.empty(), eos);
        eos[0] = 6;
        assertArrayEquals(new int[] {5}, c.eosTokenIds()); // defensive copies in and out
        c.eosTokenIds()[0] = 7;
        assertTrue(c.isEos(5));
    }
}
