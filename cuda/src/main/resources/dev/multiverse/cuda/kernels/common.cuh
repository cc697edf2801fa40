// Shared by every kernel: bf16 as raw bits (no CUDA headers needed under NVRTC) and reductions.
//
// bf16 is the top half of an IEEE-754 float: widening is a 16-bit shift, narrowing rounds to
// nearest, ties to even, and keeps NaN a NaN.
typedef unsigned short bf16;

#define NEG_INF __int_as_float(0xff800000)

__device__ __forceinline__ float bf16_to_float(bf16 b) {
    return __uint_as_float(((unsigned int) b) << 16);
}

__device__ __forceinline__ bf16 float_to_bf16(float f) {
    unsigned int u = __float_as_uint(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (bf16) ((u >> 16) | 0x40u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (bf16) (u >> 16);
}

// Eight bf16 packed in 16 bytes (one vector load), widened: element 2i is the low half of word i.
__device__ __forceinline__ void unpack_bf16x8(uint4 v, float* f) {
    unsigned int u[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
    for (int i = 0; i < 4; i++) {
        f[2 * i] = __uint_as_float(u[i] << 16);
        f[2 * i + 1] = __uint_as_float(u[i] & 0xffff0000u);
    }
}

// Programmatic dependent launch (Hopper and later): every kernel first lets the next one be
// launched (it is, once every block of this one has got here or ended), then waits until the one
// before it has finished and its writes are visible. The next kernel's blocks are thus already
// scheduled when this one ends, and the gap between kernels closes. Both are no-ops when the
// launch did not ask for it, and absent before sm_90.
__device__ __forceinline__ void follow_previous_kernel() {
#if __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
    asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

struct Sum { __device__ float operator()(float a, float b) const { return a + b; } };
struct Max { __device__ float operator()(float a, float b) const { return fmaxf(a, b); } };

template <typename Op>
__device__ __forceinline__ float warp_reduce(float v, Op op) {
    for (int offset = 16; offset > 0; offset >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, offset));
    return v;
}

// Reduces v over the whole block (blockDim.x a multiple of 32); every thread gets the result.
// scratch: 32 floats of shared memory, free to reuse once every thread has returned.
template <typename Op>
__device__ float block_reduce(float v, float* scratch, Op op, float identity) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warp_reduce(v, op);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : identity;
    return warp_reduce(v, op);
}
