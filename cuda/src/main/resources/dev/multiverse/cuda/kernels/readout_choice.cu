// The token-choice rule of TokenRule.java on the last row of each sequence, in double precision
// like ChoiceReference.java. With l the row's logits (fp32), C = choosable, B = banned, ρ the
// repetition penalty, T the temperature:
//   s_i = l_i for allowed i (i < C, i ∉ B), −∞ otherwise; then s_t = s_t/ρ if s_t > 0 else s_t·ρ for
//   every distinct token t of the sequence's context (its rows included).
//   Greedy: the allowed id of largest s, the lowest on ties.
//   Else p_i = exp((s_i − max s)/T); top-k keeps s_i ≥ the k-th largest allowed s (ties kept, exact
//   by radix select, any k); min-p keeps p_i ≥ m (max p is 1); top-p keeps p_i ≥ t for the largest
//   t whose mass {p ≥ t} reaches P·M (M the kept mass; exact t by radix descent on p's bits); the
//   draw is the first kept id, in id order, where the running sum of p exceeds u·S (S the kept
//   mass), the last kept id if rounding leaves none.
// The token goes to results[outStart]; GIVEN copies the given token, NONE writes −1.
// scratch: [sequences][vocab] double. Grid: one block per sequence; block: READOUT_THREADS.
#define READOUT_THREADS 1024

// Doubles as unsigned keys in the same order (negative: all bits flipped; positive: sign bit set).
__device__ __forceinline__ unsigned long long order_key(double x) {
    unsigned long long b = (unsigned long long) __double_as_longlong(x);
    return (b >> 63) ? ~b : b | 0x8000000000000000ull;
}

__device__ __forceinline__ double from_order_key(unsigned long long k) {
    return __longlong_as_double((long long) ((k >> 63) ? k & 0x7fffffffffffffffull : ~k));
}

// The k-th largest (1-based) of the finite s[0..n): 8 passes of an 8-bit radix histogram, most
// significant digit first, each narrowing to the bin that holds it.
__device__ double kth_largest_score(const double* s, int n, int k) {
    __shared__ unsigned int counts[256];
    __shared__ unsigned long long prefix;
    __shared__ int remaining;
    if (threadIdx.x == 0) { prefix = 0; remaining = k; }
    unsigned long long mask = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
        for (int b = threadIdx.x; b < 256; b += blockDim.x) counts[b] = 0;
        __syncthreads();
        unsigned long long want = prefix;
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            if (!(s[i] > DOUBLE_NEG_INF)) continue;
            unsigned long long key = order_key(s[i]);
            if ((key & mask) == want) atomicAdd(&counts[(key >> shift) & 255], 1u);
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            for (int b = 255; b >= 0; b--) {
                if (counts[b] >= (unsigned int) remaining) { prefix |= (unsigned long long) b << shift; break; }
                remaining -= counts[b];
            }
        }
        mask |= 255ull << shift;
        __syncthreads();
    }
    return from_order_key(prefix);
}

// The top-p threshold t over p[0..n) ≥ 0: the largest value t among the p > 0 with
// Σ_{p_j ≥ t} p_j ≥ target; radix descent over p's bits (non-negative doubles order as their
// bits), bins weighted by mass. If rounding leaves target unreached, the smallest p > 0.
__device__ double top_p_threshold(const double* p, int n, double target) {
    __shared__ double mass[256];
    __shared__ double above;
    __shared__ unsigned long long prefix;
    __shared__ int fallback;
    if (threadIdx.x == 0) { above = 0.0; prefix = 0; fallback = 0; }
    unsigned long long mask = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
        for (int b = threadIdx.x; b < 256; b += blockDim.x) mass[b] = 0.0;
        __syncthreads();
        unsigned long long want = prefix;
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            if (!(p[i] > 0.0)) continue;
            unsigned long long key = (unsigned long long) __double_as_longlong(p[i]);
            if ((key & mask) == want) atomicAdd(&mass[(key >> shift) & 255], p[i]);
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            int chosen = -1, lowest = -1;
            for (int b = 255; b >= 0; b--) {
                if (!(mass[b] > 0.0)) continue;
                lowest = b;
                if (!fallback && above + mass[b] >= target) { chosen = b; break; }
                above += mass[b];
            }
            if (chosen < 0) { chosen = lowest; fallback = 1; }
            prefix |= (unsigned long long) chosen << shift;
        }
        mask |= 255ull << shift;
        __syncthreads();
    }
    return __longlong_as_double((long long) prefix);
}

