package dev.multiverse.weights;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a Qwen2 {@code config.json} as transformers 4.x and 5.x write it. Supported: full causal
 * attention, SiLU gating, plain RoPE, biases on q/k/v. Everything else (sliding windows, RoPE
 * scaling, quantisation, other architectures) is refused with the field that asks for it.
 */
final class Qwen2ConfigReader {
    private static final Map<String, DType> DTYPES =
            Map.of("bfloat16", DType.BF16, "float16", DType.F16, "float32", DType.F32);
    private static final Set<String> ROPE_KEYS = Set.of("rope_type", "type", "rope_theta");

    private Qwen2ConfigReader() {
    }

    static ModelConfig read(String json, String source) throws ModelConfigException {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (Json.Malformed e) {
            throw new ModelConfigException(source, null, "is " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new ModelConfigException(source, null, "is not a JSON object");
        }
        ConfigFields c = new ConfigFields(source, "", root);
        refuseUnsupported(c);

        int hidden = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        int kvHeads = c.positiveInt("num_key_value_heads", heads);
        if (heads % kvHeads != 0) {
            throw c.error("num_key_value_heads", kvHeads + " does not divide num_attention_heads " + heads);
        }
        int headDim;
        if (c.has("head_dim")) {
            headDim = c.positiveInt("head_dim");
        } else if (hidden % heads != 0) {
            throw c.error("num_attention_heads", heads + " does not divide hidden_size " + hidden
                    + " and head_dim is not given");
        } else {
            headDim = hidden / heads;
        }
        if (headDim % 2 != 0) {
            throw c.error(c.has("head_dim") ? "head_dim" : "num_attention_heads",
                    "head dimension " + headDim + " is odd; RoPE rotates pairs");
        }
        int vocab = c.positiveInt("vocab_size");
        float eps = (float) c.positiveNumber("rms_norm_eps");
        if (!(eps > 0) || Float.isInfinite(eps)) {
            throw c.error("rms_norm_eps", "does not fit a float (" + c.node("rms_norm_eps") + ")");
        }
        return new ModelConfig(hidden, c.positiveInt("intermediate_size"), c.positiveInt("num_hidden_layers"),
                heads, kvHeads, headDim, vocab, eps, ropeTheta(c), c.positiveInt("max_position_embeddings"),
                c.bool("tie_word_embeddings", false), dtype(c), bosTokenId(c, vocab), eosTokenIds(c, vocab));
    }

    private static void refuseUnsupported(ConfigFields c) throws ModelConfigException {
        String modelType = c.string("model_type", null);
        if (modelType == null) {
            throw c.error("model_type", "missing");
        }
        if (!modelType.equals("qwen2")) {
            throw c.error("model_type", "\"" + modelType + "\" is not supported (only \"qwen2\")");
        }
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw c.error("hidden_act", "\"" + act + "\" is not supported (only \"silu\")");
        }
        if (c.bool("use_sliding_window", false)) {
            throw c.error("use_sliding_window", "sliding-window attention is not supported");
        }
        if (!c.bool("attention_bias", true)) {
            throw c.error("attention_bias", "false is not supported (Qwen2 has q/k/v biases)");
        }
        if (c.has("quantization_config")) {
            throw c.error("quantization_config", "quantised checkpoints are not supported");
        }
        JsonNode layerTypes = c.node("layer_types");
        if (layerTypes != null) {
            if (!layerTypes.isArray()) {
                throw c.error("layer_types", "expected a JSON array, got " + layerTypes);
            }
            for (int i = 0; i < layerTypes.size(); i++) {
                if (!"full_attention".equals(layerTypes.get(i).asText(null))) {
                    throw c.error("layer_types[" + i + "]", layerTypes.get(i) + " is not supported (only \"full_attention\")");
                }
            }
        }
    }

    /**
     * The RoPE base: {@code rope_theta} at top level (4.x) or inside {@code rope_parameters} (5.x), or
     * inside a {@code rope_scaling} of type default. Where several are given they must agree.
     */
    private static double ropeTheta(ConfigFields c) throws ModelConfigException {
        Double theta = c.has("rope_theta") ? c.positiveNumber("rope_theta") : null;
        String thetaFrom = "rope_theta";
        for (String block : new String[] {"rope_parameters", "rope_scaling"}) {
            ConfigFields rope = c.object(block);
            if (rope == null) {
                continue;
            }
            checkDefaultRope(rope, block, c.node(block));
            if (rope.has("rope_theta")) {
                double inner = rope.positiveNumber("rope_theta");
                if (theta != null && inner != theta) {
                    throw rope.error("rope_theta", inner + " disagrees with " + thetaFrom + " = " + theta);
                }
                theta = inner;
                thetaFrom = block + ".rope_theta";
            }
        }
        if (theta == null) {
            throw c.error("rope_theta", "missing (neither at top level nor in rope_parameters)");
        }
        return theta;
    }

    private static void checkDefaultRope(ConfigFields rope, String block, JsonNode node) throws ModelConfigException {
        for (Map.Entry<String, JsonNode> kv : node.properties()) {
            if (!ROPE_KEYS.contains(kv.getKey())) {
                throw rope.error(kv.getKey(), "is not supported (plain RoPE takes only rope_type and rope_theta)");
            }
        }
        for (String key : new String[] {"rope_type", "type"}) {
            String type = rope.string(key, "default");
            if (!type.equals("default")) {
                throw rope.error(key, "\"" + type + "\" is not supported (only \"default\")");
            }
        }
    }

    /** {@code torch_dtype} (4.x) or {@code dtype} (5.x); both present must agree. */
    private static DType dtype(ConfigFields c) throws ModelConfigException {
        DType found = null;
        String foundIn = null;
        for (String field : new String[] {"torch_dtype", "dtype"}) {
            String name = c.string(field, null);
            if (name == null) {
                continue;
            }
            DType t = DTYPES.get(name);
            if (t == null) {
                throw c.error(field, "\"" + name + "\" is not supported (bfloat16, float16 or float32)");
            }
            if (found != null && found != t) {
                throw c.error(field, "\"" + name + "\" disagrees with " + foundIn);
            }
            found = t;
            foundIn = field;
        }
        if (found == null) {
            throw c.error("torch_dtype", "missing (neither torch_dtype nor dtype is given)");
        }
        return found;
    }

    private static OptionalInt bosTokenId(ConfigFields c, int vocab) throws ModelConfigException {
        JsonNode n = c.node("bos_token_id");
        return n == null ? OptionalInt.empty() : OptionalInt.of(tokenId(c, "bos_token_id", n, vocab));
    }

    /** {@code eos_token_id}: one id or a list; absent means none. */
    private static int[] eosTokenIds(ConfigFields c, int vocab) throws ModelConfigException {
        JsonNode n = c.node("eos_token_id");
        if (n == null) {
            return new int[0];
        }
        if (!n.isArray()) {
            return new int[] {tokenId(c, "eos_token_id", n, vocab)};
        }
        int[] ids = new int[n.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenId(c, "eos_token_id[" + i + "]", n.get(i), vocab);
        }
        return ids;
    }

    private static int tokenId(ConfigFields c, String field, JsonNode n, int vocab) throws ModelConfigException {
        int id = c.nonNegativeInt(field, n);
        if (id >= vocab) {
            throw c.error(field, id + " is outside the vocabulary [0, " + vocab + ")");
        }
        return id;
    }
}
