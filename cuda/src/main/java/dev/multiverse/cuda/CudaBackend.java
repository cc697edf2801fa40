package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.StepResult;
import dev.multiverse.cuda.ffi.Cublas;
import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.weights.ModelConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU backend: the {@link Backend} contract of the CPU reference, on one CUDA device.
 *
 * <p>A step: the {@link RunTable} checks the batch and applies its run deltas; the {@link
 * RunArena} stages only the new entries (and new pages) for the device arena; the host plans
 * the step's metadata ({@link StepPlan}: rows, segments, readouts, O(rows + chain runs)) and
 * sends it with the staged writes in one copy; an eager kernel scatters the writes into the
 * arena; then the step proper (assemble every key list from its chain's runs, the forward pass,
 * the readout kernels) runs, for a decode step (one row per sequence) as a replayed CUDA graph
 * keyed by shape only. One small copy brings back the readout; full logits only when asked.
 * Not thread-safe: one thread steps it at a time.
 */
public final class CudaBackend implements Backend {
    private static final long CUBLAS_WORKSPACE = 32L << 20;

    private final CudaDevice device;
    private final GpuKernels kernels;
    private final GpuWeights weights;
    private final GpuKvCache kv;
    private final DeviceBuffer blasWorkspace;
    private final Cublas blas;
    private final GpuForward forward;
    private final DecodeGraphs graphs;
    private final RunTable table;
    private final RunArena arena;
    private final DeviceArena deviceArena;
    private StepBuffers buffers;

    private CudaBackend(CudaDevice device, GpuKernels kernels, GpuWeights weights, int slotCapacity) {
        this.device = device;
        this.kernels = kernels;
        this.weights = weights;
        ModelConfig c = weights.config();
        this.kv = new GpuKvCache(device, c.numLayers(), slotCapacity, c.numKvHeads() * c.headDim());
        this.blasWorkspace = device.allocate(CUBLAS_WORKSPACE);
        this.blas = new Cublas(device.stream(), blasWorkspace.pointer(), CUBLAS_WORKSPACE);
        this.forward = new GpuForward(weights, kv, kernels, blas);
        this.graphs = new DecodeGraphs(device.driver(), device.stream());
        this.buffers = new StepBuffers(device, c, StepCapacity.initial());
        this.table = new RunTable(slotCapacity, c.vocabSize());
        int pages = Math.max(16, 2 * Math.ceilDiv(slotCapacity, RunArena.PAGE));
        this.arena = new RunArena(pages, 256, Math.ceilDiv(slotCapacity, RunArena.PAGE) + 1);
        this.deviceArena = new DeviceArena(device, arena);
    }

    /**
     * Copies an opened model's weights onto GPU {@code ordinal} (progress on {@code progress}, may
     * be null); the store may be closed once this returns.
     */
    public static CudaBackend upload(Qwen2Weights hostWeights, int ordinal, int slotCapacity, PrintStream progress) {
        CudaDevice device = CudaDevice.open(ordinal);
        GpuKernels kernels = new GpuKernels(device);
        return new CudaBackend(device, kernels, GpuWeights.upload(device, hostWeights, progress), slotCapacity);
    }

    /** A model of {@code config}'s shape with random weights made on the device from {@code seed}. */
    public static CudaBackend random(ModelConfig config, long seed, int ordinal, int slotCapacity) {
        CudaDevice device = CudaDevice.open(ordinal);
        GpuKernels kernels = new GpuKernels(device);
        return new CudaBackend(device, kernels, GpuWeights.random(device, kernels, config, seed), slotCapacity);
    }

    @Override
    public ModelConfig config() {
        return weights.config();
    }

    @Override
    public int slotCapacity() {
        return kv.capacity();
    }

    /** The device this backend runs on. */
    public CudaDevice device() {
        return device;
    }

    /** The weight bytes one step reads. */
    public long weightBytesPerStep() {
        return weights.bytesPerStep();
    }

    /**
     * Turns programmatic dependent launch on or off (for measuring what it gives); the captured
     * graphs are dropped, since they recorded the launches as they were.
     */
    public void programmaticLaunch(boolean on) {
        device.synchronize();
        graphs.invalidate();
        kernels.programmaticLaunch(on);
    }

    /** How many steps were replayed from a captured graph, and how many graphs were captured. */
    public int[] graphCounts() {
        return new int[] {graphs.replays(), graphs.captures()};
    }

    @Override
    public StepResult step(Batch batch) {
        StepPlan plan = begin(batch);
        queue(plan);
        int vocab = config().vocabSize();
        CudaDriver cuda = device.driver();
        if (plan.readout)
            cuda.copyToHostAsync(buffers.resultsHost, buffers.results.pointer(), 8L * plan.results, device.stream());
        if (plan.logits)
            cuda.copyToHostAsync(buffers.logitsHost(), buffers.logits.pointer(), 4L * plan.logitRows * vocab, device.stream());
        device.synchronize();
        double[] results = plan.readout ? buffers.resultsHost.asSlice(0, 8L * plan.results).toArray(JAVA_DOUBLE) : new double[0];
        float[][] logits = null;
        if (plan.logits) {
            logits = new float[plan.logitRows][];
            for (int i = 0; i < plan.logitRows; i++)
                logits[i] = buffers.logitsHost().asSlice(4L * i * vocab, 4L * vocab).toArray(JAVA_FLOAT);
        }
        List<SequenceResult> out = ReadoutResults.decode(batch, plan, results, logits);
        end(batch);
        return new StepResult(out);
    }