// The draw: the first i in id order with p_0 + … + p_i > u·Σp over the kept (p > 0) ids, the last
// kept id if none. Each thread sums a contiguous chunk; thread 0 walks the chunk sums, then the chunk.
__device__ int draw_in_id_order(const double* p, int n, double u, double* sums) {
    __shared__ int picked;
    int chunk = (n + blockDim.x - 1) / blockDim.x;
    int from = min(n, threadIdx.x * chunk), to = min(n, from + chunk);
    double own = 0.0;
    for (int i = from; i < to; i++) own += p[i];
    sums[threadIdx.x] = own;
    __syncthreads();
    if (threadIdx.x == 0) {
        double total = 0.0;
        for (int k = 0; k < blockDim.x; k++) total += sums[k];
        double target = u * total, running = 0.0;
        int pick = -1;
        for (int k = 0; k < blockDim.x && pick < 0; k++) {
            if (!(running + sums[k] > target)) { running += sums[k]; continue; }
            int last = -1;
            for (int i = k * chunk; i < min(n, (k + 1) * chunk); i++) {
                if (!(p[i] > 0.0)) continue;
                last = i;
                running += p[i];
                if (running > target) { pick = i; break; }
            }
            if (pick < 0) pick = last; // the chunk's sum passed the target but its walk, rounded differently, did not
        }
        for (int i = n - 1; pick < 0 && i >= 0; i--) if (p[i] > 0.0) pick = i;
        picked = pick;
    }
    __syncthreads();
    return picked;
}

__device__ __forceinline__ double penalized(double s, double rho) {
    return s > 0.0 ? s / rho : s * rho;
}

extern "C" __global__ void choose_tokens(const float* logits, int vocab, const SequenceMeta* seqs, const int* ids,
                                         const int* keyTokens, double* scratch, double* results) {
    follow_previous_kernel();
    __shared__ double scratchV[32];
    __shared__ int scratchId[32];
    __shared__ double sums[READOUT_THREADS];
    const SequenceMeta& m = seqs[blockIdx.x];
    double* out = results + m.outStart;
    if (m.kind != PICK_CHOSEN) {
        if (threadIdx.x == 0) out[0] = m.kind == PICK_GIVEN ? (double) m.token : -1.0;
        return;
    }
    const float* l = logits + (size_t) m.lastLogitRow * vocab;
    double* s = scratch + (size_t) blockIdx.x * vocab;
    int n = m.choosable;

    // Scores: allowed logits, the penalty over the context's tokens (a repeated token writes the same value), bans.
    for (int i = threadIdx.x; i < n; i += blockDim.x) s[i] = (double) l[i];
    __syncthreads();
    if (m.penalty != 1.0)
        for (int j = threadIdx.x; j < m.contextLength; j += blockDim.x) {
            int t = keyTokens[m.keyStart + j];
            if (t >= 0 && t < n) s[t] = penalized((double) l[t], m.penalty);
        }
    __syncthreads();
    for (int j = threadIdx.x; j < m.bannedCount; j += blockDim.x) {
        int b = ids[m.bannedStart + j];
        if (b < n) s[b] = DOUBLE_NEG_INF;
    }
    __syncthreads();

    // The largest score, the lowest id on ties, and how many ids are allowed.
    double best = DOUBLE_NEG_INF;
    int bestId = 0x7fffffff, allowed = 0;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        if (!(s[i] > DOUBLE_NEG_INF)) continue;
        allowed++;
        if (s[i] > best) { best = s[i]; bestId = i; } // ids rise along the thread's stride: ties keep the first
    }
    block_argmax(best, bestId, scratchV, scratchId);
    allowed = (int) block_sum_double((double) allowed, scratchV);
    if (m.greedy) {
        if (threadIdx.x == 0) out[0] = (double) bestId;
        return;
    }

    double kth = m.topK > 0 && m.topK < allowed ? kth_largest_score(s, n, m.topK) : DOUBLE_NEG_INF;
    __syncthreads();
    // p_i in place of s_i: 0 for what is not allowed or below the top-k edge, or (min-p) below m.
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        double si = s[i];
        double p = si > DOUBLE_NEG_INF && si >= kth ? exp((si - best) / m.temperature) : 0.0;
        s[i] = m.minP > 0.0 && p < m.minP ? 0.0 : p;
    }
    __syncthreads();
    if (m.topP < 1.0) {
        double kept = 0.0;
        for (int i = threadIdx.x; i < n; i += blockDim.x) kept += s[i];
        kept = block_sum_double(kept, scratchV);
        double t = top_p_threshold(s, n, m.topP * kept);
        for (int i = threadIdx.x; i < n; i += blockDim.x) if (s[i] < t) s[i] = 0.0;
        __syncthreads();
    }
    int token = draw_in_id_order(s, n, m.uniform, sums);
    if (threadIdx.x == 0) out[0] = (double) token;
}
