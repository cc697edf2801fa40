// Finishes the fused q|k|v projection of each row r: adds the biases, rotates q and k by RoPE at
// positions[r], keeps q (fp32) for attention and stores k and v (bf16) in the cache slot
// writeSlots[r]. Keys are stored after RoPE, so a slot keeps its position forever.
//
// qkv: [n][qDim + 2·kvDim] fp32 (q | k | v), bias: [qDim + 2·kvDim] fp32, qOut: [n][qDim] fp32,
// kCache, vCache: this layer's [slots][kvDim] bf16, with qDim = heads·headDim, kvDim = kvHeads·headDim.
// RoPE, Hugging Face's half split: in each head the pair (a, b) = (x_i, x_{i+headDim/2}) turns by
// angle = position · theta^(-2i/headDim) (in fp32, as the reference computes it):
//   a' = a·cos − b·sin,  b' = b·cos + a·sin.
// Grid: (n, heads + 2·kvHeads): one block per row and head of q, then of k, then of v.
extern "C" __global__ void qkv_bias_rope_store(const float* qkv, const float* bias, const int* positions,
                                               const int* writeSlots, float* qOut, bf16* kCache, bf16* vCache,
                                               int heads, int kvHeads, int headDim, float theta) {
    follow_previous_kernel();
    int r = blockIdx.x, unit = blockIdx.y, half = headDim / 2;
    int qDim = heads * headDim, kvDim = kvHeads * headDim;
    bool isQ = unit < heads, isK = !isQ && unit < heads + kvHeads, isV = !isQ && !isK;
    int col = isQ ? unit * headDim : isK ? qDim + (unit - heads) * headDim : qDim + kvDim + (unit - heads - kvHeads) * headDim;
    const float* row = qkv + (size_t) r * (qDim + 2 * kvDim);
    for (int i = threadIdx.x; i < half; i += blockDim.x) {
        float a = row[col + i] + bias[col + i];
        float b = row[col + i + half] + bias[col + i + half];
        if (!isV) {
            float invFreq = (float) (1.0 / (double) (float) pow((double) theta, (double) ((float) (2 * i) / headDim)));
            float angle = invFreq * (float) positions[r];
            float c = (float) cos((double) angle), s = (float) sin((double) angle);
            float ra = a * c - b * s, rb = b * c + a * s;
            a = ra;
            b = rb;
        }
        if (isQ) {
            float* q = qOut + (size_t) r * qDim + col;
            q[i] = a;
            q[i + half] = b;
        } else {
            bf16* cache = (isK ? kCache : vCache) + (size_t) writeSlots[r] * kvDim + (col - qDim - (isK ? 0 : kvDim));
            cache[i] = float_to_bf16(a);
            cache[i + half] = float_to_bf16(b);
        }
    }
}
