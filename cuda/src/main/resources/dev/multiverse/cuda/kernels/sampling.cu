// Picks the next token of each row from its logits, on the device.
//   temperature[r] ≤ 0: the argmax (the lowest id among equal maxima).
//   otherwise: p = softmax(logits / temperature); the nucleus is {i : p_i ≥ t} for the largest t
//   whose nucleus holds at least topP[r] of the mass (the most likely tokens, as few as reach topP);
//   the token is the first id, in id order over the nucleus, where the running sum of p passes
//   uniform[r] · (mass of the nucleus).
// logits: [rows][vocab] fp32; probs: [rows][vocab] fp32 scratch; out: [rows] int.
// Grid: one block per row; block: 1024 threads.
#define SAMPLE_THREADS 1024
#define THRESHOLD_STEPS 40

__device__ float nucleus_mass(const float* p, int vocab, float t, float* scratch) {
    float mass = 0.f;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) if (p[i] >= t) mass += p[i];
    return block_reduce(mass, scratch, Sum(), 0.f);
}

extern "C" __global__ void sample_tokens(const float* logits, float* probs, int vocab, const float* temperature,
                                         const float* topP, const float* uniform, int* out) {
    follow_previous_kernel();
    __shared__ float scratch[32];
    __shared__ float best[SAMPLE_THREADS];
    __shared__ int bestId[SAMPLE_THREADS];
    int r = blockIdx.x;
    const float* l = logits + (size_t) r * vocab;
    float* p = probs + (size_t) r * vocab;

    // Argmax, lowest id first among ties: each thread scans ids in increasing order.
    float m = NEG_INF;
    int id = vocab;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) if (l[i] > m) { m = l[i]; id = i; }
    best[threadIdx.x] = m;
    bestId[threadIdx.x] = id;
    __syncthreads();
    for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) {
            float om = best[threadIdx.x + stride];
            int oid = bestId[threadIdx.x + stride];
            if (om > best[threadIdx.x] || (om == best[threadIdx.x] && oid < bestId[threadIdx.x])) {
                best[threadIdx.x] = om;
                bestId[threadIdx.x] = oid;
            }
        }
        __syncthreads();
    }
    float maxLogit = best[0];
    int argmax = bestId[0];
    float T = temperature[r];
    if (!(T > 0.f)) {
        if (threadIdx.x == 0) out[r] = argmax;
        return;
    }

    // Probabilities.
    float z = 0.f;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) {
        float e = expf((l[i] - maxLogit) / T);
        p[i] = e;
        z += e;
    }
    z = block_reduce(z, scratch, Sum(), 0.f);
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) p[i] /= z;
    __syncthreads();

    // The threshold t: mass(t) = Σ_{p_i ≥ t} p_i falls as t rises; find the largest t with mass ≥ topP.
    float lo = 0.f, hi = p[argmax];
    float want = topP[r];
    if (want < 1.f) {
        if (nucleus_mass(p, vocab, hi, scratch) >= want) lo = hi;
        else for (int step = 0; step < THRESHOLD_STEPS; step++) {
            float mid = 0.5f * (lo + hi);
            if (nucleus_mass(p, vocab, mid, scratch) >= want) lo = mid; else hi = mid;
        }
    }
    float t = lo;

    // Running sum in id order: thread k owns the contiguous ids [k·chunk, (k+1)·chunk).
    int chunk = (vocab + blockDim.x - 1) / blockDim.x;
    int from = threadIdx.x * chunk, to = min(vocab, from + chunk);
    float own = 0.f;
    for (int i = from; i < to; i++) if (p[i] >= t) own += p[i];
    best[threadIdx.x] = own;
    __syncthreads();
    if (threadIdx.x == 0) {
        float total = 0.f;
        for (int k = 0; k < blockDim.x; k++) total += best[k];
        float target = uniform[r] * total, running = 0.f;
        int pick = -1, last = argmax;
        for (int k = 0; k < blockDim.x && pick < 0; k++) {
            if (best[k] == 0.f) continue;
            if (running + best[k] < target) { running += best[k]; continue; }
            for (int i = k * chunk; i < min(vocab, (k + 1) * chunk); i++) {
                if (p[i] < t) continue;
                last = i;
                running += p[i];
                if (running >= target) { pick = i; break; }
            }
        }
        out[r] = pick >= 0 ? pick : last;
    }
}
