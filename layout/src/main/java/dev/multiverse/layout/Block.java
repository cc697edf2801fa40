package dev.multiverse.layout;

import java.util.List;

/**
 * One {@code <Parallel>} block as the layout sees it (how broken text forms blocks is written in
 * {@code docs/layout.md} and on {@link StructureParser}).
 *
 * @param id            index in {@link Layout#blocks()}: blocks are numbered in the order of their
 *                      {@code <Parallel>} tokens, so a parent's id is smaller than its children's
 * @param parent        id of the innermost block that was open at this block's {@code <Parallel>},
 *                      or -1 for a top-level block
 * @param parentPath    index, in the parent's {@link #paths()}, of the path this block lies in; -1
 *                      when it is top-level or lies outside the parent's paths (before the first
 *                      path or in the conclusion: a grammar break)
 * @param depth         0 for a top-level block, parent's depth + 1 otherwise
 * @param parallelIndex token index of the block's {@code <Parallel>}
 * @param forkIndex     token index of the {@code </Goal>} at which the block forked, or -1: a block
 *                      takes paths only after it
 * @param paths         the path spans, in text order
 * @param conclusionIndex token index of the block's {@code <Conclusion>}, or -1
 * @param closeIndex    token index of the block's {@code </Parallel>}, or -1 when it was closed
 *                      implicitly or the text ended first
 * @param end           exclusive end of the block: {@code closeIndex + 1}, or the index of the tag
 *                      that closed it implicitly, or the text length
 * @param children      blocks whose parent this is, in text order
 */
public record Block(
        int id, int parent, int parentPath, int depth,
        int parallelIndex, int forkIndex,
        List<PathSpan> paths, int conclusionIndex, int closeIndex, int end,
        List<Block> children) {

    public Block {
        paths = List.copyOf(paths);
        children = List.copyOf(children);
    }

    /**
     * The token that joins the paths: it gets (largest position of any path) + 1 and every later
     * token sees all paths. The {@code <Conclusion>}; for a block with paths but no conclusion, its
     * {@code </Parallel>}; -1 when there is none (no paths, or the text ends inside the last path).
     */
    public int joinIndex() {
        if (conclusionIndex >= 0) return conclusionIndex;
        return !paths.isEmpty() && closeIndex >= 0 ? closeIndex : -1;
    }
}
