package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaDriver;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The model's kernels, compiled from the {@code .cu} resources for this device, with one typed
 * launcher each. Every launcher queues its work on the device's stream and returns at once.
 * Pointers are device addresses; a null pointer is {@code 0}. The math of each kernel is stated in
 * its source file.
 */
public final class GpuKernels implements AutoCloseable {
    /** The source files, in the order they are compiled as one program. */
    static final List<String> SOURCES = List.of("common.cuh", "embedding.cu", "rms_norm.cu", "qkv_rope.cu",
            "attention.cu", "silu_mul.cu", "step_meta.cuh", "run_arena.cu", "readout_choice.cu", "readout_logprobs.cu",
            "random_fill.cu", "gemv.cu");
    /** The most rows {@link #gemv} takes (GEMV_MAX_ROWS in gemv.cu). */
    public static final int GEMV_MAX_ROWS = 8;
    private static final int ATTENTION_THREADS = 256, READOUT_THREADS = 1024, GATHER_THREADS = 256,
            GATHER_BLOCKS_PER_SEQUENCE = 8;

    private final CudaDevice device;
    private final CudaDriver cuda;
    /**
     * Holds the reused launch arguments and config. Shared, not confined: a backend is opened on
     * one thread (the command's) and stepped on another (the server's engine thread); a confined
     * arena made every launch there throw WrongThreadException, and every request answer 500.
     */
    private final Arena arena = Arena.ofShared();
    private final LaunchArgs args = new LaunchArgs(arena);
    private final long embeddingGather, addRmsNorm, qkvBiasRopeStore, attention, siluMul, fillUniform, gemv, scatterRunWrites,
            gatherKeyLists, logSumExpRows, chooseTokens, readoutLogprobs;
    private int attentionSharedLimit = 48 * 1024;
    private KernelProfile profile;
    private final LaunchConfig dependentLaunch;
    private boolean programmaticLaunch;

    /** Compiles (or loads from the disk cache) and loads the kernels on {@code device}. */
    public GpuKernels(CudaDevice device) {
        this.device = device;
        this.cuda = device.driver();
        this.dependentLaunch = new LaunchConfig(arena, device.stream());
        programmaticLaunch(!"0".equals(System.getenv("MULTIVERSE_CUDA_PDL")));
        byte[] cubin = KernelCompiler.cubin(KernelCompiler.source(SOURCES), device.architecture());
        MemorySegment image = arena.allocate(cubin.length + 1L);
        image.copyFrom(MemorySegment.ofArray(cubin));
        long module = cuda.loadModule(image);
        embeddingGather = cuda.function(module, "embedding_gather");
        addRmsNorm = cuda.function(module, "add_rms_norm");
        qkvBiasRopeStore = cuda.function(module, "qkv_bias_rope_store");
        attention = cuda.function(module, "attention_over_slots");
        siluMul = cuda.function(module, "silu_mul");
        scatterRunWrites = cuda.function(module, "scatter_run_writes");
        gatherKeyLists = cuda.function(module, "gather_key_lists");
        logSumExpRows = cuda.function(module, "log_sum_exp_rows");
        chooseTokens = cuda.function(module, "choose_tokens");
        readoutLogprobs = cuda.function(module, "readout_logprobs");
        fillUniform = cuda.function(module, "fill_uniform");
        gemv = cuda.function(module, "gemv_bf16");
    }

    private void launch(String name, long function, int gridX, int gridY, int block, int shared, Object... values) {
        MemorySegment params = args.of(values);
        Runnable go = programmaticLaunch
                ? () -> cuda.launch(name, function, dependentLaunch.of(gridX, gridY, block, shared), params)
                : () -> cuda.launch(name, function, gridX, gridY, 1, block, shared, device.stream(), params);
        if (profile == null) go.run();
        else profile.time(name, go);
    }

    /** Runs {@code work} under {@code name} in the profile, if one is being taken (for work that is not a kernel of ours). */
    void timed(String name, Runnable work) {
        if (profile == null) work.run();
        else profile.time(name, work);
    }

