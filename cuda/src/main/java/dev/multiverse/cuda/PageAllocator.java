package dev.multiverse.cuda;

import java.util.Arrays;

/**
 * Hands out numbered pages of a growable pool, most recently freed first; a freed page is reused
 * before the pool grows. Host bookkeeping only: the pages are the device arena's (see
 * {@link RunArena}); {@link #capacity()} says how many the device must hold.
 */
final class PageAllocator {
    private int[] free = new int[16];
    private int freeCount, capacity;

    PageAllocator(int initialCapacity) {
        if (initialCapacity < 1) throw new IllegalArgumentException("a page pool of " + initialCapacity + " pages");
        capacity = initialCapacity;
        for (int p = initialCapacity - 1; p >= 0; p--) push(p);
    }

    /** A page; the pool doubles when none is free. */
    int allocate() {
        if (freeCount == 0) {
            int old = capacity;
            capacity *= 2;
            for (int p = capacity - 1; p >= old; p--) push(p);
        }
        return free[--freeCount];
    }

    void release(int page) {
        if (page < 0 || page >= capacity) throw new IllegalArgumentException("page " + page + " outside [0, " + capacity + ")");
        push(page);
    }

    private void push(int page) {
        if (freeCount == free.length) free = Arrays.copyOf(free, 2 * free.length);
        free[freeCount++] = page;
    }

    /** Pages of the pool, used or not. */
    int capacity() {
        return capacity;
    }

    /** Pages in use. */
    int used() {
        return capacity - freeCount;
    }
}
