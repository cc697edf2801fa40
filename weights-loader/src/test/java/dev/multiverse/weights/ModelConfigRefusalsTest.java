package dev.multiverse.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each unsupported or invalid config.json field is refused with a message naming the file and the
 * field; each optional field takes the documented default.
 */
class ModelConfigRefusalsTest {
    private static ObjectNode base() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ModelConfigTest.QWEN25_05B_V4);
    }

    private static ModelConfig parse(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode n = base();
        edit.accept(n);
        return ModelConfig.parse(n.toString(), "cfg.json");
    }

    private static void assertRefused(String field, String fragment, Consumer<ObjectNode> edit) {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> parse(edit));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals("cfg.json", e.source());
        assertTrue(e.getMessage().startsWith("cfg.json: field " + field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
    }

    @Test
    void unsupportedArchitectureFeatures() {
        assertRefused("model_type", "missing", n -> n.remove("model_type"));
        assertRefused("model_type", "\"qwen3\"", n -> n.put("model_type", "qwen3"));
        assertRefused("hidden_act", "\"gelu\"", n -> n.put("hidden_act", "gelu"));
        assertRefused("use_sliding_window", "sliding-window", n -> n.put("use_sliding_window", true));
        assertRefused("attention_bias", "false", n -> n.put("attention_bias", false));
        assertRefused("quantization_config", "quantised", n -> n.putObject("quantization_config").put("bits", 4));
        assertRefused("layer_types[1]", "sliding_attention",
                n -> n.putArray("layer_types").add("full_attention").add("sliding_attention"));
    }

    @Test
    void ropeVariantsOtherThanDefault() {
        assertRefused("rope_scaling.type", "\"linear\"",
                n -> n.putObject("rope_scaling").put("type", "linear"));
        assertRefused("rope_scaling.factor", "not supported",
                n -> n.putObject("rope_scaling").put("rope_type", "yarn").put("factor", 4.0));
        assertRefused("rope_parameters.rope_type", "\"yarn\"",
                n -> n.putObject("rope_parameters").put("rope_type", "yarn").put("rope_theta", 1e6));
        assertRefused("rope_parameters.rope_theta", "disagrees with rope_theta",
                n -> n.putObject("rope_parameters").put("rope_type", "default").put("rope_theta", 1e4));
        assertRefused("rope_theta", "missing", n -> n.remove("rope_theta"));
        assertRefused("rope_theta", "finite number > 0", n -> n.put("rope_theta", -1.0));
        assertRefused("rope_parameters", "expected a JSON object", n -> n.put("rope_parameters", 3));
    }

    @Test
    void numbersMustBePositiveIntegersThatFit() {
        assertRefused("hidden_size", "missing", n -> n.remove("hidden_size"));
        assertRefused("hidden_size", "got 896.5", n -> n.put("hidden_size", 896.5));
        assertRefused("hidden_size", "got \"896\"", n -> n.put("hidden_size", "896"));
        assertRefused("num_hidden_layers", "must be positive", n -> n.put("num_hidden_layers", 0));
        assertRefused("intermediate_size", "non-negative 32-bit", n -> n.put("intermediate_size", -1));
        assertRefused("vocab_size", "non-negative 32-bit", n -> n.put("vocab_size", 1L << 31));
        assertRefused("num_key_value_heads", "does not divide", n -> n.put("num_key_value_heads", 4));
        assertRefused("num_attention_heads", "does not divide hidden_size", n -> n.put("num_attention_heads", 12));
        assertRefused("head_dim", "is odd", n -> n.put("head_dim", 63));
        assertRefused("rms_norm_eps", "finite number > 0", n -> n.put("rms_norm_eps", 0));
        assertRefused("rms_norm_eps", "does not fit a float", n -> n.put("rms_norm_eps", 1e-60));
        assertRefused("max_position_embeddings", "missing", n -> n.remove("max_position_embeddings"));
        assertRefused("tie_word_embeddings", "true or false", n -> n.put("tie_word_embeddings", "yes"));
    }

    @Test
    void dtypeAndTokenIds() {
        assertRefused("torch_dtype", "missing", n -> n.remove("torch_dtype"));
        assertRefused("torch_dtype", "\"float64\"", n -> n.put("torch_dtype", "float64"));
        assertRefused("dtype", "disagrees with torch_dtype", n -> n.put("dtype", "float32"));
        assertRefused("eos_token_id", "outside the vocabulary", n -> n.put("eos_token_id", 151936));
        assertRefused("eos_token_id[1]", "non-negative", n -> n.putArray("eos_token_id").add(1).add(-1));
        assertRefused("bos_token_id", "non-negative", n -> n.put("bos_token_id", "x"));
    }

    @Test
    void optionalFieldsTakeTheirDefaults() throws Exception {
        ModelConfig c = parse(n -> {
            n.remove("num_key_value_heads");
            n.remove("tie_word_embeddings");
            n.remove("bos_token_id");
            n.remove("eos_token_id");
            n.remove("hidden_act");
            n.put("head_dim", 128); // given explicitly: need not be hidden/heads
        });
        assertEquals(14, c.numKvHeads());
        assertEquals(128, c.headDim());
        assertEquals(false, c.tieWordEmbeddings());
        assertTrue(c.bosTokenId().isEmpty());
        assertEquals(0, c.eosTokenIds().length);
        assertEquals(64, parse(n -> { }).headDim()); // 896 / 14
        assertEquals(DType.F32, parse(n -> n.put("torch_dtype", "float32").put("dtype", "float32")).dtype());
        assertEquals(1e6, parse(n -> n.putObject("rope_scaling").put("rope_type", "default")).ropeTheta());
    }

    @Test
    void badJsonAndUnreadableFilesNameTheSource(@TempDir Path dir) throws Exception {
        ModelConfigException e = assertThrows(ModelConfigException.class, () -> ModelConfig.parse("{", "x.json"));
        assertTrue(e.getMessage().startsWith("x.json: is not valid JSON"), e.getMessage());
        e = assertThrows(ModelConfigException.class, () -> ModelConfig.parse("{\"a\":1,\"a\":2}", "x.json"));
        assertTrue(e.getMessage().contains("Duplicate field 'a'"), e.getMessage());
        Path missing = dir.resolve("config.json");
        e = assertThrows(ModelConfigException.class, () -> ModelConfig.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": cannot be read"), e.getMessage());
        Files.writeString(missing, ModelConfigTest.QWEN25_05B_V4);
        assertEquals(24, ModelConfig.load(missing).numLayers());
    }
}