    /**
     * Whether kernels are launched with programmatic dependent launch (on by default from sm_90,
     * off with {@code MULTIVERSE_CUDA_PDL=0}): each may start before the one ahead of it ends.
     * Devices before sm_90 never use it.
     */
    void programmaticLaunch(boolean on) {
        programmaticLaunch = on && device.computeCapabilityMajor() >= 9;
    }

    /** Starts timing every launch (eager steps only: events cannot be read inside a captured graph). */
    void startProfile() {
        profile = new KernelProfile(cuda, device.stream());
    }

    /** Device milliseconds and launches per kernel since {@link #startProfile()}; stops timing. */
    java.util.Map<String, KernelProfile.Total> stopProfile() {
        var totals = profile.totals();
        profile = null;
        return totals;
    }

    private static int threadsFor(int width) {
        return Math.clamp((width + 31) / 32 * 32, 32, 1024);
    }

    private static int gridStrideBlocks(long elements, int threads) {
        return (int) Math.clamp((elements + threads - 1) / threads, 1, 65_536);
    }

    /** x[r] = embed[tokens[r]] for r &lt; n: embed [vocab][hidden] bf16, x [n][hidden] fp32. */
    public void embeddingGather(long embed, long tokens, long x, int n, int hidden) {
        launch("embedding_gather", embeddingGather, n, 1, threadsFor(hidden / 4), 0, embed, tokens, x, hidden);
    }

    /** For outRows rows: x[s] += delta[s] (delta may be 0), out[i] = bf16(rmsnorm(x[s]) · weight), s = rows[i] or i. */
    public void addRmsNorm(long x, long delta, long rows, long weight, long out, int outRows, int hidden, float eps) {
        launch("add_rms_norm", addRmsNorm, outRows, 1, threadsFor(hidden / 4), 0, x, delta, rows, weight, out, hidden, eps);
    }

    /** Bias, RoPE and the K/V store of n rows of a fused q|k|v product; see qkv_rope.cu. */
    public void qkvBiasRopeStore(long qkv, long bias, long positions, long writeSlots, long qOut, long kCache, long vCache,
                                 int n, int heads, int kvHeads, int headDim, float theta) {
        launch("qkv_bias_rope_store", qkvBiasRopeStore, n, heads + 2 * kvHeads, threadsFor(headDim / 2), 0,
                qkv, bias, positions, writeSlots, qOut, kCache, vCache, heads, kvHeads, headDim, theta);
    }

    /**
     * Attention of n rows over their slot lists; {@code keyCapacity} bounds every row's key count
     * (it sizes the shared memory, so a captured graph stays valid for any shorter lists).
     */
    public void attention(long q, long kCache, long vCache, long keySlots, long keyStart, long keyCount, long out, int n,
                          int heads, int kvHeads, int headDim, int keyCapacity) {
        if (headDim > 256) throw new IllegalArgumentException("attention supports headDim ≤ 256, got " + headDim);
        int shared = Float.BYTES * ((1 + ATTENTION_THREADS / 32) * headDim + keyCapacity);
        if (shared > device.maxSharedPerBlock())
            throw new IllegalArgumentException(keyCapacity + " keys need " + shared + " bytes of shared memory; the device allows "
                    + device.maxSharedPerBlock());
        if (shared > attentionSharedLimit) {
            cuda.setMaxDynamicSharedMemory(attention, shared);
            attentionSharedLimit = shared;
        }
        launch("attention_over_slots", attention, n, heads, ATTENTION_THREADS, shared,
                q, kCache, vCache, keySlots, keyStart, keyCount, out, heads, kvHeads, headDim);
    }

    /** out[r][i] = bf16(silu(gateUp[r][i]) · gateUp[r][m + i]) for n rows. */
    public void siluMul(long gateUp, long out, int n, int m) {
        launch("silu_mul", siluMul, gridStrideBlocks((long) n * m, 256), 1, 256, 0, gateUp, out, n, m);
    }

