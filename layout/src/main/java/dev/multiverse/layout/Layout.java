package dev.multiverse.layout;

import dev.multiverse.tokenizer.MultiverseTags;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The Multiverse layout of a token sequence (spec section 3): a position id for every token, which
 * earlier tokens each one may attend to, the blocks that cause both, and where the text breaks
 * the grammar (spec section 2).
 *
 * <p>Defined for every input. Only the twelve tag ids matter; every other token is text. How
 * broken text forms blocks is written on {@link StructureParser} and in {@code docs/layout.md}; in
 * short, a block forks at its {@code </Goal>}, a {@code <Path>} or {@code <Conclusion>} belongs to
 * the innermost open block that has forked and not yet concluded, and {@code </Path>} does not
 * shape the layout at all.
 *
 * <pre>{@code
 * Layout layout = Layout.of(tokens, tokenizer.tags(), tokenizer::tokenText);
 * layout.position(i); layout.sees(i, j); layout.breaks();
 * }</pre>
 */
public final class Layout {
    private final Structure structure;
    private final int[] positions;
    private final PathTree pathTree;
    private final List<GrammarBreak> breaks;
    private final int criticalPath;

    private Layout(Structure structure, int[] positions, List<GrammarBreak> breaks) {
        this.structure = structure;
        this.positions = positions;
        this.pathTree = new PathTree(structure);
        this.breaks = breaks;
        int max = -1;
        for (int p : positions) max = Math.max(max, p);
        this.criticalPath = max + 1;
    }

    /** Layout and tag-structure checks. */
    public static Layout of(int[] tokens, MultiverseTags tags) {
        return of(tokens, tags, GrammarOptions.tagsOnly());
    }

    /** Layout, tag-structure checks and text checks; {@code tokenText} decodes one token id. */
    public static Layout of(int[] tokens, MultiverseTags tags, IntFunction<String> tokenText) {
        return of(tokens, tags, GrammarOptions.withText(tokenText));
    }

    public static Layout of(int[] tokens, MultiverseTags tags, GrammarOptions options) {
        Structure structure = StructureParser.parse(Tag.classify(tokens, tags));
        return new Layout(structure, Positions.compute(structure), GrammarChecker.check(structure, tokens, options));
    }

    /** Number of tokens. */
    public int length() {
        return positions.length;
    }

    /** Position id of token {@code i} (the RoPE position). */
    public int position(int i) {
        return positions[i];
    }

    /** Position ids of all tokens (a copy). */
    public int[] positions() {
        return positions.clone();
    }

    /**
     * Whether token {@code query} may attend to token {@code key}: {@code key <= query} and the two
     * are not in two different sibling paths of one block. O(nesting depth).
     */
    public boolean sees(int query, int key) {
        if (query < 0 || query >= length() || key < 0 || key >= length()) {
            throw new IndexOutOfBoundsException("token pair (" + query + ", " + key + ") outside [0, " + length() + ")");
        }
        return pathTree.sees(query, key);
    }

    /**
     * For every token, the latest earlier token it sees (-1 for the first): the row whose logits
     * predict it in a single forward pass. For the {@code <Path>} of a second or later path that is
     * the token before the block's first {@code <Path>}, the row an engine has when it forks.
     */
    public int[] predecessors() {
        int[] pred = new int[length()];
        for (int j = 0; j < pred.length; j++) {
            int k = j - 1;
            while (k >= 0 && !pathTree.sees(j, k)) k--;
            pred[j] = k;
        }
        return pred;
    }

    /** All blocks, by id: in the order of their {@code <Parallel>} tokens, nested ones included. */
    public List<Block> blocks() {
        return structure.blocks();
    }

    /** The top-level blocks; nested ones hang below them in {@link Block#children()}. */
    public List<Block> topLevelBlocks() {
        return structure.roots();
    }

    /** Largest position + 1: the context length the text actually uses. 0 for no tokens. */
    public int criticalPath() {
        return criticalPath;
    }

    /** Tokens per critical-path position: 1 for sequential text, higher the more paths overlap. */
    public double parallelism() {
        return criticalPath == 0 ? 1.0 : (double) length() / criticalPath;
    }

    /** Where the text breaks the grammar, in token order; empty for a well-formed text. */
    public List<GrammarBreak> breaks() {
        return breaks;
    }

    public boolean isWellFormed() {
        return breaks.isEmpty();
    }
}
