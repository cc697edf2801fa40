package dev.multiverse.contract;

import dev.multiverse.weights.ModelConfig;

/**
 * The weights of one decoder layer, by role. Matrices are {@code [out][in]} as stored by Hugging
 * Face; q/k/v carry biases, nothing else does. With d = hidden, qd = heads·headDim, kd =
 * kvHeads·headDim, m = intermediate:
 *
 * @param inputNorm [1][d]
 * @param q [qd][d], qBias [1][qd]
 * @param k [kd][d], kBias [1][kd]
 * @param v [kd][d], vBias [1][kd]
 * @param o [d][qd]
 * @param postAttentionNorm [1][d]
 * @param gate [m][d]
 * @param up [m][d]
 * @param down [d][m]
 */
public record LayerWeights(
        Matrix inputNorm,
        Matrix q, Matrix qBias,
        Matrix k, Matrix kBias,
        Matrix v, Matrix vBias,
        Matrix o,
        Matrix postAttentionNorm,
        Matrix gate, Matrix up, Matrix down) {

    /** Checks every shape against {@code config}; {@code layer} names the layer in the message. */
    void checkShapes(ModelConfig config, int layer) {
        int d = config.hiddenSize(), m = config.intermediateSize();
        int qd = config.numHeads() * config.headDim(), kd = config.numKvHeads() * config.headDim();
        String at = "layer " + layer + " ";
        Qwen2Weights.requireShape(inputNorm, 1, d, at + "input_layernorm");
        Qwen2Weights.requireShape(q, qd, d, at + "q_proj");
        Qwen2Weights.requireShape(qBias, 1, qd, at + "q_proj bias");
        Qwen2Weights.requireShape(k, kd, d, at + "k_proj");
        Qwen2Weights.requireShape(kBias, 1, kd, at + "k_proj bias");
        Qwen2Weights.requireShape(v, kd, d, at + "v_proj");
        Qwen2Weights.requireShape(vBias, 1, kd, at + "v_proj bias");
        Qwen2Weights.requireShape(o, d, qd, at + "o_proj");
        Qwen2Weights.requireShape(postAttentionNorm, 1, d, at + "post_attention_layernorm");
        Qwen2Weights.requireShape(gate, m, d, at + "gate_proj");
        Qwen2Weights.requireShape(up, m, d, at + "up_proj");
        Qwen2Weights.requireShape(down, d, m, at + "down_proj");
    }
}
