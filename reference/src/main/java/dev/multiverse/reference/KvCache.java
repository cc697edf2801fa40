package dev.multiverse.reference;

/**
 * The KV slots of a CPU backend: for every layer, a key and a value of {@code kvHeads · headDim}
 * floats per slot. Keys are stored after RoPE, so a slot keeps its position forever and any list
 * of slots is a valid attention context. Shapes: keys(l), values(l) [capacity][kvDim].
 */
public final class KvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int capacity;
    private final int kvDim;

    /** Storage for {@code capacity} slots in each of {@code layers} layers. */
    public KvCache(int layers, int capacity, int kvDim) {
        if (capacity < 1) throw new IllegalArgumentException("KV cache capacity must be positive, got " + capacity);
        if ((long) capacity * kvDim > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException(
                    "KV cache of " + capacity + " slots of " + kvDim + " floats exceeds one Java array per layer");
        this.capacity = capacity;
        this.kvDim = kvDim;
        keys = new float[layers][capacity * kvDim];
        values = new float[layers][capacity * kvDim];
    }

    /** The number of slots. */
    public int capacity() {
        return capacity;
    }

    float[] keys(int layer) {
        return keys[layer];
    }

    float[] values(int layer) {
        return values[layer];
    }

    /** Stores row r of k and v ([n][kvDim]) into slot {@code slots[r]} of layer {@code layer}. */
    void write(int layer, int[] slots, int n, float[] k, float[] v) {
        for (int r = 0; r < n; r++) {
            System.arraycopy(k, r * kvDim, keys[layer], slots[r] * kvDim, kvDim);
            System.arraycopy(v, r * kvDim, values[layer], slots[r] * kvDim, kvDim);
        }
    }
}
