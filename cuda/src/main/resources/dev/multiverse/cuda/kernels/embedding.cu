// x[r][i] = embed[tokens[r]][i]: the residual stream starts as each token's embedding row, in fp32.
// Grid: one block per row.
extern "C" __global__ void embedding_gather(const bf16* embed, const int* tokens, float* x, int hidden) {
    follow_previous_kernel();
    const bf16* row = embed + (size_t) tokens[blockIdx.x] * hidden;
    float* out = x + (size_t) blockIdx.x * hidden;
    for (int i = threadIdx.x; i < hidden; i += blockDim.x) out[i] = bf16_to_float(row[i]);
}
