package dev.multiverse.layout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Finds the blocks of a token sequence from its tags alone, for any input. One pass, a stack of
 * open blocks; only five tags shape the layout:
 *
 * <ol>
 *   <li>{@code <Parallel>} opens a block inside the innermost open block (or at the top level).
 *   <li>{@code </Goal>} forks the innermost open block if it has not forked yet. A block takes
 *       paths only once forked, as an engine forks only when the Goal is closed.
 *   <li>{@code <Path>} starts a new path of the innermost open block if that block has forked and
 *       has no {@code <Conclusion>} yet. Otherwise that block is closed implicitly at this token
 *       and the rule is tried on the next block out; when no block is left the {@code <Path>} is
 *       text.
 *   <li>{@code <Conclusion>}: the same rule, and it becomes the block's conclusion.
 *   <li>{@code </Parallel>} closes the innermost open block; with none open it is text.
 * </ol>
 *
 * Every other tag ({@code </Path>} included) leaves the layout alone: a path ends where the next
 * sibling {@code <Path>} or the block's join token begins, never at {@code </Path>}. A block closed
 * implicitly has either no paths or a conclusion, so its paths always end before the closing
 * token; a block still open at the end of the text has its last path run to the end.
 */
final class StructureParser {

    /** A block while its tokens are being read. */
    private static final class OpenBlock {
        final int id, parent, parentPath, depth, parallelIndex;
        int forkIndex = -1, conclusionIndex = -1, closeIndex = -1, end = -1;
        final List<Integer> pathStarts = new ArrayList<>();

        OpenBlock(int id, int parent, int parentPath, int depth, int parallelIndex) {
            this.id = id;
            this.parent = parent;
            this.parentPath = parentPath;
            this.depth = depth;
            this.parallelIndex = parallelIndex;
        }

        boolean takesPathOrConclusion() {
            return forkIndex >= 0 && conclusionIndex < 0;
        }
    }

    private StructureParser() {}

    static Structure parse(Tag[] tags) {
        int n = tags.length;
        int[] blockAt = new int[n];
        Arrays.fill(blockAt, -1);
        List<OpenBlock> all = new ArrayList<>();
        Deque<OpenBlock> open = new ArrayDeque<>();

        for (int i = 0; i < n; i++) {
            Tag tag = tags[i];
            if (tag == null) continue;
            OpenBlock top = open.peek();
            switch (tag) {
                case PARALLEL -> {
                    int parentPath = top == null || top.conclusionIndex >= 0 ? -1 : top.pathStarts.size() - 1;
                    var b = new OpenBlock(all.size(), top == null ? -1 : top.id, parentPath,
                            top == null ? 0 : top.depth + 1, i);
                    all.add(b);
                    open.push(b);
                    blockAt[i] = b.id;
                }
                case GOAL_END -> {
                    if (top != null && top.forkIndex < 0 && top.conclusionIndex < 0) {
                        top.forkIndex = i;
                        blockAt[i] = top.id;
                    }
                }
                case PATH, CONCLUSION -> {
                    while (!open.isEmpty() && !open.peek().takesPathOrConclusion()) {
                        open.pop().end = i;
                    }
                    OpenBlock taker = open.peek();
                    if (taker != null) {
                        if (tag == Tag.PATH) taker.pathStarts.add(i);
                        else taker.conclusionIndex = i;
                        blockAt[i] = taker.id;
                    }
                }
                case PARALLEL_END -> {
                    if (top != null) {
                        open.pop();
                        top.closeIndex = i;
                        top.end = i + 1;
                        blockAt[i] = top.id;
                    }
                }
                default -> { }
            }
        }
        for (OpenBlock b : open) b.end = n;
        return new Structure(tags, freeze(all), blockAt);
    }

    /** Immutable blocks; built from the last id down, so children exist before their parent. */
    private static List<Block> freeze(List<OpenBlock> all) {
        Block[] done = new Block[all.size()];
        List<List<Block>> children = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) children.add(new ArrayList<>());
        for (int id = all.size() - 1; id >= 0; id--) {
            OpenBlock b = all.get(id);
            List<Block> kids = children.get(id).reversed();
            done[id] = new Block(b.id, b.parent, b.parentPath, b.depth, b.parallelIndex, b.forkIndex,
                    spans(b), b.conclusionIndex, b.closeIndex, b.end, kids);
            if (b.parent >= 0) children.get(b.parent).add(done[id]);
        }
        return List.of(done);
    }

    private static List<PathSpan> spans(OpenBlock b) {
        List<PathSpan> spans = new ArrayList<>(b.pathStarts.size());
        for (int k = 0; k < b.pathStarts.size(); k++) {
            int end = k + 1 < b.pathStarts.size() ? b.pathStarts.get(k + 1)
                    : b.conclusionIndex >= 0 ? b.conclusionIndex
                    : b.closeIndex >= 0 ? b.closeIndex
                    : b.end;
            spans.add(new PathSpan(b.pathStarts.get(k), end));
        }
        return spans;
    }
}
