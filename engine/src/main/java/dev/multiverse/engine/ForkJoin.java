package dev.multiverse.engine;

import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The one owner of a sequence's life: the tree edits of spec section 4 (fork at {@code </Goal>},
 * the end of a path, the join when the last child of a block has ended, stopping a whole request)
 * and the engine's forced tokens, which may end a sequence when a budget would break.
 *
 * <p>Fork: the parent's chain and its own run become one shared chain; each child sees it (each
 * run held once more per child, O(children × runs), never O(tokens)) and gets a fresh own run,
 * starting at position {@code s + 1}, where s is the position of the newline after {@code </Goal>}
 * that the parent computed once for all; the engine forces {@code "<Path>\n" + id + ":"} into each
 * child.
 *
 * <p>Join: the parent's chain becomes its chain, its own run and, in outline order, what every
 * child added to the shared chain (the runs its own joins linked, then its own run), and it gets
 * a fresh own run; its next position is the largest position of any child + 1;
 * what it reads next is what its last child read after its last token (the token that precedes
 * the Conclusion in the merged text); the engine forces {@code "<Conclusion>\n"}. No K/V is copied
 * or recomputed. When a child ended on {@code max_tokens}, the parent ends there too: the critical
 * path is spent.
 */
final class ForkJoin {
    private final TreeContext tree;
    private final BiConsumer<RequestState, EndReason> finishRequest;

    ForkJoin(TreeContext tree, BiConsumer<RequestState, EndReason> finishRequest) {
        this.tree = tree;
        this.finishRequest = finishRequest;
    }

    /**
     * Appends engine-inserted tokens (all or none) and tells the chooser; if a budget would break,
     * ends the sequence for it instead. Returns whether the tokens were appended.
     */
    boolean force(Sequence seq, int... tokens) {
        EndReason broken = tree.budgetFor(seq, tokens.length);
        if (broken != null) {
            endForBudget(seq, broken);
            return false;
        }
        for (int t : tokens) {
            tree.append(seq, t, TokenEntry.Origin.FORCED);
            seq.chooser.forced(t);
        }
        return true;
    }

    /** Creates the children of a FORKING parent whose newline has just been computed. */
    void fork(Sequence parent) {
        RequestState req = parent.request;
        List<String> ids = parent.pendingFork;
        parent.pendingFork = List.of();
        int newlinePosition = parent.nextPosition - 1;
        int ordinal = parent.blocksForked++;
        parent.openBlock = parent.trace.forked(ids, parent.pendingForkNotes);
        parent.pendingForkNotes = List.of();
        var shared = new ArrayList<SlotRun>(parent.chain.size() + 1);
        shared.addAll(parent.chain);
        shared.add(parent.own);
        List<SlotRun> chain = List.copyOf(shared);
        var children = new ArrayList<Sequence>(ids.size());
        for (int k = 0; k < ids.size(); k++) {
            String id = ids.get(k);
            String key = parent.pathKey + "/" + ordinal + ":" + id;
            for (SlotRun run : chain) tree.retain(run);
            var child = Sequence.child(parent, chain, tree.newRun(), id, key, newlinePosition + 1,
                    parent.chooser.child(k, id, key));
            child.trace.started(req.steps, req.msSinceAdmission(tree.now()));
            parent.openBlock.addPath(child.trace);
            req.sequences.add(child);
            children.add(child);
        }
        req.paths += children.size();
        parent.children = children;
        parent.state = Sequence.State.WAITING;
        req.request.listener().onFork(req.id(), parent.pathKey,
                children.stream().map(c -> c.pathKey).toList(), ids);
        MultiverseTags tags = tree.vocabulary.tags();
        for (Sequence child : children) {
            if (child.state != Sequence.State.RUNNING) continue; // a budget stop below ended it
            int[] rest = tree.vocabulary.encodePlain("\n" + child.outlineId + ":");
            int[] header = new int[rest.length + 1];
            header[0] = tags.path();
            System.arraycopy(rest, 0, header, 1, rest.length);
            force(child, header);
        }
    }

