package dev.multiverse.reference;

import java.util.Arrays;

/**
 * The few ids of a row the token rule still looks at after a selection pass, in increasing id
 * order, each with its score s and (once computed) its probability p. Reused from row to row:
 * grown, never shrunk.
 */
final class Candidates {
    private int[] ids = new int[64];
    private double[] scores = new double[64];
    private double[] probs = new double[64];
    /** Indices {@code 0 .. size) in decreasing score order, after {@link #sortByScore}. */
    private int[] order = new int[64];
    private int size;
    /** Whether {@code order} is up to date. */
    private boolean sorted;

    void clear() {
        size = 0;
        sorted = false;
    }

    /** Appends {@code id}, which must exceed every id held. */
    void add(int id, double score) {
        if (size == ids.length) {
            int grown = 2 * size;
            ids = Arrays.copyOf(ids, grown);
            scores = Arrays.copyOf(scores, grown);
            probs = Arrays.copyOf(probs, grown);
            order = Arrays.copyOf(order, grown);
        }
        ids[size] = id;
        scores[size] = score;
        probs[size] = 0;
        size++;
        sorted = false;
    }

    int size() {
        return size;
    }

    int id(int j) {
        return ids[j];
    }

    double score(int j) {
        return scores[j];
    }

    double prob(int j) {
        return probs[j];
    }

    void setProb(int j, double p) {
        probs[j] = p;
    }

    /** The largest score held; the set is not empty. */
    double maxScore() {
        double max = scores[0];
        for (int j = 1; j < size; j++) max = Math.max(max, scores[j]);
        return max;
    }

    /** The index of the entry at rank {@code r} of {@link #sortByScore}'s order. */
    int ranked(int r) {
        return order[r];
    }

    /**
     * Orders the entries by decreasing score, the lower id first on ties (see {@link #ranked}).
     * A heapsort over indices: O(size log size), no allocation, deterministic. Done once until
     * the entries change.
     */
    void sortByScore() {
        if (sorted) return;
        sorted = true;
        for (int j = 0; j < size; j++) order[j] = j;
        for (int j = size / 2 - 1; j >= 0; j--) siftDown(j, size);
        for (int end = size - 1; end > 0; end--) {
            swap(0, end);
            siftDown(0, end);
        }
    }

    /** Restores the heap below {@code j} in {@code order[0 .. end)}: a parent ranks after its children. */
    private void siftDown(int j, int end) {
        while (true) {
            int child = 2 * j + 1;
            if (child >= end) return;
            if (child + 1 < end && ranksAfter(order[child + 1], order[child])) child++;
            if (!ranksAfter(order[child], order[j])) return;
            swap(j, child);
            j = child;
        }
    }

    /** Whether entry a comes after entry b in decreasing-score, then increasing-id order. */
    private boolean ranksAfter(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && ids[a] > ids[b]);
    }

    private void swap(int a, int b) {
        int t = order[a];
        order[a] = order[b];
        order[b] = t;
    }
}
