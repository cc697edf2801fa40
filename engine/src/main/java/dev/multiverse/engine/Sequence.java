package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import java.util.ArrayList;
import java.util.List;

/**
 * One sequence of a request's tree: the root, or a path forked at a {@code </Goal>}.
 *
 * <p>What it sees is its {@link #chain} of sealed runs (shared with its siblings: its parent's
 * chain and its parent's own run at the fork) followed by its {@link #own} run. Its own run's
 * entries {@code [0, own.sent)} have their K/V in the pool; the rest were appended since and go
 * into the next steps. Indices into "what it sees" run over the chain, then the own run.
 */
final class Sequence {

    /** Where a sequence is in its life. */
    enum State {
        /** After its uncomputed tokens are computed, it takes its next token. */
        RUNNING,
        /** Its uncomputed tokens end with the newline after {@code </Goal>}; then it forks. */
        FORKING,
        /** It has ended; it computes its remaining tokens so its parent can join them. */
        DRAINING,
        /** It waits for its children to end. */
        WAITING,
        /** Done; its runs belong to its parent's chain (or are released). */
        ENDED
    }

    final RequestState request;
    final Sequence parent;
    final int depth;
    final String outlineId;
    final String pathKey;
    /** Where its own part of the text starts in what it sees (the prompt's start for the root). */
    final int ownStart;
    final TokenChooser chooser;
    final SequenceTrace trace;

    /** The sealed runs it sees before its own run, immutable and shared with its siblings. */
    List<SlotRun> chain;
    /** The ids of {@link #chain} followed by {@link #own}'s, as a step names them. */
    long[] runIds;
    /** How many entries the chain holds. */
    int chainSize;
    SlotRun own;

    State state = State.RUNNING;
    EndReason endReason;
    int nextPosition;
    /** What the backend read after the last computed entry (its next-token distribution); null before any. */
    NextToken next;
    /** How the step in flight decides its next token (a script's END included). */
    Pick planned;
    /** Index (in what it sees) of the {@code <Goal>} still open, or -1. */
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
    /** Whether this sequence gave back its hold on its runs. */
    boolean released;

    private Sequence(RequestState request, Sequence parent, int depth, String outlineId, String pathKey,
                     List<SlotRun> chain, int chainSize, SlotRun own, int nextPosition, TokenChooser chooser) {
        this.request = request;
        this.parent = parent;
        this.depth = depth;
        this.outlineId = outlineId;
        this.pathKey = pathKey;
        this.ownStart = chainSize;
        this.chooser = chooser;
        this.trace = new SequenceTrace(outlineId, pathKey, depth);
        this.nextPosition = nextPosition;
        relink(chain, chainSize, own);
    }

    /** The root sequence of a request, with one empty run. */
    static Sequence root(RequestState request, TokenChooser chooser, SlotRun run) {
        return new Sequence(request, null, 0, "", "", List.of(), 0, run, 0, chooser);
    }

    /**
     * A child of {@code parent} that sees {@code chain} (the parent's chain and own run, shared by
     * every child of the fork), then {@code own}, from {@code position} on.
     */
    static Sequence child(Sequence parent, List<SlotRun> chain, SlotRun own, String outlineId, String pathKey,
                          int position, TokenChooser chooser) {
        var child = new Sequence(parent.request, parent, parent.depth + 1, outlineId, pathKey, chain, parent.size(), own,
                position, chooser);
        child.next = parent.next;
        return child;
    }

    /** Makes {@code chain} then {@code own} what this sequence sees. */
    void relink(List<SlotRun> newChain, int newChainSize, SlotRun newOwn) {
        chain = newChain;
        chainSize = newChainSize;
        own = newOwn;
        runIds = new long[chain.size() + 1];
        for (int i = 0; i < chain.size(); i++) runIds[i] = chain.get(i).id;
        runIds[chain.size()] = own.id;
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

    /** How many entries it sees. */
    int size() {
        return chainSize + own.size();
    }

    int uncomputed() {
        return own.size() - own.sent;
    }

    /** Whether the next step should feed this sequence's uncomputed tokens. */
    boolean wantsStep() {
        return uncomputed() > 0 && (state == State.RUNNING || state == State.FORKING || state == State.DRAINING);
    }

    TokenEntry last() {
        return own.get(own.size() - 1);
    }

    /** The tokens it sees at indices {@code [from, to)}: O(runs + to - from). */
    int[] tokens(int from, int to) {
        int[] out = new int[to - from];
        int base = 0;
        for (int r = 0; r <= chain.size(); r++) {
            SlotRun run = r < chain.size() ? chain.get(r) : own;
            int lo = Math.max(from, base), hi = Math.min(to, base + run.size());
            for (int i = lo; i < hi; i++) out[i - from] = run.get(i - base).token();
            base += run.size();
        }
        return out;
    }

    /** Every entry it sees, in order (for the finished request's result: O(size)). */
    List<TokenEntry> entries() {
        var out = new ArrayList<TokenEntry>(size());
        for (SlotRun run : chain) out.addAll(run.entries);
        out.addAll(own.entries);
        return out;
    }

    /** Adds {@code entry} at the end of its own run. */
    void add(TokenEntry entry) {
        own.entries.add(entry);
    }

    /** Removes and returns the last entry of its own run (never a sent one). */
    TokenEntry removeLast() {
        if (own.size() == own.sent) throw new IllegalStateException(pathKey + ": removing an entry the backend holds");
        return own.entries.remove(own.size() - 1);
    }
}
