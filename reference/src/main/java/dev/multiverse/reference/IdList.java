package dev.multiverse.reference;

import java.util.Arrays;

/** A growable list of ids, reused from call to call (cleared, never shrunk). */
final class IdList {
    private int[] ids = new int[16];
    private int size;

    void clear() {
        size = 0;
    }

    void add(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, 2 * size);
        ids[size++] = id;
    }

    int size() {
        return size;
    }

    int get(int j) {
        return ids[j];
    }
}
