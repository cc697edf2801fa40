// y[r][o] = Σ_k x[r][k] · w[o][k] for the r < n ≤ GEMV_MAX_ROWS rows of a decode step: x, w bf16
// row-major ([n][in], [out][in]), y fp32 [n][out]. One warp per output o streams w's row once
// with 16-byte loads (8 bf16 at a time) and applies it to every batch row, whose x is small and
// stays in cache: at decode the step is bound by reading the weights, and this reads them closer
// to the memory bandwidth than a general GEMM does. Rows whose length is not a multiple of 8 take
// a plain element loop. Grid: ceil(out / warps per block) blocks.
#define GEMV_MAX_ROWS 8

// acc[r] += w · x[r] over one chunk of 8 elements (chunk c of every row), for the n rows.
__device__ __forceinline__ void gemv_chunk(uint4 wv, const bf16* x, int in, int n, int c, float* acc) {
    float wf[8];
    unpack_bf16x8(wv, wf);
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) {
        if (r >= n) break;
        float xf[8];
        unpack_bf16x8(__ldg((const uint4*) (x + (size_t) r * in) + c), xf);
#pragma unroll
        for (int j = 0; j < 8; j++) acc[r] += wf[j] * xf[j];
    }
}

extern "C" __global__ void gemv_bf16(const bf16* x, const bf16* w, float* y, int n, int in, int out) {
    int o = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (o >= out) return;
    const bf16* wo = w + (size_t) o * in;
    float acc[GEMV_MAX_ROWS];
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) acc[r] = 0.f;
    if ((in & 7) == 0) {
        // Four 16-byte weight loads in flight per lane before any is used, then the rest one by one.
        const uint4* w8 = (const uint4*) wo;
        int chunks = in >> 3, c = lane;
        for (; c + 96 < chunks; c += 128) {
            uint4 w0 = __ldg(&w8[c]), w1 = __ldg(&w8[c + 32]), w2 = __ldg(&w8[c + 64]), w3 = __ldg(&w8[c + 96]);
            gemv_chunk(w0, x, in, n, c, acc);
            gemv_chunk(w1, x, in, n, c + 32, acc);
            gemv_chunk(w2, x, in, n, c + 64, acc);
            gemv_chunk(w3, x, in, n, c + 96, acc);
        }
        for (; c < chunks; c += 32) gemv_chunk(__ldg(&w8[c]), x, in, n, c, acc);
    } else {
        for (int k = lane; k < in; k += 32) {
            float wk = bf16_to_float(wo[k]);
            for (int r = 0; r < n; r++) acc[r] += wk * bf16_to_float(x[(size_t) r * in + k]);
        }
    }
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) {
        if (r >= n) break;
        float s = warp_reduce(acc[r], Sum());
        if (lane == 0) y[(size_t) r * out + o] = s;
    }
}
