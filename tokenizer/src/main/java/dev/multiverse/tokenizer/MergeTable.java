package dev.multiverse.tokenizer;

import java.util.Arrays;

/**
 * The BPE merges as a hash map from a pair of token ids (left, right) to the merge's rank (its
 * index in the merges list; lower merges first) and the id of the merged token. Open addressing
 * over primitive arrays: the lookup is on the encoder's hot path.
 */
final class MergeTable {
    private static final long EMPTY = -1L; // ids are non-negative, so no pair key is -1
    private final long[] keys;
    private final int[] ranks;
    private final int[] merged;
    private final int mask;

    MergeTable(int expectedSize) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedSize * 3)) << 1; // load factor < 1/3
        keys = new long[capacity];
        ranks = new int[capacity];
        merged = new int[capacity];
        mask = capacity - 1;
        Arrays.fill(keys, EMPTY);
    }

    /** Adds or replaces (a later duplicate wins, as in Hugging Face's map) the merge of a pair. */
    void put(int left, int right, int rank, int mergedId) {
        long key = key(left, right);
        int slot = slotOf(key);
        keys[slot] = key;
        ranks[slot] = rank;
        merged[slot] = mergedId;
    }

    /** The slot holding the merge of (left, right), or -1 when the pair never merges. */
    int find(int left, int right) {
        long key = key(left, right);
        int slot = slotOf(key);
        return keys[slot] == EMPTY ? -1 : slot;
    }

    int rank(int slot) {
        return ranks[slot];
    }

    int merged(int slot) {
        return merged[slot];
    }

    private int slotOf(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        int slot = (int) (h ^ (h >>> 32)) & mask;
        while (keys[slot] != EMPTY && keys[slot] != key) slot = (slot + 1) & mask;
        return slot;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }
}
