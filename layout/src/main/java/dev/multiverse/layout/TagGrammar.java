package dev.multiverse.layout;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Checks the tag structure of a text against the grammar (spec section 2), reporting every break
 * and recovering so that one mistake does not hide the next.
 *
 * <p>It keeps a stack of open elements (Think, blocks, Goal, Outline, Path, Conclusion). Where a
 * block begins and ends, and which block a {@code <Path>}, {@code <Conclusion>} or
 * {@code </Parallel>} belongs to, it takes from the {@link Structure}, so the breaks it reports
 * describe the same blocks the layout uses. Elements still open when the structure moves past them
 * are reported as unclosed and dropped. A closing tag closes the innermost open element of its
 * kind within the innermost block; with none there, it is stray.
 */
final class TagGrammar {

    /** An open element: its opening tag, where, and for blocks and their Goals the block id. */
    private record Frame(Tag tag, int openIndex, int block) {}

    private final Structure structure;
    private final List<GrammarBreak> breaks;
    private final Deque<Frame> open = new ArrayDeque<>();
    private final int[] outlines;      // [blocks] Outlines counted in the block's Goal
    private final boolean[] goalSeen;  // [blocks] the block has its Goal
    /** For each {@code <Outline>} token in a block's Goal, its 1-based number there; 0 otherwise. */
    final int[] outlineNumber;
    /** For each {@code <Outline>} token in a block's Goal, the block id; -1 otherwise. */
    final int[] outlineBlock;

    TagGrammar(Structure structure, List<GrammarBreak> breaks) {
        this.structure = structure;
        this.breaks = breaks;
        int blocks = structure.blocks().size();
        outlines = new int[blocks];
        goalSeen = new boolean[blocks];
        outlineNumber = new int[structure.length()];
        outlineBlock = new int[structure.length()];
        Arrays.fill(outlineBlock, -1);
    }

