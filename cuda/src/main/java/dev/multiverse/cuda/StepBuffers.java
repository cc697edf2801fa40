package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.weights.ModelConfig;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The device memory of one step, sized for at most {@code rows} new tokens, {@code logitRows}
 * rows of logits and {@code keys} key-slot entries in all, at fixed addresses (so a captured graph
 * stays valid until the buffers grow). With d = hidden, qd = heads·headDim, kd = kvHeads·headDim,
 * m = intermediate, V = vocab:
 *
 * <pre>
 * x [rows][d] fp32 (the residual stream)   normed [rows][d] bf16     qkv [rows][qd+2kd] fp32
 * q [rows][qd] fp32                        att [rows][qd] bf16       delta [rows][d] fp32
 * gateUp [rows][2m] fp32                   hidden [rows][m] bf16     finalNormed [logitRows][d] bf16
 * logits, probs [logitRows][V] fp32
 * meta: tokens, positions, writeSlots, keyStart, keyCount [rows] int; logitRows [logitRows] int;
 *       temperature, topP, uniform [logitRows] float; sampled [logitRows] int
 * keySlots [keys] int: every row's key list, one after another
 * </pre>
 *
 * The metadata is written into page-locked host mirrors and sent with two asynchronous copies.
 */
final class StepBuffers implements AutoCloseable {
    final int rows, logitRows, keys;
    final DeviceBuffer x, normed, qkv, q, att, delta, gateUp, hidden, finalNormed, logits, probs, meta, keySlots;
    final MemorySegment metaHost, keySlotsHost, logitsHost;
    private final CudaDriver cuda;
    private final List<DeviceBuffer> all = new ArrayList<>();

    StepBuffers(CudaDevice device, ModelConfig c, int rows, int logitRows, int keys) {
        this.cuda = device.driver();
        this.rows = rows;
        this.logitRows = logitRows;
        this.keys = keys;
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
        logits = alloc(device, logitRows * v * 4);
        probs = alloc(device, logitRows * v * 4);
        meta = alloc(device, metaInts() * 4L);
        keySlots = alloc(device, keys * 4L);
        metaHost = cuda.mallocHost(metaInts() * 4L);
        keySlotsHost = cuda.mallocHost(keys * 4L);
        logitsHost = cuda.mallocHost(logitRows * v * 4);
    }

    private DeviceBuffer alloc(CudaDevice device, long bytes) {
        DeviceBuffer b = device.allocate(bytes);
        all.add(b);
        return b;
    }

    private int metaInts() {
        return 5 * rows + 5 * logitRows;
    }

    /** Whether a step of this size fits. */
    boolean fits(int n, int l, int k) {
        return n <= rows && l <= logitRows && k <= keys;
    }

    long tokens() { return meta.at(0); }
    long positions() { return meta.at(4L * rows); }
    long writeSlots() { return meta.at(8L * rows); }
    long keyStart() { return meta.at(12L * rows); }
    long keyCount() { return meta.at(16L * rows); }
    long logitRowIndex() { return meta.at(20L * rows); }
    long temperature() { return meta.at(20L * rows + 4L * logitRows); }
    long topP() { return meta.at(20L * rows + 8L * logitRows); }
    long uniform() { return meta.at(20L * rows + 12L * logitRows); }
    long sampled() { return meta.at(20L * rows + 16L * logitRows); }

    /** Fills the host mirrors with one step's rows; the sampling parameters may be null. */
    void write(int[] tokens, int[] positions, int[] writeSlots, int[][] keyLists, int[] logitRowIndex,
               float[] temperature, float[] topP, float[] uniform) {
        int n = tokens.length;
        int start = 0;
        for (int r = 0; r < n; r++) {
            metaHost.setAtIndex(JAVA_INT, r, tokens[r]);
            metaHost.setAtIndex(JAVA_INT, rows + r, positions[r]);
            metaHost.setAtIndex(JAVA_INT, 2L * rows + r, writeSlots[r]);
            metaHost.setAtIndex(JAVA_INT, 3L * rows + r, start);
            metaHost.setAtIndex(JAVA_INT, 4L * rows + r, keyLists[r].length);
            MemorySegment.copy(keyLists[r], 0, keySlotsHost, JAVA_INT, 4L * start, keyLists[r].length);
            start += keyLists[r].length;
        }
        for (int i = 0; i < logitRowIndex.length; i++) {
            metaHost.setAtIndex(JAVA_INT, 5L * rows + i, logitRowIndex[i]);
            if (temperature == null) continue;
            metaHost.setAtIndex(JAVA_FLOAT, 5L * rows + logitRows + i, temperature[i]);
            metaHost.setAtIndex(JAVA_FLOAT, 5L * rows + 2L * logitRows + i, topP[i]);
            metaHost.setAtIndex(JAVA_FLOAT, 5L * rows + 3L * logitRows + i, uniform[i]);
        }
    }

    /** Queues the copies of the host mirrors to the device ({@code keyEntries} key slots). */
    void send(long stream, int keyEntries) {
        cuda.copyToDeviceAsync(meta.pointer(), metaHost, (5L * rows + 4L * logitRows) * 4, stream);
        cuda.copyToDeviceAsync(keySlots.pointer(), keySlotsHost, 4L * keyEntries, stream);
    }

    @Override
    public void close() {
        for (DeviceBuffer b : all) b.close();
        cuda.freeHost(metaHost);
        cuda.freeHost(keySlotsHost);
        cuda.freeHost(logitsHost);
    }
}
