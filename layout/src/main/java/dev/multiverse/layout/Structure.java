package dev.multiverse.layout;

import java.util.List;

/**
 * What the tag-structure parser found: the blocks, and for every tag token the block it acted on.
 *
 * @param tags    the tag of each token, {@code null} for text
 * @param blocks  all blocks, by id (the order of their {@code <Parallel>} tokens)
 * @param blockAt for a tag token, the id of the block it acted on, else -1: the block a
 *                {@code <Parallel>} opened, a {@code </Goal>} forked, a {@code <Path>} added a path
 *                to, a {@code <Conclusion>} concluded, a {@code </Parallel>} closed; -1 for a
 *                {@code <Path>}, {@code <Conclusion>} or {@code </Parallel>} that no open block could
 *                take (laid out as text), and for every other tag
 */
record Structure(Tag[] tags, List<Block> blocks, int[] blockAt) {

    int length() {
        return tags.length;
    }

    /** Top-level blocks, in text order; the others hang below them in {@link Block#children()}. */
    List<Block> roots() {
        return blocks.stream().filter(b -> b.parent() < 0).toList();
    }
}