    void check() {
        Tag[] tags = structure.tags();
        if (tags.length == 0 || tags[0] != Tag.THINK) {
            report(0, Rule.THINK_MISSING, "the text does not begin with <Think>");
        }
        int previousTag = -1;
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] == null) continue;
            onTag(tags[i], i, previousTag);
            previousTag = i;
        }
        while (!open.isEmpty()) reportUnclosed(open.pop(), "the end of the text");
    }

    private void onTag(Tag tag, int i, int previousTag) {
        int b = structure.blockAt()[i];
        Frame top = open.peek();
        switch (tag) {
            case THINK -> {
                if (i == 0) open.push(new Frame(tag, i, -1));
                else report(i, Rule.THINK_OUT_OF_PLACE, "<Think> at " + i + ": only the first token may be <Think>");
            }
            case PARALLEL -> {
                if (top == null || (top.tag != Tag.THINK && top.tag != Tag.PATH)) {
                    report(i, Rule.BLOCK_OUTSIDE_THINK_OR_PATH, "<Parallel> at " + i + " is " + where(top)
                            + "; a block may stand only in the Think body or in a path");
                }
                open.push(new Frame(tag, i, b));
            }
            case GOAL -> {
                boolean first = top != null && top.tag == Tag.PARALLEL && previousTag == top.openIndex;
                if (first) goalSeen[top.block] = true;
                else report(i, Rule.GOAL_OUT_OF_PLACE, "<Goal> at " + i + " does not directly follow its block's <Parallel>");
                open.push(new Frame(tag, i, first ? top.block : -1));
            }
            case OUTLINE -> {
                if (top != null && top.tag == Tag.GOAL) {
                    if (top.block >= 0) {
                        outlineNumber[i] = ++outlines[top.block];
                        outlineBlock[i] = top.block;
                    }
                } else {
                    report(i, Rule.OUTLINE_OUTSIDE_GOAL, "<Outline> at " + i + " is " + where(top) + ", not in a Goal");
                }
                open.push(new Frame(tag, i, -1));
            }
            case PATH, CONCLUSION -> {
                if (b < 0) {
                    closeAllBlocks(i, tag);
                    report(i, tag == Tag.PATH ? Rule.PATH_OUTSIDE_BLOCK : Rule.CONCLUSION_OUTSIDE_BLOCK, tag.text()
                            + " at " + i + " has no open block that has forked (at its </Goal>) and not concluded;"
                            + " laid out as text");
                    return;
                }
                closeDownTo(b, i, tag);
                if (tag == Tag.CONCLUSION) checkPathCount(b, i);
                open.push(new Frame(tag, i, -1));
            }
            case PARALLEL_END -> {
                if (b < 0) {
                    report(i, Rule.STRAY_CLOSING_TAG, "</Parallel> at " + i + " but no block is open");
                    return;
                }
                closeDownTo(b, i, tag);
                open.pop();
                if (block(b).conclusionIndex() < 0) {
                    checkPathCount(b, i);
                    report(i, Rule.CONCLUSION_MISSING, "block at " + block(b).parallelIndex()
                            + " is closed at " + i + " without a <Conclusion>");
                }
            }
            case GOAL_END -> {
                Frame goal = closeInnermost(Tag.GOAL_END, i);
                if (goal != null) {
                    if (goal.block >= 0 && outlines[goal.block] == 0) {
                        report(goal.openIndex, Rule.GOAL_WITHOUT_OUTLINE, "Goal at " + goal.openIndex + " has no <Outline>");
                    }
                } else if (b >= 0) {
                    report(i, Rule.GOAL_MISSING, "</Goal> at " + i + " without <Goal>; block at "
                            + block(b).parallelIndex() + " forks here");
                } else {
                    report(i, Rule.STRAY_CLOSING_TAG, "</Goal> at " + i + " but no Goal is open");
                }
            }
            case THINK_END, OUTLINE_END, PATH_END, CONCLUSION_END -> {
                if (closeInnermost(tag, i) == null) {
                    Frame block = open.stream().filter(f -> f.tag == Tag.PARALLEL).findFirst().orElse(null);
                    report(i, Rule.STRAY_CLOSING_TAG, tag.text() + " at " + i + " but no " + tag.opening().text()
                            + " is open" + (block == null ? "" : " in the block at " + block.openIndex));
                }
            }
        }
    }

    /**
     * Closes the innermost open element that {@code closing} closes, if there is one above the
     * innermost block; null otherwise.
     */
    private Frame closeInnermost(Tag closing, int i) {
        for (Frame f : open) {
            if (f.tag == closing.opening()) {
                while (open.peek() != f) reportUnclosed(open.pop(), closing.text() + " at " + i);
                return open.pop();
            }
            if (f.tag == Tag.PARALLEL) return null;
        }
        return null;
    }

    /** Drops every element above block {@code b}'s frame: the structure has moved past them. */
    private void closeDownTo(int b, int i, Tag at) {
        while (!(open.peek().tag == Tag.PARALLEL && open.peek().block == b)) {
            reportUnclosed(open.pop(), at.text() + " at " + i);
        }
    }

    /** The structure closed every open block before a tag no block could take. */
    private void closeAllBlocks(int i, Tag at) {
        while (open.stream().anyMatch(f -> f.tag == Tag.PARALLEL)) {
            reportUnclosed(open.pop(), at.text() + " at " + i);
        }
    }

    private void checkPathCount(int b, int i) {
        int paths = block(b).paths().size();
        int at = block(b).parallelIndex();
        if (paths == 0) {
            report(i, Rule.BLOCK_WITHOUT_PATH, "block at " + at + " has no path");
        } else if (goalSeen[b] && paths != outlines[b]) {
            report(i, Rule.PATH_COUNT_MISMATCH, "block at " + at + " has " + paths + " paths for "
                    + outlines[b] + " outlines");
        }
    }

    private void reportUnclosed(Frame f, String before) {
        String what = f.tag == Tag.PARALLEL && block(f.block).forkIndex() < 0
                ? " (the block never forked: no </Goal>)" : "";
        report(f.openIndex, Rule.UNCLOSED_TAG, f.tag.text() + " at " + f.openIndex + " is not closed before "
                + before + what);
    }

    private static String where(Frame top) {
        return top == null ? "outside <Think>" : "inside " + top.tag.text() + " at " + top.openIndex;
    }

    private Block block(int id) {
        return structure.blocks().get(id);
    }

    private void report(int index, Rule rule, String message) {
        breaks.add(new GrammarBreak(index, rule, message));
    }
}
