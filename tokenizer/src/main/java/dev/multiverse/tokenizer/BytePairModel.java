package dev.multiverse.tokenizer;

import java.util.Map;

/**
 * Byte-level BPE over one pre-tokenized word: the word's UTF-8 bytes start as one symbol each, then
 * the adjacent pair with the lowest merge rank is merged (leftmost first among equal ranks) until
 * no adjacent pair has a merge. That is Hugging Face's {@code Word::merge_all} without dropout.
 *
 * <p>The symbols form a doubly linked list over arrays and the candidate merges sit in a binary
 * min-heap keyed by (rank, position); entries made stale by an earlier merge are skipped when
 * popped. Results are cached per word, as in Hugging Face, in a direct-mapped table of immutable
 * entries: a lookup allocates nothing, a collision evicts, and threads may share the table without
 * locks (an entry's final fields make it safe to publish through a race).
 */
final class BytePairModel {
    private static final int CACHE_SLOTS = 1 << 16;
    private static final int MAX_CACHED_WORD = 64;

    /** A word and its ids; immutable. */
    private static final class CachedWord {
        final String word;
        final int[] ids;

        CachedWord(String word, int[] ids) {
            this.word = word;
            this.ids = ids;
        }
    }

    private final int[] byteIds; // byteIds[b]: token id of the one-byte token for byte b
    private final MergeTable merges;
    private final Map<String, Integer> vocab; // only consulted when ignoreMerges
    private final boolean ignoreMerges;
    private final CachedWord[] cache = new CachedWord[CACHE_SLOTS];

    BytePairModel(int[] byteIds, MergeTable merges, Map<String, Integer> vocab, boolean ignoreMerges) {
        this.byteIds = byteIds;
        this.merges = merges;
        this.vocab = vocab;
        this.ignoreMerges = ignoreMerges;
    }

    /** Appends the ids of the word {@code text[from, to)} to {@code out}. */
    void encodeWord(String text, int from, int to, IntList out, Workspace ws) {
        char first = text.charAt(from);
        if (to - from == 1 && first < 0x80) {
            out.add(byteIds[first]);
            return;
        }
        if (to - from > MAX_CACHED_WORD) {
            mergeWord(text, from, to, out, ws);
            return;
        }
        int length = to - from;
        int hash = 0;
        for (int i = from; i < to; i++) hash = 31 * hash + text.charAt(i);
        int slot = (hash ^ (hash >>> 16)) & (CACHE_SLOTS - 1);
        CachedWord hit = cache[slot];
        if (hit != null && hit.word.length() == length && hit.word.regionMatches(0, text, from, length)) {
            out.addAll(hit.ids);
            return;
        }
        IntList fresh = new IntList(length);
        mergeWord(text, from, to, fresh, ws);
        int[] ids = fresh.toArray();
        cache[slot] = new CachedWord(text.substring(from, to), ids);
        out.addAll(ids);
    }

    private void mergeWord(String text, int from, int to, IntList out, Workspace ws) {
        int n = ws.loadUtf8(text, from, to);
        if (ignoreMerges) {
            Integer whole = vocab.get(ByteLevel.encodeBytes(ws.bytes, 0, n));
            if (whole != null) {
                out.add(whole);
                return;
            }
        }
        int[] ids = ws.ids;
        int[] next = ws.next;
        int[] prev = ws.prev;
        for (int i = 0; i < n; i++) {
            ids[i] = byteIds[ws.bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        ws.heapSize = 0;
        for (int i = 0; i + 1 < n; i++) pushPair(ws, i, ids[i], ids[i + 1]);
        while (ws.heapSize > 0) {
            long top = ws.pop();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            int right = next[pos];
            if (ids[pos] < 0 || right < 0) continue; // symbol merged away, or now last
            int slot = merges.find(ids[pos], ids[right]);
            if (slot < 0 || merges.rank(slot) != rank) continue; // the pair changed since it was pushed
            ids[pos] = merges.merged(slot);
            ids[right] = -1;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) {
                prev[after] = pos;
                pushPair(ws, pos, ids[pos], ids[after]);
            }
            if (prev[pos] >= 0) pushPair(ws, prev[pos], ids[prev[pos]], ids[pos]);
        }
        for (int i = 0; i >= 0; i = next[i]) out.add(ids[i]);
    }

    private void pushPair(Workspace ws, int pos, int left, int right) {
        int slot = merges.find(left, right);
        if (slot >= 0) ws.push(((long) merges.rank(slot) << 32) | pos);
    }

    /** Scratch arrays for one encoding call; not shared between threads. */
    static final class Workspace {
        byte[] bytes = new byte[256];
        int[] ids = new int[256];
        int[] next = new int[256];
        int[] prev = new int[256];
        long[] heap = new long[256];
        int heapSize;

        /** Writes the UTF-8 bytes of {@code text[from, to)} (whole code points) to {@link #bytes}; returns their count. */
        int loadUtf8(String text, int from, int to) {
            int capacity = 3 * (to - from);
            if (bytes.length < capacity) grow(capacity);
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < 0x80) {
                    bytes[n++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[n++] = (byte) (0xC0 | (c >> 6));
                    bytes[n++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c)) {
                    int cp = Character.toCodePoint(c, text.charAt(++i));
                    bytes[n++] = (byte) (0xF0 | (cp >> 18));
                    bytes[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    bytes[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    bytes[n++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    bytes[n++] = (byte) (0xE0 | (c >> 12));
                    bytes[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    bytes[n++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            return n;
        }

        private void grow(int capacity) {
            bytes = new byte[capacity];
            ids = new int[capacity];
            next = new int[capacity];
            prev = new int[capacity];
            heap = new long[capacity];
        }

        void push(long entry) {
            if (heapSize == heap.length) heap = java.util.Arrays.copyOf(heap, heapSize * 2);
            int i = heapSize++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= entry) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = entry;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--heapSize];
            int i = 0;
            int half = heapSize >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < heapSize && heap[child + 1] < heap[child]) child++;
                if (last <= heap[child]) break;
                heap[i] = heap[child];
                i = child;
            }
            if (heapSize > 0) heap[i] = last;
            return top;
        }
    }
}
