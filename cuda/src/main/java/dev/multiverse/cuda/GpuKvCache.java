package dev.multiverse.cuda;

/**
 * The KV cache on the device: for every layer, {@code capacity} slots of one token's key (after
 * RoPE) and value, bf16 {@code [layers][capacity][kvHeads·headDim]} each.
 */
final class GpuKvCache implements AutoCloseable {
    private final DeviceBuffer keys, values;
    private final int capacity, kvDim;

    GpuKvCache(CudaDevice device, int layers, int capacity, int kvDim) {
        this.capacity = capacity;
        this.kvDim = kvDim;
        long bytes = 2L * layers * capacity * kvDim;
        this.keys = device.allocate(bytes);
        this.values = device.allocate(bytes);
    }

    int capacity() {
        return capacity;
    }

    /** Layer {@code l}'s keys: [capacity][kvDim] bf16. */
    long keys(int l) {
        return keys.pointer() + 2L * l * capacity * kvDim;
    }

    /** Layer {@code l}'s values: [capacity][kvDim] bf16. */
    long values(int l) {
        return values.pointer() + 2L * l * capacity * kvDim;
    }

    long bytes() {
        return keys.bytes() + values.bytes();
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
