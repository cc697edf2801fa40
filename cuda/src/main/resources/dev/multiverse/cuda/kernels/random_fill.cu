// Deterministic pseudo-random values for benchmark weights: element e is
// center + scale · U(e), with U uniform in [−1, 1) from a SplitMix64 hash of (seed, e).
// Writes bf16 when asBf16 is set, fp32 otherwise. Grid-stride over count elements.
__device__ __forceinline__ unsigned long long splitmix64(unsigned long long z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

extern "C" __global__ void fill_uniform(void* out, long long count, unsigned long long seed, float center, float scale,
                                        int asBf16) {
    follow_previous_kernel();
    for (long long e = blockIdx.x * (long long) blockDim.x + threadIdx.x; e < count; e += (long long) gridDim.x * blockDim.x) {
        unsigned long long bits = splitmix64(seed * 0x2545f4914f6cdd1dull + (unsigned long long) e);
        float u = (float) (bits >> 40) * (2.f / 16777216.f) - 1.f;
        float v = center + scale * u;
        if (asBf16) ((bf16*) out)[e] = float_to_bf16(v);
        else ((float*) out)[e] = v;
    }
}
