package dev.multiverse.engine;

import java.util.List;

/**
 * The tree of one request as JSON-ready records: the root path with its blocks, each block with
 * its paths in outline order, recursively; plus the request's notes and statistics.
 *
 * @param finishReason why the request stopped
 * @param promptTokens how many tokens the prompt had
 * @param root the root sequence
 * @param stats the request's figures
 */
public record Trace(String finishReason, int promptTokens, Path root, Stats stats) {

    /**
     * One sequence.
     *
     * @param id its Outline id ("" for the root)
     * @param key its unique key in the tree (see {@link Sequence#pathKey()})
     * @param depth 0 for the root, 1 for a top-level path, ...
     * @param tokens the tokens it appended itself (prompt included for the root), in order
     * @param positions their positions
     * @param startStep the engine step (request-relative, from 1) of its first computed token
     * @param endStep the step at which it ended
     * @param startMs milliseconds since the request's admission when it started
     * @param endMs milliseconds since admission when it ended
     * @param endReason why it ended
     * @param notes the engine's remarks on what it met (a malformed Goal, a stray tag, ...)
     * @param blocks the blocks it forked, in order
     */
    public record Path(String id, String key, int depth, int[] tokens, int[] positions, long startStep, long endStep,
                       double startMs, double endMs, String endReason, List<String> notes, List<Block> blocks) {}

    /**
     * One forked block.
     *
     * @param afterToken how many of the parent's own tokens come before the block's paths
     * @param outlineIds the ids of the paths forked, in outline order
     * @param notes remarks, such as outlines left unforked by the paths cap
     * @param paths the paths, in outline order
     */
    public record Block(int afterToken, List<String> outlineIds, List<String> notes, List<Path> paths) {}
}
