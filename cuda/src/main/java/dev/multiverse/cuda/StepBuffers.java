package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.weights.ModelConfig;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The device memory of one step, sized by a {@link StepCapacity}, at fixed addresses (so a
 * captured graph stays valid until the buffers grow). With d = hidden, qd = heads·headDim,
 * kd = kvHeads·headDim, m = intermediate, V = vocab, R rows, L logit rows, S sequences, K keys:
 *
 * <pre>
 * x [R][d] fp32 (the residual stream)   normed [R][d] bf16     qkv [R][qd+2kd] fp32
 * q [R][qd] fp32                        att [R][qd] bf16       delta [R][d] fp32
 * gateUp [R][2m] fp32                   hidden [R][m] bf16     finalNormed [L][d] bf16
 * logits [L][V] fp32                    lse [L] double         choice [S][V] double (the readout's scratch)
 * keySlots, keyTokens [K] int: each sequence's key list, assembled on the device
 * results [capacity.results] double     meta: see StepCapacity
 * </pre>
 *
 * The metadata goes up from one page-locked mirror in one copy; the results come back into
 * another in one copy; full logits only when a readout asks (their mirror is made then).
 */
final class StepBuffers implements AutoCloseable {
    final StepCapacity capacity;
    final DeviceBuffer x, normed, qkv, q, att, delta, gateUp, hidden, finalNormed, logits, lse, choice, keySlots, keyTokens,
            results, meta;
    final MemorySegment metaHost, resultsHost;
    private MemorySegment logitsHost;
    private final long logitsBytes;
    private final CudaDriver cuda;
    private final List<DeviceBuffer> all = new ArrayList<>();

    StepBuffers(CudaDevice device, ModelConfig c, StepCapacity capacity) {
        this.cuda = device.driver();
        this.capacity = capacity;
        long rows = capacity.rows(), logitRows = capacity.logitRows();
        long d = c.hiddenSize(), qd = (long) c.numHeads() * c.headDim(), kd = (long) c.numKvHeads() * c.headDim();
        long m = c.intermediateSize(), v = c.vocabSize();
        x = alloc(device, rows * d * 4);
        normed = alloc(device, rows * d * 2);
        qkv = alloc(device, rows * (qd + 2 * kd) * 4);
        q = alloc(device, rows * qd * 4);
        att = alloc(device, rows * qd * 2);
        delta = alloc(device, rows * d * 4);
        gateUp = alloc(device, rows * 2 * m * 4);
        hidden = alloc(device, rows * m * 2);
        finalNormed = alloc(device, logitRows * d * 2);
        logitsBytes = logitRows * v * 4;
        logits = alloc(device, logitsBytes);
        lse = alloc(device, logitRows * 8);
        choice = alloc(device, (long) capacity.sequences() * v * 8);
        keySlots = alloc(device, 4L * capacity.keys());
        keyTokens = alloc(device, 4L * capacity.keys());
        results = alloc(device, 8L * capacity.results());
        meta = alloc(device, 4L * capacity.words());
        metaHost = cuda.mallocHost(4L * capacity.words());
        resultsHost = cuda.mallocHost(8L * capacity.results());
    }

    private DeviceBuffer alloc(CudaDevice device, long bytes) {
        DeviceBuffer b = device.allocate(Math.max(8, bytes));
        all.add(b);
        return b;
    }

    long tokens() { return meta.at(4L * capacity.tokens()); }
    long positions() { return meta.at(4L * capacity.positions()); }
    long writeSlots() { return meta.at(4L * capacity.writeSlots()); }
    long keyStart() { return meta.at(4L * capacity.keyStart()); }
    long keyCount() { return meta.at(4L * capacity.keyCount()); }
    long logitRowIndex() { return meta.at(4L * capacity.logitRowIndex()); }
    long sequences() { return meta.at(4L * capacity.sequenceRecords()); }
    long segments() { return meta.at(4L * capacity.segmentList()); }
    long ids() { return meta.at(4L * capacity.idList()); }
    long writes() { return meta.at(4L * capacity.writes()); }

    /** The page-locked mirror of the logits, made on first use. */
    MemorySegment logitsHost() {
        if (logitsHost == null) logitsHost = cuda.mallocHost(logitsBytes);
        return logitsHost;
    }

    @Override
    public void close() {
        for (DeviceBuffer b : all) b.close();
        cuda.freeHost(metaHost);
        cuda.freeHost(resultsHost);
        if (logitsHost != null) cuda.freeHost(logitsHost);
    }
}