    /**
     * Runs {@code batch} eagerly with an event around every launch and returns the device
     * milliseconds and launch count per kernel, as "kernel: launches, ms" lines, largest first.
     */
    public List<String> profileStep(Batch batch) {
        StepPlan plan = begin(batch);
        kernels.startProfile();
        send(plan);
        stepWork(plan).run();
        var totals = kernels.stopProfile();
        device.synchronize();
        end(batch);
        List<String> lines = new ArrayList<>();
        totals.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue().millis(), a.getValue().millis()))
                .forEach(e -> lines.add(String.format("%-22s %5d launches %9.3f ms %8.1f us each", e.getKey(),
                        e.getValue().launches(), e.getValue().millis(), 1e3 * e.getValue().millis() / e.getValue().launches())));
        return lines;
    }

    /** Checks and applies the batch's run deltas (mirrored into the arena whatever the table refused) and plans the step. */
    private StepPlan begin(Batch batch) {
        device.makeCurrent();
        try {
            table.begin(batch);
        } finally {
            arena.apply(batch, table);
        }
        return StepPlan.of(batch, table, arena, config().vocabSize());
    }

    /** Forgets the batch's forgetAfter runs, on the table and on the device. */
    private void end(Batch batch) {
        try {
            table.end(batch);
        } finally {
            arena.end(batch, table);
        }
    }

    /** Sends the plan and the staged writes, then queues the step: a replayed graph for a decode step. */
    private void queue(StepPlan plan) {
        send(plan);
        Runnable work = stepWork(plan);
        boolean decode = plan.rows == plan.sequences;
        if (decode) graphs.run(new DecodeGraphs.Shape(plan.rows, plan.logitRows, keyBucket(plan.longestContext), plan.readout), work);
        else work.run();
    }

    /**
     * Grows what is short, fills the metadata mirror and queues its one copy and the scatter of
     * the staged run writes into the arena.
     */
    private void send(StepPlan plan) {
        boolean moved = deviceArena.follow(arena);
        if (!buffers.capacity.fits(plan, arena)) {
            StepCapacity grown = buffers.capacity.grownFor(plan, arena);
            device.synchronize();
            buffers.close();
            buffers = new StepBuffers(device, config(), grown);
            moved = true;
        }
        if (moved) graphs.invalidate();
        int words = buffers.capacity.write(buffers.metaHost, plan, arena);
        device.driver().copyToDeviceAsync(buffers.meta.pointer(), buffers.metaHost, 4L * words, device.stream());
        int entries = arena.entryCount(), pages = arena.pageWriteCount();
        long writes = buffers.writes();
        kernels.scatterRunWrites(writes, entries, writes + 12L * entries, pages, deviceArena.slots(), deviceArena.tokens(),
                deviceArena.table());
        arena.sent();
    }

    /** The step proper, reading only fixed device addresses (so it can be captured). */
    private Runnable stepWork(StepPlan plan) {
        int n = plan.rows, logitRows = plan.logitRows, sequences = plan.sequences, vocab = config().vocabSize();
        int keyCapacity = keyBucket(plan.longestContext);
        boolean readout = plan.readout;
        StepBuffers b = buffers;
        int pagesPerRun = deviceArena.pagesPerRun();
        long arenaSlots = deviceArena.slots(), arenaTokens = deviceArena.tokens(), pageTable = deviceArena.table();
        return () -> {
            kernels.gatherKeyLists(b.sequences(), sequences, b.segments(), pageTable, pagesPerRun, arenaSlots, arenaTokens,
                    b.keySlots.pointer(), b.keyTokens.pointer());
            forward.run(b, n, logitRows, keyCapacity);
            if (!readout) return;
            kernels.logSumExpRows(b.logits.pointer(), logitRows, vocab, b.lse.pointer());
            kernels.chooseTokens(b.logits.pointer(), vocab, b.sequences(), sequences, b.ids(), b.keyTokens.pointer(),
                    b.choice.pointer(), b.results.pointer());
            kernels.readoutLogprobs(b.logits.pointer(), vocab, b.lse.pointer(), b.sequences(), sequences, b.ids(), b.tokens(),
                    b.results.pointer());
        };
    }

    /** Key-list capacities come in powers of two (at least 256), so a graph serves many steps. */
    static int keyBucket(int longest) {
        return Math.max(256, Integer.highestOneBit(Math.max(1, longest - 1)) << 1);
    }

    /** Runs on the device and arena pages in use (for tests of reuse). */
    int[] arenaCounts() {
        return new int[] {arena.size(), arena.pagesUsed(), arena.pageCapacity()};
    }

    @Override
    public void close() {
        device.makeCurrent();
        device.synchronize();
        graphs.close();
        deviceArena.close();
        buffers.close();
        blas.close();
        blasWorkspace.close();
        kv.close();
        weights.close();
        kernels.close();
        device.close();
    }
}
