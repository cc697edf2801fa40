package dev.multiverse.reference;

/**
 * A set of token ids {@code [0, vocab)}, one bit each: scratch for one row at a time, emptied by
 * removing what was added (the caller knows), never by a pass over the vocabulary. 151,680 ids
 * take 2,370 longs.
 */
final class IdBitmap {
    private final long[] words;

    IdBitmap(int vocab) {
        words = new long[(vocab + 63) >>> 6];
    }

    /** Adds {@code id}; returns whether it was absent. */
    boolean add(int id) {
        long bit = 1L << id; // Java takes the shift count mod 64: bit id % 64 of word id / 64
        long word = words[id >>> 6];
        words[id >>> 6] = word | bit;
        return (word & bit) == 0;
    }

    boolean contains(int id) {
        return (words[id >>> 6] & (1L << id)) != 0;
    }

    void remove(int id) {
        words[id >>> 6] &= ~(1L << id);
    }

    /**
     * The members among ids {@code [from, from + lanes)} as the low {@code lanes} bits (bit j for
     * id from + j), ready for {@code VectorMask.fromLong}. {@code lanes} is a power of two up to 64
     * and {@code from} a multiple of it, so the ids lie in one word.
     */
    long lanes(int from, int lanes) {
        long word = words[from >>> 6] >>> (from & 63);
        return lanes == 64 ? word : word & ((1L << lanes) - 1);
    }
}
