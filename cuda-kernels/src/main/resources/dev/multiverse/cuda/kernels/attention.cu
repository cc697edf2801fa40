// Multiverse attention over slot lists. Row r attends to the cached keys and values of the slots
// keySlots[keyStart[r] .. keyStart[r] + keyCount[r]): its sequence's context, then its own new
// slots up to itself. For query head h, with kv head g = h / (heads / kvHeads):
//   out[r][h] = Σ_j softmax_j( q[r][h] · k_j[g] / sqrt(headDim) ) · v_j[g]
// q: [rows][heads·headDim] fp32; kCache, vCache: this layer's [slots][kvHeads·headDim] bf16;
// out: [rows][heads·headDim] bf16. headDim ≤ 256.
// Grid: (rows, heads); block: a multiple of 32 threads (one warp per key at a time).
// Dynamic shared memory: (warps·headDim + keyCapacity) floats, keyCapacity ≥ every keyCount.
#define MAX_DIMS_PER_LANE 8

extern "C" __global__ void attention_over_slots(const float* q, const bf16* kCache, const bf16* vCache,
                                                const int* keySlots, const int* keyStart, const int* keyCount,
                                                bf16* out, int heads, int kvHeads, int headDim) {
    extern __shared__ float shared[];
    __shared__ float scratch[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    float* partial = shared;                  // [warps][headDim]
    float* scores = shared + warps * headDim; // [count]
    int r = blockIdx.x, h = blockIdx.y, kvDim = kvHeads * headDim;
    size_t kvOffset = (size_t) (h / (heads / kvHeads)) * headDim;
    const int* slots = keySlots + keyStart[r];
    int count = keyCount[r];

    // Lane l holds dims l, l + 32, ... of the query.
    float qr[MAX_DIMS_PER_LANE];
    const float* qh = q + ((size_t) r * heads + h) * headDim;
    float scale = rsqrtf((float) headDim);
#pragma unroll
    for (int i = 0; i < MAX_DIMS_PER_LANE; i++) qr[i] = lane + 32 * i < headDim ? qh[lane + 32 * i] * scale : 0.f;

    // Scores: warp w takes keys w, w + warps, ...
    for (int j = warp; j < count; j += warps) {
        const bf16* k = kCache + (size_t) slots[j] * kvDim + kvOffset;
        float s = 0.f;
#pragma unroll
        for (int i = 0; i < MAX_DIMS_PER_LANE; i++)
            if (lane + 32 * i < headDim) s += qr[i] * bf16_to_float(k[lane + 32 * i]);
        s = warp_reduce(s, Sum());
        if (lane == 0) scores[j] = s;
    }
    __syncthreads();

    // Softmax weights, unnormalised: exp(s_j − max).
    float m = NEG_INF;
    for (int j = threadIdx.x; j < count; j += blockDim.x) m = fmaxf(m, scores[j]);
    m = block_reduce(m, scratch, Max(), NEG_INF);
    float sum = 0.f;
    for (int j = threadIdx.x; j < count; j += blockDim.x) {
        float e = expf(scores[j] - m);
        scores[j] = e;
        sum += e;
    }
    sum = block_reduce(sum, scratch, Sum(), 0.f);

    // Values: warp w sums its keys into partial[w]; then the warps' partial sums are added.
    float acc[MAX_DIMS_PER_LANE];
#pragma unroll
    for (int i = 0; i < MAX_DIMS_PER_LANE; i++) acc[i] = 0.f;
    for (int j = warp; j < count; j += warps) {
        const bf16* v = vCache + (size_t) slots[j] * kvDim + kvOffset;
        float p = scores[j];
#pragma unroll
        for (int i = 0; i < MAX_DIMS_PER_LANE; i++)
            if (lane + 32 * i < headDim) acc[i] += p * bf16_to_float(v[lane + 32 * i]);
    }
#pragma unroll
    for (int i = 0; i < MAX_DIMS_PER_LANE; i++)
        if (lane + 32 * i < headDim) partial[warp * headDim + lane + 32 * i] = acc[i];
    __syncthreads();
    bf16* o = out + ((size_t) r * heads + h) * headDim;
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) {
        float total = 0.f;
        for (int w = 0; w < warps; w++) total += partial[w * headDim + d];
        o[d] = float_to_bf16(total / sum);
    }
}
