// Log-probabilities under the RAW logits (no rule applies to them): for each logit row i,
//   lse[i] = max_j l_ij + log Σ_j exp(l_ij − max)     (the subtraction in fp32, the sum in double,
//                                                      as LogProbs.java computes it)
// and log p(t | row i) = l_it − lse[i].
// Grid: one block per logit row.
extern "C" __global__ void log_sum_exp_rows(const float* logits, int vocab, double* lse) {
    follow_previous_kernel();
    __shared__ float scratch[32];
    __shared__ double scratchD[32];
    const float* l = logits + (size_t) blockIdx.x * vocab;
    float m = NEG_INF;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) m = fmaxf(m, l[i]);
    m = block_reduce(m, scratch, Max(), NEG_INF);
    double sum = 0.0;
    for (int i = threadIdx.x; i < vocab; i += blockDim.x) sum += exp((double) (l[i] - m));
    sum = block_sum_double(sum, scratchD);
    if (threadIdx.x == 0) lse[blockIdx.x] = (double) m + log(sum);
}

// The rest of each sequence's readout, after choose_tokens wrote its token to out[0]:
//   out[1]                      log p(token | last row), NaN without a token
//   out[2 ..+scoreCount]        log p(score id | last row)
//   then topN ids, then their log-probs: the topN ids < choosable of largest logit, the lowest id
//                               first on ties (pass n takes the largest after pass n−1's in that order)
//   then rowLogprobs values:    log p(token of row r+1 | row r) for r < rows − 1
// Grid: one block per sequence.
extern "C" __global__ void readout_logprobs(const float* logits, int vocab, const double* lse, const SequenceMeta* seqs,
                                            const int* ids, const int* rowTokens, double* results) {
    follow_previous_kernel();
    __shared__ double scratchV[32];
    __shared__ int scratchId[32];
    const SequenceMeta& m = seqs[blockIdx.x];
    double* out = results + m.outStart;
    const float* l = logits + (size_t) m.lastLogitRow * vocab;
    double z = lse[m.lastLogitRow];
    if (threadIdx.x == 0) {
        int token = (int) out[0];
        out[1] = token >= 0 ? (double) l[token] - z : DOUBLE_NAN;
    }
    for (int j = threadIdx.x; j < m.scoreCount; j += blockDim.x) out[2 + j] = (double) l[ids[m.scoreStart + j]] - z;
    double* topIds = out + 2 + m.scoreCount;
    double* topLogprobs = topIds + m.topN;
    float previous = __int_as_float(0x7f800000);
    int previousId = -1;
    for (int k = 0; k < m.topN; k++) {
        double best = DOUBLE_NEG_INF;
        int bestId = 0x7fffffff;
        for (int i = threadIdx.x; i < m.choosable; i += blockDim.x) {
            float v = l[i];
            bool after = v < previous || (v == previous && i > previousId);
            if (after && ((double) v > best || bestId == 0x7fffffff)) { best = v; bestId = i; }
        }
        block_argmax(best, bestId, scratchV, scratchId);
        previous = l[bestId];
        previousId = bestId;
        if (threadIdx.x == 0) {
            topIds[k] = (double) bestId;
            topLogprobs[k] = (double) previous - z;
        }
    }
    double* rowOut = topLogprobs + m.topN;
    for (int r = threadIdx.x; r < m.rowLogprobs; r += blockDim.x) {
        int row = m.firstLogitRow + r;
        rowOut[r] = (double) logits[(size_t) row * vocab + rowTokens[m.firstRow + r + 1]] - lse[row];
    }
}
