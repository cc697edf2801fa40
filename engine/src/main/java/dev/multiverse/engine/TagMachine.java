package dev.multiverse.engine;

import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.SequenceResult;
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
 *   <li>The end of a sequence (EOS, a stop string, a script's end): the root finishes the
 *       request; a path is closed by the engine with {@code "</Path>\n"} (EOS and stop string;
 *       the EOS itself is not kept) so the Conclusion sees a well-formed path.
 * </ul>
 *
 * <p>Every other tag, {@code </Conclusion>} anywhere included, is plain text; one with no open
 * Conclusion is noted.
 */
final class TagMachine {
    private static final int[] NO_IDS = new int[0];
    private final TreeContext tree;
    private final ForkJoin forkJoin;

    TagMachine(TreeContext tree, ForkJoin forkJoin) {
        this.tree = tree;
        this.forkJoin = forkJoin;
    }

    /**
     * Scores the rows a step computed for {@code seq} (row r's token from what the backend read
     * after row r - 1, the first from what it read after the step before), then moves the
     * sequence on once nothing is left uncomputed.
     */
    void afterCompute(Sequence seq, SequenceResult result, Readout readout, int rows) {
        SlotRun own = seq.own;
        int from = own.sent - rows;
        for (int r = 0; r < rows; r++) {
            TokenEntry e = own.get(from + r);
            if (!tree.config.scoreTokens() || e.origin() == TokenEntry.Origin.PROMPT || !Double.isNaN(e.logprob())) continue;
            double lp = r == 0 ? (seq.next == null ? Double.NaN : seq.next.logprob(e.token()))
                    : r - 1 < result.rowLogprobs().length ? result.rowLogprobs()[r - 1] : Double.NaN;
            if (Double.isNaN(lp)) throw new IllegalStateException("no log-prob for token " + (seq.ownStart + from + r) + " of '" + seq.pathKey + "'");
            e.setLogprob(lp);
        }
        seq.next = NextToken.of(result, readout);
        if (seq.uncomputed() > 0) return;
        switch (seq.state) {
            case DRAINING -> forkJoin.end(seq, seq.endReason);
            case FORKING -> forkJoin.fork(seq);
            case RUNNING -> advance(seq);
            default -> throw new IllegalStateException(seq.pathKey + " computed in state " + seq.state);
        }
    }

    /**
     * What a sequence whose step computes everything it has pending wants back: for a RUNNING one, its
     * next token as its chooser plans it; the log-probs of the tags the engine may insert next
     * (a child's {@code <Path>} after a fork, a path's {@code </Path>} after EOS, the
     * {@code <Conclusion>} after a path's end); the top alternatives its listener asks for.
     */
    Readout readoutOf(Sequence seq, boolean rowLogprobs) {
        MultiverseTags tags = tree.vocabulary.tags();
        return switch (seq.state) {
            case FORKING -> new Readout(rowLogprobs, Pick.none(), new int[] {tags.path()}, 0, false);
            case DRAINING -> new Readout(rowLogprobs, Pick.none(), new int[] {tags.conclusion()}, 0, false);
            case RUNNING -> {
                Pick pick = seq.chooser.next(seq.request.choosableIds);
                seq.planned = pick;
                int[] ids = seq.isRoot() ? NO_IDS : new int[] {tags.pathEnd(), tags.conclusion()};
                int top = pick.kind() == Pick.Kind.CHOSEN ? seq.request.request.listener().topLogprobs() : 0;
                yield new Readout(rowLogprobs, pick, ids, top, false);
            }
            default -> throw new IllegalStateException(seq.pathKey + " steps in state " + seq.state);
        };
    }

    /** Appends the next token of a RUNNING sequence as its step picked it, or ends it. */
    private void advance(Sequence seq) {
        EndReason broken = tree.budgetFor(seq, 1);
        if (broken != null) {
            forkJoin.endForBudget(seq, broken);
            return;
        }
        Pick pick = seq.planned;
        seq.planned = null;
        if (pick == null || pick.isNone()) {
            forkJoin.finish(seq, EndReason.END_OF_SCRIPT);
            return;
        }
        SequenceResult picked = seq.next.result();
        int token = picked.token();
        int limit = seq.request.choosableIds;
        if (token < 0 || token >= limit)
            throw new IllegalStateException("the chooser of " + describe(seq) + " picked token " + token
                    + " outside the vocabulary of " + limit);
        if (tree.vocabulary.isEndOfSequence(token)) {
            endByModel(seq, EndReason.EOS);
            return;
        }
        if (pick.kind() == Pick.Kind.CHOSEN && picked.topIds().length > 0)
            seq.request.request.listener().onAlternatives(seq.request.id(), seq.pathKey, picked.topIds(), picked.topLogprobs());
        tree.append(seq, token, TokenEntry.Origin.SAMPLED);
        seq.chooser.picked(token);
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
        if (forkJoin.force(seq, tree.vocabulary.tags().pathEnd(), tree.newline)) forkJoin.finish(seq, reason);
    }

    private void react(Sequence seq, int token) {
        MultiverseTags tags = tree.vocabulary.tags();
        int index = seq.size() - 1;
        if (token == tags.goal()) {
            seq.goalStart = index;
        } else if (token == tags.goalEnd()) {
            decideFork(seq, index);
        } else if (token == tags.pathEnd()) {
            if (seq.isRoot()) {
                seq.trace.note("</Path> outside any path at token " + index + ": kept as text");
            } else if (forkJoin.force(seq, tree.newline)) {
                forkJoin.finish(seq, EndReason.PATH_END);
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
        if (!forkJoin.force(seq, tree.newline)) return;
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
        int from = Math.max(start, seq.size() - (4 * longest + 4));
        String recent = tree.vocabulary.decode(seq.tokens(from, seq.size()));
        for (String s : stops) if (recent.contains(s)) return true;
        return false;
    }

    private static String describe(Sequence seq) {
        return seq.isRoot() ? "the root" : "path " + seq.outlineId + " (" + seq.pathKey + ")";
    }
}
