// The slot runs on the device. A run is a list of pages of RUN_PAGE entries in the arena
// (arenaSlots, arenaTokens: [pages·RUN_PAGE] int); pageTable[handle·pagesPerRun + k] is the
// arena page of entry k·RUN_PAGE.. of the run with that handle. Entry e of a run lives at
//   arena index = pageTable[handle·pagesPerRun + e / RUN_PAGE] · RUN_PAGE + e % RUN_PAGE.
#define RUN_PAGE 256

// The step's new entries and new pages, staged by the host: entries [count][3] = (arena index,
// slot, token); pageWrites [pageCount][2] = (page-table index, page). Grid-stride, any grid.
extern "C" __global__ void scatter_run_writes(const int* entries, int count, const int* pageWrites, int pageCount,
                                              int* arenaSlots, int* arenaTokens, int* pageTable) {
    follow_previous_kernel();
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < count + pageCount; i += gridDim.x * blockDim.x) {
        if (i < count) {
            const int* e = entries + 3 * i;
            arenaSlots[e[0]] = e[1];
            arenaTokens[e[0]] = e[2];
        } else {
            const int* w = pageWrites + 2 * (i - count);
            pageTable[w[0]] = w[1];
        }
    }
}

// Every sequence's key list, assembled from its chain's segments: segments[2·g] = run handle,
// segments[2·g + 1] = how many of its entries the sequence sees. For sequence s, in chain order:
//   keySlots[keyStart + o + e] = arenaSlots[index(handle, e)], keyTokens[...] = arenaTokens[...]
// with o the entries of the segments before. The rows of a sequence read prefixes of this one list.
// Grid: (sequences, any); block: any multiple of 32.
extern "C" __global__ void gather_key_lists(const SequenceMeta* seqs, const int* segments, const int* pageTable,
                                            int pagesPerRun, const int* arenaSlots, const int* arenaTokens,
                                            int* keySlots, int* keyTokens) {
    follow_previous_kernel();
    SequenceMeta m = seqs[blockIdx.x];
    int at = m.keyStart;
    for (int g = m.segStart; g < m.segStart + m.segCount; g++) {
        int handle = segments[2 * g], count = segments[2 * g + 1];
        const int* pages = pageTable + (size_t) handle * pagesPerRun;
        for (int e = blockIdx.y * blockDim.x + threadIdx.x; e < count; e += gridDim.y * blockDim.x) {
            int index = pages[e / RUN_PAGE] * RUN_PAGE + e % RUN_PAGE;
            keySlots[at + e] = arenaSlots[index];
            keyTokens[at + e] = arenaTokens[index];
        }
        at += count;
    }
}
