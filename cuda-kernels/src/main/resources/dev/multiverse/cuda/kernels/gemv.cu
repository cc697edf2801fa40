// y[r][o] = Σ_k x[r][k] · w[o][k] for the r < n ≤ GEMV_MAX_ROWS rows of a decode step: x, w bf16
// row-major ([n][in], [out][in]), y fp32 [n][out]. One warp per output o streams w's row once
// with 16-byte loads (8 bf16 at a time) and applies it to every batch row, whose x is small and
// stays in cache: at decode the step is bound by reading the weights, and this reads them closer
// to the memory bandwidth than a general GEMM does. Rows whose length is not a multiple of 8 take
// a plain element loop. Grid: ceil(out / warps per block) blocks.
#define GEMV_MAX_ROWS 8

extern "C" __global__ void gemv_bf16(const bf16* x, const bf16* w, float* y, int n, int in, int out) {
    int o = (blockIdx.x * blockDim.x + threadIdx.x) >> 5, lane = threadIdx.x & 31;
    if (o >= out) return;
    const bf16* wo = w + (size_t) o * in;
    float acc[GEMV_MAX_ROWS];
#pragma unroll
    for (int r = 0; r < GEMV_MAX_ROWS; r++) acc[r] = 0.f;
    if ((in & 7) == 0) {
        const uint4* w8 = (const uint4*) wo;
        int chunks = in >> 3;
#pragma unroll 4
        for (int c = lane; c < chunks; c += 32) {
            float wf[8];
            unpack_bf16x8(__ldg(&w8[c]), wf);
#pragma unroll
            for (int r = 0; r < GEMV_MAX_ROWS; r++) {
                if (r >= n) break;
                float xf[8];
                unpack_bf16x8(((const uint4*) (x + (size_t) r * in))[c], xf);
#pragma unroll
                for (int j = 0; j < 8; j++) acc[r] += wf[j] * xf[j];
            }
        }
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
