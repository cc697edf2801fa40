// What the host writes for each sequence of a step (StepLayout.java writes the same 128 bytes):
// where its context's key list is assembled, which logit rows are its own, and its readout.
// Ids (score ids, banned ids) live in the step's id list; results in the step's result list, as
// doubles at outStart: [token, log p(token), log p(score ids)…, top ids…, top log-probs…, row log-probs…].
#define PICK_NONE 0
#define PICK_GIVEN 1
#define PICK_CHOSEN 2

struct SequenceMeta {
    int segStart, segCount;           // its chain's segments (run handle, entries seen) in the segment list
    int keyStart, contextLength;      // its key list in keySlots/keyTokens: contextLength entries, its rows last
    int firstRow, rows;               // its rows among the step's
    int firstLogitRow, lastLogitRow;  // its logit rows (every row, or the last only)
    int kind;                         // PICK_*
    int token;                        // the given token (PICK_GIVEN)
    int greedy, topK, choosable;      // the rule (PICK_CHOSEN); choosable is the vocabulary otherwise
    int scoreStart, scoreCount;       // score ids in the id list
    int bannedStart, bannedCount;     // banned ids (sorted) in the id list
    int topN;                         // top-N wanted, already at most choosable
    int rowLogprobs;                  // row log-probs wanted: rows - 1, or 0
    int outStart;                     // its results in the result list
    double temperature, topP, minP, penalty, uniform;
    int pad[2];
};
static_assert(sizeof(SequenceMeta) == 128, "SequenceMeta is 32 words; StepLayout.java writes it");

#define DOUBLE_NAN __longlong_as_double(0x7ff8000000000000ULL)
#define DOUBLE_NEG_INF __longlong_as_double(0xfff0000000000000ULL)

// Block-wide reductions in double (blockDim.x a multiple of 32); scratch: 32 doubles of shared memory.
__device__ double block_sum_double(double v, double* scratch) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    __syncthreads();
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = lane < warps ? scratch[lane] : 0.0;
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

// The largest v over the block and, among equal largest, the lowest id (id = INT_MAX for none).
__device__ void block_argmax(double& v, int& id, double* scratchV, int* scratchId) {
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    for (int pass = 0; pass < 2; pass++) {
        for (int o = 16; o > 0; o >>= 1) {
            double ov = __shfl_xor_sync(0xffffffffu, v, o);
            int oid = __shfl_xor_sync(0xffffffffu, id, o);
            if (ov > v || (ov == v && oid < id)) { v = ov; id = oid; }
        }
        if (pass == 1) break;
        __syncthreads();
        if (lane == 0) { scratchV[warp] = v; scratchId[warp] = id; }
        __syncthreads();
        v = lane < warps ? scratchV[lane] : DOUBLE_NEG_INF;
        id = lane < warps ? scratchId[lane] : 0x7fffffff;
    }
}
