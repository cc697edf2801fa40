package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemorySegment;

/**
 * How much one step's buffers hold, and where each part of the metadata lies in the one
 * int32 buffer the host fills and sends with a single copy (word offsets; sequence records
 * start on an even word, so their doubles are 8-byte aligned):
 *
 * <pre>
 * tokens, positions, writeSlots, keyStart, keyCount [rows]   logitRowIndex [logitRows]
 * sequences [sequences][32] (SequenceMeta)                   segments [segments][2]
 * ids [ids]                                                  writes: entries [n][3], then page writes [m][2]
 * </pre>
 *
 * Everything but the writes sits at fixed offsets, so a captured graph stays valid while the
 * capacity does; the writes are read by the eager scatter kernel only. {@code keys} sizes the
 * flat key lists, {@code results} the readout's doubles.
 */
record StepCapacity(int rows, int logitRows, int sequences, int segments, int ids, int writeWords, int keys, int results) {

    static StepCapacity initial() {
        return new StepCapacity(64, 64, 64, 256, 256, 3 * 4096, 64 * 1024, 4096);
    }

    int tokens() { return 0; }
    int positions() { return rows; }
    int writeSlots() { return 2 * rows; }
    int keyStart() { return 3 * rows; }
    int keyCount() { return 4 * rows; }
    int logitRowIndex() { return 5 * rows; }
    int sequenceRecords() { return even(5 * rows + logitRows); }
    int segmentList() { return sequenceRecords() + StepPlan.SEQ_WORDS * sequences; }
    int idList() { return segmentList() + 2 * segments; }
    int writes() { return even(idList() + ids); }
    int words() { return writes() + writeWords; }

    private static int even(int words) {
        return (words + 1) & ~1;
    }

    /** Words the arena's staged writes take. */
    static int writeWords(RunArena arena) {
        return 3 * arena.entryCount() + 2 * arena.pageWriteCount();
    }

    boolean fits(StepPlan p, RunArena arena) {
        return p.rows <= rows && p.logitRows <= logitRows && p.sequences <= sequences && p.segments <= segments
                && p.ids <= ids && writeWords(arena) <= writeWords && p.keys <= keys && p.results <= results;
    }

    /** A capacity that fits {@code p} and the staged writes, doubling what is short. */
    StepCapacity grownFor(StepPlan p, RunArena arena) {
        return new StepCapacity(grow(rows, p.rows), grow(logitRows, p.logitRows), grow(sequences, p.sequences),
                grow(segments, p.segments), grow(ids, p.ids), grow(writeWords, writeWords(arena)), grow(keys, p.keys),
                grow(results, p.results));
    }

    private static int grow(int have, int need) {
        int c = have;
        while (c < need) c *= 2;
        return c;
    }

    /**
     * Fills {@code host} (at least {@link #words()} ints) with the plan and the arena's staged
     * writes; returns how many words to send (everything up to the last staged write).
     */
    int write(MemorySegment host, StepPlan p, RunArena arena) {
        copy(host, tokens(), p.tokens);
        copy(host, positions(), p.positions);
        copy(host, writeSlots(), p.writeSlots);
        copy(host, keyStart(), p.keyStart);
        copy(host, keyCount(), p.keyCount);
        copy(host, logitRowIndex(), p.logitRowIndex);
        copy(host, sequenceRecords(), p.sequenceWords);
        copy(host, segmentList(), p.segmentWords);
        copy(host, idList(), p.idList);
        int entries = 3 * arena.entryCount(), pages = 2 * arena.pageWriteCount();
        MemorySegment.copy(arena.entries(), 0, host, JAVA_INT, 4L * writes(), entries);
        MemorySegment.copy(arena.pageWrites(), 0, host, JAVA_INT, 4L * (writes() + entries), pages);
        return writes() + entries + pages;
    }

    private static void copy(MemorySegment host, int word, int[] values) {
        MemorySegment.copy(values, 0, host, JAVA_INT, 4L * word, values.length);
    }
}
