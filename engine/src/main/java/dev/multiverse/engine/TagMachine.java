package dev.multiverse.engine;

import dev.multiverse.contract.LogProbs;
import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sequence does after a step computed its pending tokens: score them, then choose its next
 * token and react to the tags it writes. The engine acts on three things only:
 *
 * <ul>
 *   <li>{@code </Goal>} with a well-formed Goal (see {@link GoalOutlines}) at a depth below the
 *       nesting limit: the newline is forced and the sequence forks, one path per Outline up to
 *       the paths cap. A malformed Goal, one without {@code <Goal>}, or one too deep: no fork, a
 *       note in the trace, decoding goes on.
 *   <li>{@code </Path>} in a path: the engine appends the newline and the path ends. In the root
 *       it is out of place: kept as text, noted.
 *   <li>The end of a sequence (EOS, a stop string, the chooser's END): the root finishes the
 *       request; a path is closed by the engine with {@code "</Path>\n"} (EOS and stop string;
 *       the EOS itself is not kept) so the Conclusion sees a well-formed path.
 * </ul>
 *
 * <p>Every other tag, {@code </Conclusion>} anywhere included, is plain text; one with no open
 * Conclusion is noted.
 */
final class TagMachine {
    private final TreeContext tree;
    private final ForkJoin forkJoin;

    TagMachine(TreeContext tree, ForkJoin forkJoin) {
        this.tree = tree;
        this.forkJoin = forkJoin;
    }

    /**
     * Scores the rows a step computed for {@code seq} ({@code logits[r]} follows the token of row
     * r), then moves the sequence on once nothing is left uncomputed.
     */
    void afterCompute(Sequence seq, float[][] logits, int rows) {
        int from = seq.computed;
        boolean all = logits.length == rows;
        for (int r = 0; r < rows; r++) {
            TokenEntry e = seq.entries.get(from + r);
            if (!tree.config.scoreTokens() || e.origin() == TokenEntry.Origin.PROMPT || !Double.isNaN(e.logprob())) continue;
            float[] before = r == 0 ? seq.nextLogits : (all ? logits[r - 1] : null);
            if (before == null) throw new IllegalStateException("no logits to score token " + (from + r) + " of " + seq.pathKey);
            e.setLogprob(LogProbs.logProb(before, e.token()));
        }
        seq.computed += rows;
        seq.nextLogits = logits[logits.length - 1];
        if (seq.uncomputed() > 0) return;
        switch (seq.state) {
            case DRAINING -> forkJoin.end(seq, seq.endReason);
            case FORKING -> forkJoin.fork(seq);
            case RUNNING -> advance(seq);
            default -> throw new IllegalStateException(seq.pathKey + " computed in state " + seq.state);
        }
    }

    /** Chooses and appends the next token of a RUNNING sequence, or ends it. */
    private void advance(Sequence seq) {
        EndReason broken = tree.budgetFor(seq, 1);
        if (broken != null) {
            forkJoin.endForBudget(seq, broken);
            return;
        }
        seq.request.request.listener().onLogits(seq.request.id(), seq.pathKey, seq.nextLogits);
        int token = seq.chooser.next(seq.nextLogits, seq);
        if (token == TokenChooser.END) {
            forkJoin.finish(seq, EndReason.END_OF_SCRIPT);
            return;
        }
        int limit = seq.choosableIds();
        if (token < 0 || token >= limit)
            throw new IllegalStateException("the chooser of " + describe(seq) + " returned token " + token
                    + " outside the vocabulary of " + limit);
        if (tree.vocabulary.isEndOfSequence(token)) {
            endByModel(seq, EndReason.EOS);
            return;
        }
        tree.append(seq, token, TokenEntry.Origin.SAMPLED);
        if (hitsStopString(seq)) {
            endByModel(seq, EndReason.STOP_STRING);
            return;
        }
        react(seq, token);
    }

    /** EOS or a stop string: the root finishes; a path is closed with "</Path>\n" and drains. */
    private void endByModel(Sequence seq, EndReason reason) {
        if (seq.isRoot()) {
            forkJoin.finish(seq, reason);
            return;
        }
        seq.trace.note(reason.label() + " inside path " + seq.outlineId + ": the engine closed it with </Path>");
        EndReason broken = tree.appendForced(seq, tree.vocabulary.tags().pathEnd(), tree.newline);
        if (broken != null) forkJoin.endForBudget(seq, broken);
        else forkJoin.finish(seq, reason);
    }

    private void react(Sequence seq, int token) {
        MultiverseTags tags = tree.vocabulary.tags();
        int index = seq.entries.size() - 1;
        if (token == tags.goal()) {
            seq.goalStart = index;
        } else if (token == tags.goalEnd()) {
            decideFork(seq, index);
        } else if (token == tags.pathEnd()) {
            if (seq.isRoot()) {
                seq.trace.note("</Path> outside any path at token " + index + ": kept as text");
            } else {
                EndReason broken = tree.appendForced(seq, tree.newline);
                if (broken != null) forkJoin.endForBudget(seq, broken);
                else forkJoin.finish(seq, EndReason.PATH_END);
            }
        } else if (token == tags.conclusion()) {
            seq.conclusionOpen = true;
        } else if (token == tags.conclusionEnd()) {
            if (!seq.conclusionOpen) seq.trace.note("</Conclusion> with no open Conclusion at token " + index + ": kept as text");
            seq.conclusionOpen = false;
        }
    }

    private void decideFork(Sequence seq, int index) {
        if (seq.goalStart < 0) {
            seq.trace.note("</Goal> without <Goal> at token " + index + ": no fork");
            return;
        }
        int[] body = seq.tokens(seq.goalStart + 1, index);
        seq.goalStart = -1;
        GoalOutlines.Result outlines = GoalOutlines.parse(body, tree.vocabulary);
        if (!outlines.wellFormed()) {
            seq.trace.note("malformed Goal ending at token " + index + " (" + outlines.problem() + "): no fork");
            return;
        }
        if (seq.depth >= tree.config.maxForkDepth()) {
            seq.trace.note("Goal at token " + index + " at depth " + seq.depth + ", the nesting limit is "
                    + tree.config.maxForkDepth() + ": no fork");
            return;
        }
        List<String> ids = outlines.ids();
        List<String> notes = new ArrayList<>();
        int cap = seq.request.request.budgets().maxPathsPerBlock();
        if (ids.size() > cap) {
            notes.add(ids.size() + " outlines, capped to " + cap + " paths; not forked: " + ids.subList(cap, ids.size()));
            ids = ids.subList(0, cap);
        }
        EndReason broken = tree.appendForced(seq, tree.newline);
        if (broken != null) {
            forkJoin.endForBudget(seq, broken);
            return;
        }
        seq.pendingFork = List.copyOf(ids);
        seq.pendingForkNotes = notes;
        seq.state = Sequence.State.FORKING;
    }

    /** Whether the sequence's generated text now contains one of the request's stop strings. */
    private boolean hitsStopString(Sequence seq) {
        List<String> stops = seq.request.request.sampling().stopStrings();
        if (stops.isEmpty()) return false;
        int longest = 0;
        for (String s : stops) longest = Math.max(longest, s.length());
        int start = seq.isRoot() ? seq.request.promptLength : seq.ownStart;
        int from = Math.max(start, seq.entries.size() - (4 * longest + 4));
        String recent = tree.vocabulary.decode(seq.tokens(from, seq.entries.size()));
        for (String s : stops) if (recent.contains(s)) return true;
        return false;
    }

    private static String describe(Sequence seq) {
        return seq.isRoot() ? "the root" : "path " + seq.outlineId + " (" + seq.pathKey + ")";
    }
}
