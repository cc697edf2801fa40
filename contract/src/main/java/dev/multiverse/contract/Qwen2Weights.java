package dev.multiverse.contract;

import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.Tensor;
import dev.multiverse.weights.WeightStore;
import dev.multiverse.weights.WeightsFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every weight of a Qwen2 model, resolved once by role; the forward pass never builds a tensor
 * name. The matrices view the mapped tensors in place.
 *
 * @param embedTokens [vocab][hidden]
 * @param layers one per decoder layer
 * @param finalNorm [1][hidden]
 * @param lmHead [vocab][hidden]; the same matrix as {@code embedTokens} when the embeddings are tied
 */
public record Qwen2Weights(ModelConfig config, Matrix embedTokens, List<LayerWeights> layers, Matrix finalNorm, Matrix lmHead) {

    /** Checks every shape against the config. */
    public Qwen2Weights {
        layers = List.copyOf(layers);
        if (layers.size() != config.numLayers())
            throw new IllegalArgumentException(layers.size() + " layers for a config of " + config.numLayers());
        requireShape(embedTokens, config.vocabSize(), config.hiddenSize(), "embed_tokens");
        requireShape(finalNorm, 1, config.hiddenSize(), "norm");
        requireShape(lmHead, config.vocabSize(), config.hiddenSize(), "lm_head");
        for (int l = 0; l < layers.size(); l++) layers.get(l).checkShapes(config, l);
    }

    /**
     * Resolves the Hugging Face tensor names of a Qwen2 checkpoint. lm_head is the embedding when
     * {@code tieWordEmbeddings} is set or {@code lm_head.weight} is absent.
     *
     * @throws WeightsFormatException naming the tensor that is missing, not F32/F16/BF16, or of the
     *     wrong shape
     */
    public static Qwen2Weights from(WeightStore store, ModelConfig config) throws WeightsFormatException {
        int d = config.hiddenSize(), m = config.intermediateSize();
        int qd = config.numHeads() * config.headDim(), kd = config.numKvHeads() * config.headDim();
        var names = new TensorNames(store);
        List<LayerWeights> layers = new ArrayList<>();
        for (int l = 0; l < config.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            layers.add(new LayerWeights(
                    names.vector(p + "input_layernorm.weight", d),
                    names.matrix(p + "self_attn.q_proj.weight", qd, d), names.vector(p + "self_attn.q_proj.bias", qd),
                    names.matrix(p + "self_attn.k_proj.weight", kd, d), names.vector(p + "self_attn.k_proj.bias", kd),
                    names.matrix(p + "self_attn.v_proj.weight", kd, d), names.vector(p + "self_attn.v_proj.bias", kd),
                    names.matrix(p + "self_attn.o_proj.weight", d, qd),
                    names.vector(p + "post_attention_layernorm.weight", d),
                    names.matrix(p + "mlp.gate_proj.weight", m, d),
                    names.matrix(p + "mlp.up_proj.weight", m, d),
                    names.matrix(p + "mlp.down_proj.weight", d, m)));
        }
        Matrix embed = names.matrix("model.embed_tokens.weight", config.vocabSize(), d);
        boolean tied = config.tieWordEmbeddings() || store.find("lm_head.weight").isEmpty();
        Matrix lmHead = tied ? embed : names.matrix("lm_head.weight", config.vocabSize(), d);
        return new Qwen2Weights(config, embed, layers, names.vector("model.norm.weight", d), lmHead);
    }

    /** Looks tensors up by name and views them as matrices of an expected shape. */
    private record TensorNames(WeightStore store) {
        Matrix matrix(String name, int rows, int cols) throws WeightsFormatException {
            return view(name, new long[] {rows, cols}, rows, cols);
        }

        Matrix vector(String name, int length) throws WeightsFormatException {
            return view(name, new long[] {length}, 1, length);
        }

        private Matrix view(String name, long[] shape, int rows, int cols) throws WeightsFormatException {
            Tensor t = store.tensor(name);
            if (!Arrays.equals(t.shape(), shape))
                throw new WeightsFormatException(store.directory(), name,
                        "shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape) + " from config.json");
            if (!t.dtype().isFloatReadable())
                throw new WeightsFormatException(store.directory(), name, "dtype " + t.dtype() + ", expected F32, F16 or BF16");
            return new Matrix(t.dtype(), t.data(), rows, cols);
        }
    }

    static void requireShape(Matrix m, int rows, int cols, String role) {
        if (m.rows() != rows || m.cols() != cols)
            throw new IllegalArgumentException(role + " is [" + m.rows() + "][" + m.cols() + "], expected [" + rows + "][" + cols + "]");
    }
}
