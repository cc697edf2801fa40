package dev.multiverse.engine;

/**
 * The engine's bookkeeping of the backend's KV slots: a fixed number of slots, each with a
 * reference count (how many sequences' slot lists hold it), and reservations that let admission
 * guarantee a running request never runs out.
 *
 * <p>A slot is allocated for a token when the token is appended, with count 1; a fork retains the
 * parent's slots once per child; a join hands the children's own slots to the parent and releases
 * the children's lists; a slot whose count reaches 0 goes back to the free stack. K/V are never
 * copied or moved: a slot id is the K/V.
 */
public final class KvSlotPool {
    private final int[] refCounts;
    private final int[] freeStack;
    private int freeTop;
    private long reserved;

    public KvSlotPool(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("a slot pool needs at least one slot, got " + capacity);
        refCounts = new int[capacity];
        freeStack = new int[capacity];
        // Lowest ids on top, so allocation order is deterministic (0, 1, 2, ...).
        for (int i = 0; i < capacity; i++) freeStack[i] = capacity - 1 - i;
        freeTop = capacity;
    }

    public int capacity() {
        return refCounts.length;
    }

    public int freeSlots() {
        return freeTop;
    }

    public int usedSlots() {
        return capacity() - freeTop;
    }

    /** Slots promised to admitted requests and not yet given back. */
    public long reservedSlots() {
        return reserved;
    }

    /** Whether {@code n} more slots can be promised without exceeding the capacity. */
    public boolean canReserve(long n) {
        return reserved + n <= capacity();
    }

    public void reserve(long n) {
        if (!canReserve(n))
            throw new IllegalStateException("reserving " + n + " slots with " + reserved + " of " + capacity() + " promised");
        reserved += n;
    }

    public void unreserve(long n) {
        if (n > reserved) throw new IllegalStateException("unreserving " + n + " slots with only " + reserved + " promised");
        reserved -= n;
    }

    /** A fresh slot with reference count 1. */
    public int allocate() {
        if (freeTop == 0) throw new IllegalStateException("KV slot pool exhausted (" + capacity() + " slots)");
        int slot = freeStack[--freeTop];
        refCounts[slot] = 1;
        return slot;
    }

    /** One more list holds {@code slot}. */
    public void retain(int slot) {
        if (refCounts[slot] <= 0) throw new IllegalStateException("retaining free slot " + slot);
        refCounts[slot]++;
    }

    /** One list fewer holds {@code slot}; the last release frees it. */
    public void release(int slot) {
        if (refCounts[slot] <= 0) throw new IllegalStateException("releasing free slot " + slot);
        if (--refCounts[slot] == 0) freeStack[freeTop++] = slot;
    }

    /** How many lists hold {@code slot} (0 when free). */
    public int refCount(int slot) {
        return refCounts[slot];
    }
}
