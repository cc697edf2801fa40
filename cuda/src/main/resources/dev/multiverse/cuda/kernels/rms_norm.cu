// The residual add fused with the RMSNorm that follows it. For output row i, with source row
// s = rows ? rows[i] : i (rows picks the rows whose logits are wanted):
//   x[s] += delta[s]                                   when delta is not null
//   out[i] = bf16( x[s] / sqrt(mean(x[s]²) + eps) · weight )
// x, delta: [*][hidden] fp32; weight: [hidden] fp32; out: [*][hidden] bf16 (the next GEMM's input).
// Grid: one block per output row.
extern "C" __global__ void add_rms_norm(float* x, const float* delta, const int* rows, const float* weight, bf16* out,
                                        int hidden, float eps) {
    follow_previous_kernel();
    __shared__ float scratch[32];
    size_t s = rows ? rows[blockIdx.x] : blockIdx.x;
    float* xs = x + s * hidden;
    float sumSquares = 0.f;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
        float v = xs[i];
        if (delta) xs[i] = v = v + delta[s * hidden + i];
        sumSquares += v * v;
    }
    float inv = rsqrtf(block_reduce(sumSquares, scratch, Sum(), 0.f) / hidden + eps);
    bf16* o = out + (size_t) blockIdx.x * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) o[i] = float_to_bf16(xs[i] * inv * weight[i]);
}
