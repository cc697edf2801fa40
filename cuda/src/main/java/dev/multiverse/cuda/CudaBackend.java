package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.StepRows;
import dev.multiverse.cuda.ffi.Cublas;
import dev.multiverse.weights.ModelConfig;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU backend: the {@link Backend} contract of the CPU reference, on one CUDA device. A step
 * validates and flattens its batch exactly as the CPU backend does ({@link StepRows}), sends the
 * rows' metadata in two copies, runs {@link GpuForward} (a decode step, one row per sequence, as a
 * replayed CUDA graph) and copies back the logits, or only the sampled tokens with
 * {@link #stepAndSample}. Not thread-safe: one thread steps it at a time.
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
        this.buffers = new StepBuffers(device, c, 64, 64, 64 * 1024);
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
        StepRows rows = prepare(batch, null, null, null);
        int logitRows = rows.logitRows().length, vocab = config().vocabSize();
        device.driver().copyToHostAsync(buffers.logitsHost, buffers.logits.pointer(), 4L * logitRows * vocab, device.stream());
        device.synchronize();
        List<float[][]> perSequence = new ArrayList<>();
        int row = 0;
        for (SequenceStep s : batch.sequences()) {
            float[][] logits = new float[s.logitRows()][];
            for (int i = 0; i < logits.length; i++, row++)
                logits[i] = buffers.logitsHost.asSlice(4L * row * vocab, 4L * vocab).toArray(JAVA_FLOAT);
            perSequence.add(logits);
        }
        return new StepResult(perSequence);
    }

    /**
     * A step that also picks each sequence's next token on the device and copies back only the
     * tokens: {@code temperature[s] ≤ 0} is greedy, else top-p sampling with {@code uniform[s]} in
     * [0, 1) (see {@code sampling.cu}). Every sequence must ask for its last row's logits only.
     */
    public int[] stepAndSample(Batch batch, float[] temperature, float[] topP, float[] uniform) {
        int s = batch.sequences().size();
        if (temperature.length != s || topP.length != s || uniform.length != s)
            throw new IllegalArgumentException("one temperature, top-p and uniform per sequence (" + s + ")");
        for (SequenceStep step : batch.sequences())
            if (step.allLogits()) throw new IllegalArgumentException("stepAndSample samples the last row of each sequence only");
        prepare(batch, temperature, topP, uniform);
        MemorySegment host = buffers.metaHost;
        device.driver().copyToHostAsync(host, buffers.sampled(), 4L * s, device.stream());
        device.synchronize();
        return host.asSlice(0, 4L * s).toArray(JAVA_INT);
    }

    /**
     * Runs {@code batch} eagerly with an event around every launch and returns the device
     * milliseconds and launch count per kernel, as "kernel: launches, ms" lines, largest first.
     */
    public List<String> profileStep(Batch batch) {
        StepRows rows = send(batch, null, null, null);
        kernels.startProfile();
        forward.run(buffers, rows.size(), rows.logitRows().length, keyBucket(rows.longestKeyList()));
        var totals = kernels.stopProfile();
        List<String> lines = new ArrayList<>();
        totals.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue().millis(), a.getValue().millis()))
                .forEach(e -> lines.add(String.format("%-22s %5d launches %9.3f ms %8.1f us each", e.getKey(),
                        e.getValue().launches(), e.getValue().millis(), 1e3 * e.getValue().millis() / e.getValue().launches())));
        return lines;
    }

    /** Validates and sends the batch, then queues the forward pass (and the sampling when asked). */
    private StepRows prepare(Batch batch, float[] temperature, float[] topP, float[] uniform) {
        StepRows rows = send(batch, temperature, topP, uniform);
        int n = rows.size(), logitRows = rows.logitRows().length, keyCapacity = keyBucket(rows.longestKeyList());
        boolean sample = temperature != null;
        Runnable work = () -> {
            forward.run(buffers, n, logitRows, keyCapacity);
            if (sample) kernels.sampleTokens(buffers.logits.pointer(), buffers.probs.pointer(), logitRows,
                    config().vocabSize(), buffers.temperature(), buffers.topP(), buffers.uniform(), buffers.sampled());
        };
        boolean decode = n == batch.sequences().size();
        if (decode) graphs.run(new DecodeGraphs.Shape(n, logitRows, keyCapacity, sample), work);
        else work.run();
        return rows;
    }

    /** Validates and flattens the batch, grows the buffers if it needs, and queues its metadata's copy. */
    private StepRows send(Batch batch, float[] temperature, float[] topP, float[] uniform) {
        device.makeCurrent();
        StepRows rows = StepRows.of(batch, kv.capacity(), config().vocabSize());
        int keys = 0;
        for (int[] list : rows.keySlots()) keys += list.length;
        reserve(rows.size(), rows.logitRows().length, keys);
        buffers.write(rows.tokens(), rows.positions(), rows.writeSlots(), rows.keySlots(), rows.logitRows(),
                temperature, topP, uniform);
        buffers.send(device.stream(), keys);
        return rows;
    }

    /** Key-list capacities come in powers of two (at least 256), so a graph serves many steps. */
    private static int keyBucket(int longest) {
        return Math.max(256, Integer.highestOneBit(Math.max(1, longest - 1)) << 1);
    }

    private void reserve(int n, int logitRows, int keys) {
        if (buffers.fits(n, logitRows, keys)) return;
        device.synchronize();
        graphs.invalidate();
        int rows = Math.max(buffers.rows, Integer.highestOneBit(n) << 1);
        int logits = Math.max(buffers.logitRows, Integer.highestOneBit(logitRows) << 1);
        int keySlots = Math.max(buffers.keys, Integer.highestOneBit(keys) << 1);
        buffers.close();
        buffers = new StepBuffers(device, config(), rows, logits, keySlots);
    }

    @Override
    public void close() {
        device.synchronize();
        graphs.close();
        buffers.close();
        blas.close();
        blasWorkspace.close();
        kv.close();
        weights.close();
        kernels.close();
        device.close();
    }
}
