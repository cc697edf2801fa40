package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only run of a request tree's entries, the unit contexts are made of: the root's text
 * up to its first fork, each path's own tokens, the root's text between two blocks, and so on. A
 * sequence's context is a chain of runs; siblings share the runs of their chain by reference, so
 * a fork adds one run per child and copies nothing.
 *
 * <p>The backend holds a copy of every run that has been sent: {@link #sent} entries of it, each
 * sent once. Only the unsent tail may change (the engine drops engine-inserted tokens there when a
 * request stops). A run that some chain reads whole is sealed: nothing is appended to it again.
 */
final class SlotRun {
    final long id;
    final List<TokenEntry> entries = new ArrayList<>();
    /** Entries {@code [0, sent)} are in the backend's copy (and computed, once their step returns). */
    int sent;
    /** How many sequences hold this run in their chain or as their own run; at 0 its slots are freed. */
    int holders = 1;

    SlotRun(long id) {
        this.id = id;
    }

    int size() {
        return entries.size();
    }

    TokenEntry get(int i) {
        return entries.get(i);
    }
}
