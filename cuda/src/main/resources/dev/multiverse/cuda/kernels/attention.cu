// Multiverse attention over slot lists. Row r attends to the cached keys and values of the slots
// keySlots[keyStart[r] .. keyStart[r] + keyCount[r]): its sequence's context, then its own new
// slots up to itself. For query head h, with kv head g = h / (heads / kvHeads):
//   out[r][h] = Σ_j softmax_j( q[r][h] · k_j[g] / sqrt(headDim) ) · v_j[g]
// q: [rows][heads·headDim] fp32; kCache, vCache: this layer's [slots][kvHeads·headDim] bf16;
// out: [rows][heads·headDim] bf16. headDim ≤ 256.
// Grid: (rows, heads); block: a multiple of 32 threads. Scores: one thread per key (a key's row in
// 16-byte loads when headDim is a multiple of 8), so many keys' loads are in flight at once;
// values: one warp per key, lanes across the dims, the warps' sums added at the end.
// Dynamic shared memory: ((1 + warps)·headDim + keyCapacity) floats, keyCapacity ≥ every keyCount.
#define MAX_DIMS_PER_LANE 8

extern "C" __global__ void attention_over_slots(const float* q, const bf16* kCache, const bf16* vCache,
                                                const int* keySlots, const int* keyStart, const int* keyCount,
                                                bf16* out, int heads, int kvHeads, int headDim) {
    follow_previous_kernel();
    extern __shared__ float shared[];
    __shared__ float scratch[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    float* qs = shared;                        // [headDim]: q / sqrt(headDim)
    float* partial = shared + headDim;         // [warps][headDim]
    float* scores = partial + warps * headDim; // [count]
    int r = blockIdx.x, h = blockIdx.y, kvDim = kvHeads * headDim;
    size_t kvOffset = (size_t) (h / (heads / kvHeads)) * headDim;
    const int* slots = keySlots + keyStart[r];
    int count = keyCount[r];

    const float* qh = q + ((size_t) r * heads + h) * headDim;
    float scale = rsqrtf((float) headDim);
    for (int d = threadIdx.x; d < headDim; d += blockDim.x) qs[d] = qh[d] * scale;
    __syncthreads();

    // Scores: thread t takes keys t, t + blockDim, ...
    for (int j = threadIdx.x; j < count; j += blockDim.x) {
        const bf16* k = kCache + (size_t) slots[j] * kvDim + kvOffset;
        float s = 0.f;
        if ((headDim & 7) == 0) {
            const uint4* k8 = (const uint4*) k;
#pragma unroll 4
            for (int c = 0; c < headDim / 8; c++) {
                float kf[8];
                unpack_bf16x8(k8[c], kf);
#pragma unroll
                for (int i = 0; i < 8; i++) s += qs[8 * c + i] * kf[i];
            }
        } else {
            for (int d = 0; d < headDim; d++) s += qs[d] * bf16_to_float(k[d]);
        }
        scores[j] = s;
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
#pragma unroll 4
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
