// The gated MLP's middle: out[r][i] = bf16( silu(g) · u ) with g = gateUp[r][i], u = gateUp[r][m + i],
// silu(g) = g / (1 + e^−g). gateUp: [n][2m] fp32 (gate | up, one fused GEMM); out: [n][m] bf16.
// Grid-stride over the n·m outputs.
extern "C" __global__ void silu_mul(const float* gateUp, bf16* out, int n, int m) {
    follow_previous_kernel();
    for (size_t e = blockIdx.x * (size_t) blockDim.x + threadIdx.x; e < (size_t) n * m; e += (size_t) gridDim.x * blockDim.x) {
        size_t r = e / m, i = e % m;
        float g = gateUp[r * 2 * m + i], u = gateUp[r * 2 * m + m + i];
        out[e] = float_to_bf16(g / (1.f + expf(-g)) * u);
    }
}
