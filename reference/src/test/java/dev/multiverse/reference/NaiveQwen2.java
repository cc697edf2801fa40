package dev.multiverse.reference;

import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.Tensor;
import dev.multiverse.weights.WeightStore;

/**
 * An independent Qwen2 in plain double-precision Java, written straight from the Hugging Face
 * modelling code and sharing nothing with the main implementation: weights are read one element
 * at a time through {@link Tensor#getFloat}, every sum is a double loop.
 */
final class NaiveQwen2 {
    private final ModelConfig c;
    private final WeightStore store;

    NaiveQwen2(ModelConfig config, WeightStore store) {
        this.c = config;
        this.store = store;
    }

    /** Logits [n][vocab] of tokens at positions, token i seeing tokens j ≤ i with visible[i][j]. */
    double[][] logits(int[] tokens, int[] positions, boolean[][] visible) throws Exception {
        int n = tokens.length, d = c.hiddenSize(), hd = c.headDim();
        double[][] x = new double[n][d];
        Tensor embed = store.tensor("model.embed_tokens.weight");
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = embed.getFloat((long) tokens[i] * d + j);
        for (int l = 0; l < c.numLayers(); l++) {
            String p = "model.layers." + l + ".";
            double[][] h = norm(x, p + "input_layernorm.weight");
            double[][] q = linear(h, p + "self_attn.q_proj.weight", p + "self_attn.q_proj.bias");
            double[][] k = linear(h, p + "self_attn.k_proj.weight", p + "self_attn.k_proj.bias");
            double[][] v = linear(h, p + "self_attn.v_proj.weight", p + "self_attn.v_proj.bias");
            rotate(q, positions, c.numHeads());
            rotate(k, positions, c.numKvHeads());
            double[][] att = new double[n][c.numHeads() * hd];
            for (int i = 0; i < n; i++) {
                for (int head = 0; head < c.numHeads(); head++) {
                    int kvHead = head / (c.numHeads() / c.numKvHeads());
                    double[] w = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= i; j++) {
                        if (!visible[i][j]) continue;
                        double s = 0;
                        for (int e = 0; e < hd; e++) s += q[i][head * hd + e] * k[j][kvHead * hd + e];
                        w[j] = s / Math.sqrt(hd);
                        max = Math.max(max, w[j]);
                    }
                    double z = 0;
                    for (int j = 0; j <= i; j++) if (visible[i][j]) z += w[j] = Math.exp(w[j] - max);
                    for (int j = 0; j <= i; j++) {
                        if (!visible[i][j]) continue;
                        for (int e = 0; e < hd; e++) att[i][head * hd + e] += w[j] / z * v[j][kvHead * hd + e];
                    }
                }
            }
            addInto(x, linear(att, p + "self_attn.o_proj.weight", null));
            double[][] h2 = norm(x, p + "post_attention_layernorm.weight");
            double[][] gate = linear(h2, p + "mlp.gate_proj.weight", null);
            double[][] up = linear(h2, p + "mlp.up_proj.weight", null);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < gate[i].length; j++) gate[i][j] = gate[i][j] / (1 + Math.exp(-gate[i][j])) * up[i][j];
            addInto(x, linear(gate, p + "mlp.down_proj.weight", null));
        }
        String head = store.find("lm_head.weight").isPresent() && !c.tieWordEmbeddings()
                ? "lm_head.weight" : "model.embed_tokens.weight";
        return linear(norm(x, "model.norm.weight"), head, null);
    }

    private double[][] norm(double[][] x, String weight) throws Exception {
        Tensor w = store.tensor(weight);
        double[][] out = new double[x.length][x[0].length];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double e : x[i]) ms += e * e;
            double scale = 1 / Math.sqrt(ms / x[i].length + c.rmsNormEps());
            for (int j = 0; j < x[i].length; j++) out[i][j] = w.getFloat(j) * x[i][j] * scale;
        }
        return out;
    }

    /** y = x Wᵀ + b, W stored [out][in]. */
    private double[][] linear(double[][] x, String weight, String bias) throws Exception {
        Tensor w = store.tensor(weight);
        int out = (int) w.shape()[0], in = (int) w.shape()[1];
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : store.tensor(bias).getFloat(o);
                for (int j = 0; j < in; j++) s += w.getFloat((long) o * in + j) * x[i][j];
                y[i][o] = s;
            }
        }
        return y;
    }

    /** q·cos + rotate_half(q)·sin with rotate_half(x) = (-x2, x1), per head. */
    private void rotate(double[][] x, int[] positions, int heads) {
        int hd = c.headDim(), half = hd / 2;
        for (int i = 0; i < x.length; i++) {
            for (int h = 0; h < heads; h++) {
                double[] orig = java.util.Arrays.copyOfRange(x[i], h * hd, h * hd + hd);
                for (int e = 0; e < hd; e++) {
                    double angle = positions[i] * Math.pow(c.ropeTheta(), -2.0 * (e % half) / hd);
                    double rotated = e < half ? -orig[e + half] : orig[e - half];
                    x[i][h * hd + e] = orig[e] * Math.cos(angle) + rotated * Math.sin(angle);
                }
            }
        }
    }

    private static void addInto(double[][] x, double[][] delta) {
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[i].length; j++) x[i][j] += delta[i][j];
    }
}