    /**
     * Ends a sequence for {@code reason}: a path with tokens still uncomputed drains first (its
     * parent's join needs their K/V); otherwise it ends now.
     */
    void finish(Sequence seq, EndReason reason) {
        if (!seq.isRoot() && seq.uncomputed() > 0 && seq.request.stopping == null) {
            seq.state = Sequence.State.DRAINING;
            seq.endReason = reason;
        } else {
            end(seq, reason);
        }
    }

    /** Ends {@code seq} because a budget would break; the total cap stops the whole request. */
    void endForBudget(Sequence seq, EndReason broken) {
        if (broken == EndReason.MAX_TOTAL_TOKENS) stop(seq.request, broken);
        else finish(seq, broken);
    }

    /** Marks {@code seq} ended; the root finishes the request, the last child of a block joins it. */
    void end(Sequence seq, EndReason reason) {
        RequestState req = seq.request;
        seq.state = Sequence.State.ENDED;
        seq.endReason = reason;
        seq.trace.ended(reason, req.steps, req.msSinceAdmission(tree.now()));
        req.request.listener().onPathEnd(req.id(), seq.pathKey, reason);
        if (seq.isRoot()) {
            finishRequest.accept(req, reason);
            return;
        }
        Sequence parent = seq.parent;
        for (Sequence sibling : parent.children) if (sibling.state != Sequence.State.ENDED) return;
        join(parent);
    }

    private void join(Sequence parent) {
        RequestState req = parent.request;
        List<Sequence> children = parent.children;
        int largest = parent.nextPosition - 1;
        boolean allComputed = true;
        var linked = new ArrayList<SlotRun>(parent.chain.size() + 1 + children.size());
        linked.addAll(parent.chain);
        linked.add(parent.own);
        int size = parent.size(), shared = parent.chain.size() + 1;
        for (Sequence child : children) {
            // What a child adds: the runs of its own nested joins, then its own run.
            List<SlotRun> added = new ArrayList<>(child.chain.subList(shared, child.chain.size()));
            added.add(child.own);
            for (SlotRun run : added) {
                tree.retain(run);
                linked.add(run);
                size += run.size();
                for (TokenEntry e : run.entries) largest = Math.max(largest, e.position());
            }
            allComputed &= child.uncomputed() == 0;
        }
        for (Sequence child : children) tree.release(child);
        if (!allComputed && req.stopping == null)
            throw new IllegalStateException("request " + req.id() + ": joining " + parent.pathKey + " with uncomputed path tokens");
        parent.relink(List.copyOf(linked), size, tree.newRun());
        parent.nextPosition = largest + 1;
        parent.next = children.get(children.size() - 1).next;
        parent.children = List.of();
        parent.openBlock = null;
        parent.chooser.joined(children.stream().map(c -> c.chooser).toList());
        req.request.listener().onJoin(req.id(), parent.pathKey);
        if (req.stopping != null) {
            end(parent, req.stopping);
            return;
        }
        for (Sequence child : children) {
            if (child.endReason == EndReason.MAX_TOKENS) {
                // The critical path is spent: the Conclusion would lie beyond it.
                finish(parent, EndReason.MAX_TOKENS);
                return;
            }
        }
        parent.state = Sequence.State.RUNNING;
        if (force(parent, tree.vocabulary.tags().conclusion(), tree.newline)) parent.conclusionOpen = true;
    }

    /**
     * Stops every sequence of the request now (budget, deadline, cancellation): engine-inserted
     * tokens not yet scored are dropped, then every live sequence ends and the joins cascade to
     * the root without forcing anything, which finishes the request with what it has.
     */
    void stop(RequestState req, EndReason reason) {
        if (req.stopping != null || req.finished) return;
        req.stopping = reason;
        for (Sequence seq : List.copyOf(req.sequences)) {
            if (seq.state == Sequence.State.WAITING || seq.state == Sequence.State.ENDED) continue;
            dropUnscoredTail(seq);
            end(seq, reason);
        }
    }

    private void dropUnscoredTail(Sequence seq) {
        int dropped = 0;
        while (seq.own.size() > seq.own.sent) {
            TokenEntry last = seq.last();
            if (!Double.isNaN(last.logprob()) || last.origin() == TokenEntry.Origin.PROMPT) break;
            seq.removeLast();
            tree.pool.release(last.slot());
            seq.request.generated--;
            seq.nextPosition--;
            dropped++;
        }
        seq.trace.dropLast(dropped);
    }
}