    /**
     * The staged run writes into the arena: {@code entries} [count][3] (arena index, slot, token)
     * and {@code pageWrites} [pageCount][2] (table index, page); see run_arena.cu.
     */
    public void scatterRunWrites(long entries, int count, long pageWrites, int pageCount, long arenaSlots, long arenaTokens,
                                 long pageTable) {
        if (count + pageCount == 0) return;
        launch("scatter_run_writes", scatterRunWrites, gridStrideBlocks(count + pageCount, 256), 1, 256, 0, entries, count,
                pageWrites, pageCount, arenaSlots, arenaTokens, pageTable);
    }

    /** Each of {@code sequences} sequences' key slots and tokens from its chain's run segments; see run_arena.cu. */
    public void gatherKeyLists(long sequenceRecords, int sequences, long segments, long pageTable, int pagesPerRun,
                               long arenaSlots, long arenaTokens, long keySlots, long keyTokens) {
        launch("gather_key_lists", gatherKeyLists, sequences, GATHER_BLOCKS_PER_SEQUENCE, GATHER_THREADS, 0, sequenceRecords,
                segments, pageTable, pagesPerRun, arenaSlots, arenaTokens, keySlots, keyTokens);
    }

    /** lse[i] = log Σ_j exp(logits[i][j]) for {@code rows} rows, in double; see readout_logprobs.cu. */
    public void logSumExpRows(long logits, int rows, int vocab, long lse) {
        launch("log_sum_exp_rows", logSumExpRows, rows, 1, READOUT_THREADS, 0, logits, vocab, lse);
    }

    /** Each sequence's next token under its TokenRule (or its given token, or -1); see readout_choice.cu. */
    public void chooseTokens(long logits, int vocab, long sequenceRecords, int sequences, long ids, long keyTokens, long scratch,
                             long results) {
        launch("choose_tokens", chooseTokens, sequences, 1, READOUT_THREADS, 0, logits, vocab, sequenceRecords, ids, keyTokens,
                scratch, results);
    }

    /** Each sequence's log-probs: its token's, score ids', top-N and row log-probs; see readout_logprobs.cu. */
    public void readoutLogprobs(long logits, int vocab, long lse, long sequenceRecords, int sequences, long ids, long rowTokens,
                                long results) {
        launch("readout_logprobs", readoutLogprobs, sequences, 1, READOUT_THREADS, 0, logits, vocab, lse, sequenceRecords, ids,
                rowTokens, results);
    }

    /**
     * y[n][out] fp32 = x[n][in] · w[out][in]ᵀ, x and w bf16, for n ≤ {@link #GEMV_MAX_ROWS}: see
     * gemv.cu. Outputs fewer than 16384 are split four ways along {@code in}, so that even a
     * 5120-row matrix gives every SM enough warps to keep its loads in flight.
     */
    public void gemv(long x, long w, long y, int n, int in, int out) {
        if (n > GEMV_MAX_ROWS) throw new IllegalArgumentException("gemv takes at most " + GEMV_MAX_ROWS + " rows, got " + n);
        int warpsPerBlock = 8, splitK = out < 16_384 ? 4 : 1, outsPerBlock = warpsPerBlock / splitK;
        launch("gemv_bf16", gemv, (out + outsPerBlock - 1) / outsPerBlock, 1, 32 * warpsPerBlock, 0, x, w, y, n, in, out, splitK);
    }

    /** count values center + scale·U[−1, 1) from (seed, index), as bf16 or fp32. */
    public void fillUniform(long out, long count, long seed, float center, float scale, boolean asBf16) {
        launch("fill_uniform", fillUniform, gridStrideBlocks(count, 256), 1, 256, 0, out, count, seed, center, scale,
                asBf16 ? 1 : 0);
    }

    @Override
    public void close() {
        arena.close();
    }
}
