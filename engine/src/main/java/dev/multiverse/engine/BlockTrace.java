package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/** One forked block, collected while it runs. */
final class BlockTrace {
    private final int afterToken;
    private final List<String> outlineIds;
    private final List<String> notes;
    private final List<SequenceTrace> paths = new ArrayList<>();

    BlockTrace(int afterToken, List<String> outlineIds, List<String> notes) {
        this.afterToken = afterToken;
        this.outlineIds = List.copyOf(outlineIds);
        this.notes = new ArrayList<>(notes);
    }

    void addPath(SequenceTrace path) {
        paths.add(path);
    }

    Trace.Block freeze() {
        return new Trace.Block(afterToken, outlineIds, notes, paths.stream().map(SequenceTrace::freeze).toList());
    }
}
