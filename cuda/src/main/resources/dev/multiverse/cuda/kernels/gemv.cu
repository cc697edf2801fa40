// y[r][o] = Σ_k x[r][k] · w[o][k] for the r < n ≤ GEMV_MAX_ROWS rows of a decode step: x, w bf16
// row-major ([n][in], [out][in]), y fp32 [n][out]. Each output o is computed by splitK warps of
// one block, each streaming its share of w's row once with 16-byte loads (8 bf16 at a time) and
// applying it to every batch row, whose x is small and stays in cache; the warps' sums meet in
// shared memory. At decode the step is bound by reading the weights, and this reads them closer
// to the memory bandwidth than a general GEMM does; splitK > 1 keeps every SM busy when out is
// small. Rows whose length is not a multiple of 8 take a plain element loop.
// Grid: ceil(out / (warps per block / splitK)) blocks; block: a multiple of 32·splitK threads, ≤ 1024.
#define GEMV_MAX_ROWS 8

extern "C" __global__ void gemv_bf16(const bf16* x, const bf16* w, float* y, int n, int in, int out, int splitK) {
    follow_previous_kernel();
    __shared__ float partial[32][GEMV_MAX_ROWS];
    int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    int o = blockIdx.x * ((blockDim.x >> 5) / splitK) + warp / splitK, part = warp % splitK;
    bool active = o < out;
    float acc[GEMV_MAX_ROWS];
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) acc[r] = 0.f;
    if (active && (in & 7) == 0) {
        const uint4* w8 = (const uint4*) (w + (size_t) o * in);
        int chunks = in >> 3, share = (chunks + splitK - 1) / splitK;
        int from = part * share, to = min(chunks, from + share);
#pragma unroll 4
        for (int c = from + lane; c < to; c += 32) {
            float wf[8];
            unpack_bf16x8(__ldg(&w8[c]), wf);
#pragma unroll
            for (int r = 0; r < GEMV_MAX_ROWS; r++) {
                if (r >= n) break;
                float xf[8];
                unpack_bf16x8(__ldg((const uint4*) (x + (size_t) r * in) + c), xf);
#pragma unroll
                for (int j = 0; j < 8; j++) acc[r] += wf[j] * xf[j];
            }
        }
    } else if (active) {
        const bf16* wo = w + (size_t) o * in;
        int share = (in + splitK - 1) / splitK, from = part * share, to = min(in, from + share);
        for (int k = from + lane; k < to; k += 32) {
            float wk = bf16_to_float(wo[k]);
            for (int r = 0; r < n; r++) acc[r] += wk * bf16_to_float(x[(size_t) r * in + k]);
        }
    }
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) {
        if (r >= n) break;
        float s = warp_reduce(acc[r], Sum());
        if (lane == 0) partial[warp][r] = s;
    }
    __syncthreads();
    if (active && part == 0 && lane < n) {
        float s = 0.f;
        for (int p = 0; p < splitK; p++) s += partial[warp + p][lane];
        y[(size_t) lane * out + o] = s;
    }
}
