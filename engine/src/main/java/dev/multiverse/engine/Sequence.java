package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * One sequence of a request's tree: the root, or a path forked at a {@code </Goal>}.
 *
 * <p>Its entry list is everything it sees, in order: for a path, its parent's entries at the fork
 * (the same {@link TokenEntry} objects, holding the same slots) and then its own. The slots of
 * that list are its whole attention context. Entries {@code [0, computed)} have their K/V in the
 * pool; the rest were appended since and go into the next step.
 */
final class Sequence implements TokenChooser.SequenceView {

    /** Where a sequence is in its life. */
    enum State {
        /** After its uncomputed tokens are computed, it chooses its next token. */
        RUNNING,
        /** Its uncomputed tokens end with the newline after {@code </Goal>}; then it forks. */
        FORKING,
        /** It has ended; it computes its remaining tokens so its parent can join them. */
        DRAINING,
        /** It waits for its children to end. */
        WAITING,
        /** Done; its slots belong to its parent's list (or are released). */
        ENDED
    }

    final RequestState request;
    final Sequence parent;
    final int depth;
    final String outlineId;
    final String pathKey;
    final List<TokenEntry> entries;
    final int ownStart;
    final TokenChooser chooser;
    final SequenceTrace trace;

    State state = State.RUNNING;
    EndReason endReason;
    int computed;
    int nextPosition;
    /** The logits after entry {@code computed - 1}: the distribution of the next token; null before any. */
    float[] nextLogits;
    /** Index in {@link #entries} of the {@code <Goal>} still open, or -1. */
    int goalStart = -1;
    /** Outline ids to fork once FORKING completes. */
    List<String> pendingFork = List.of();
    /** Remarks for the block about to fork (outlines left out by the paths cap). */
    List<String> pendingForkNotes = List.of();
    List<Sequence> children = List.of();
    BlockTrace openBlock;
    int blocksForked;
    /** Whether a Conclusion the engine or the model opened is still open. */
    boolean conclusionOpen;
    /** The slot of each entry, in order (a copy kept for building steps without walking the list). */
    private int[] slotIds;
    /** Whether this sequence gave back its hold on its slots. */
    boolean released;

    private Sequence(RequestState request, Sequence parent, int depth, String outlineId, String pathKey,
                     List<TokenEntry> entries, int computed, int nextPosition, TokenChooser chooser) {
        this.request = request;
        this.parent = parent;
        this.depth = depth;
        this.outlineId = outlineId;
        this.pathKey = pathKey;
        this.entries = entries;
        this.ownStart = entries.size();
        this.computed = computed;
        this.nextPosition = nextPosition;
        this.chooser = chooser;
        this.trace = new SequenceTrace(outlineId, pathKey, depth);
        this.slotIds = new int[Math.max(16, entries.size() * 2)];
        for (int i = 0; i < entries.size(); i++) slotIds[i] = entries.get(i).slot();
    }

    /** The root sequence of a request, with no entries yet. */
    static Sequence root(RequestState request, TokenChooser chooser) {
        return new Sequence(request, null, 0, "", "", new ArrayList<>(), 0, 0, chooser);
    }

    /**
     * A child of {@code parent} that sees all of its (computed) entries and starts at {@code
     * position}.
     */
    static Sequence child(Sequence parent, String outlineId, String pathKey, int position, TokenChooser chooser) {
        var seen = new ArrayList<>(parent.entries);
        var child = new Sequence(parent.request, parent, parent.depth + 1, outlineId, pathKey, seen,
                parent.computed, position, chooser);
        child.nextLogits = parent.nextLogits;
        return child;
    }

    /**
     * The key of this sequence in its request's tree, which seeds its random stream: "" for the
     * root; for a path, its parent's key, "/", the ordinal of the block within the parent (from 0),
     * ":" and its Outline id, e.g. {@code "/0:2/1:2.1"}.
     */
    String pathKey() {
        return pathKey;
    }

    boolean isRoot() {
        return parent == null;
    }

    int uncomputed() {
        return entries.size() - computed;
    }

    /** Whether the next step should feed this sequence's uncomputed tokens. */
    boolean wantsStep() {
        return uncomputed() > 0 && (state == State.RUNNING || state == State.FORKING || state == State.DRAINING);
    }

    TokenEntry last() {
        return entries.get(entries.size() - 1);
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public int token(int index) {
        return entries.get(index).token();
    }

    @Override
    public int choosableIds() {
        return request.choosableIds;
    }

    /** The tokens {@code entries[from, to)}. */
    int[] tokens(int from, int to) {
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) out[i - from] = entries.get(i).token();
        return out;
    }

    /** The slots of {@code entries[from, to)}. */
    int[] slots(int from, int to) {
        return java.util.Arrays.copyOfRange(slotIds, from, to);
    }

    /** Adds {@code entry} at the end of the list. */
    void add(TokenEntry entry) {
        if (entries.size() == slotIds.length) slotIds = java.util.Arrays.copyOf(slotIds, slotIds.length * 2);
        slotIds[entries.size()] = entry.slot();
        entries.add(entry);
    }

    /** Removes and returns the last entry. */
    TokenEntry removeLast() {
        return entries.remove(entries.size() - 1);
    }
}
