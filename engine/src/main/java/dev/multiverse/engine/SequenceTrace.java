package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/** What one sequence did, collected while it runs; frozen into a {@link Trace.Path} at the end. */
final class SequenceTrace {
    private final String outlineId;
    private final String pathKey;
    private final int depth;
    private final List<int[]> tokensAndPositions = new ArrayList<>();
    private final List<BlockTrace> blocks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private long startStep = -1;
    private long endStep = -1;
    private double startMs = Double.NaN;
    private double endMs = Double.NaN;
    private EndReason endReason;

    SequenceTrace(String outlineId, String pathKey, int depth) {
        this.outlineId = outlineId;
        this.pathKey = pathKey;
        this.depth = depth;
    }

    void started(long step, double ms) {
        startStep = step;
        startMs = ms;
    }

    void appended(int token, int position) {
        tokensAndPositions.add(new int[] {token, position});
    }

    /** Drops the last {@code n} tokens (ones a stopped request never computed). */
    void dropLast(int n) {
        for (int i = 0; i < n; i++) tokensAndPositions.remove(tokensAndPositions.size() - 1);
    }

    /** A block forked after this sequence's tokens so far. */
    BlockTrace forked(List<String> outlineIds, List<String> blockNotes) {
        var block = new BlockTrace(tokensAndPositions.size(), outlineIds, blockNotes);
        blocks.add(block);
        return block;
    }

    void note(String note) {
        notes.add(note);
    }

    void ended(EndReason reason, long step, double ms) {
        endReason = reason;
        endStep = step;
        endMs = ms;
    }

    Trace.Path freeze() {
        int[] tokens = new int[tokensAndPositions.size()];
        int[] positions = new int[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = tokensAndPositions.get(i)[0];
            positions[i] = tokensAndPositions.get(i)[1];
        }
        return new Trace.Path(outlineId, pathKey, depth, tokens, positions, startStep, endStep, startMs, endMs,
                endReason == null ? null : endReason.label(), notes,
                blocks.stream().map(BlockTrace::freeze).toList());
    }
}
