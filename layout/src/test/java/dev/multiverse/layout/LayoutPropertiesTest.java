package dev.multiverse.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties checked on random texts. Well-formed trees are compared with an oracle computed from
 * the tree alone ({@link TreeText}): a token in path k of a block sees exactly what it would see if
 * the block's other paths were deleted (for every block around it), and its position is its index
 * in the text where those paths are deleted and every finished block is folded to its longest
 * path. Token soup checks that any input is laid out without an exception and obeys the
 * definition of visibility against the blocks the layout reports.
 */
class LayoutPropertiesTest {

    @Property(tries = 300)
    void wellFormedTreesMatchTheDeletedPathsOracle(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int depth) {
        var vocab = new FakeVocab();
        var tree = new TreeText(vocab, seed, depth, 400);
        int[] tokens = tree.tokenArray();
        Layout layout = Layout.of(tokens, FakeVocab.TAGS, vocab::text);
        int n = tokens.length;

        assertEquals(List.of(), layout.breaks(), "a rendered tree is well-formed, text rules included");
        assertEquals(tree.blocks.size(), layout.blocks().size());
        for (int b = 0; b < tree.blocks.size(); b++) {
            var rendered = tree.blocks.get(b);
            Block block = layout.blocks().get(b);
            assertEquals(rendered.parallelIndex(), block.parallelIndex());
            assertEquals(rendered.conclusionIndex(), block.conclusionIndex());
            assertEquals(rendered.pathStarts(), block.paths().stream().map(PathSpan::start).toList());
            int s = layout.position(rendered.pathStarts().getFirst() - 1);
            for (int start : rendered.pathStarts()) assertEquals(s + 1, layout.position(start), "(a) path starts at s+1");
            // (c) the Conclusion sees all of its block; a top-level one sees everything before it.
            int from = block.depth() == 0 ? 0 : rendered.parallelIndex();
            for (int k = from; k < rendered.conclusionIndex(); k++) {
                assertTrue(layout.sees(rendered.conclusionIndex(), k), "(c) the Conclusion sees token " + k);
            }
        }
        for (int t = 0; t < n; t++) {
            int folded = 0;
            for (int u = 0; u <= t; u++) {
                boolean visible = true, kept = true;
                for (int[] link : tree.chains.get(u)) {
                    int own = tree.pathIn(t, link[0]);
                    if (own >= 0 && link[1] != own) visible = false;
                    int chosen = own >= 0 ? own : tree.blocks.get(link[0]).longestPath();
                    if (link[1] != chosen) kept = false;
                }
                int q = t, k = u;
                assertEquals(visible, layout.sees(t, u), () -> "(b) sees(" + q + ", " + k + ")");
                if (u < t && kept) folded++;
            }
            assertEquals(folded, layout.position(t), "(b) position of token " + t);
        }
        assertEquals(tree.foldedLength, layout.criticalPath(), "(d) critical path = longest root-to-leaf length");
        assertEquals(n, layout.length());
        int deepest = layout.blocks().stream().mapToInt(b -> b.depth() + 1).max().orElse(0);
        Statistics.label("block nesting reached").collect(deepest);
    }

    @Property(tries = 500)
    void tokenSoupIsLaidOutAndBreaksPointIntoTheText(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 15) Integer> soup) {
        var vocab = new FakeVocab();
        for (String word : List.of("a", "\n", "1: ", " ")) vocab.id(word);
        int[] tokens = soup.stream().mapToInt(x -> x < 12 ? FakeVocab.FIRST_TAG + x : x - 12).toArray();
        Layout layout = Layout.of(tokens, FakeVocab.TAGS, vocab::text);
        int n = tokens.length;

        for (GrammarBreak b : layout.breaks()) {
            assertTrue(b.tokenIndex() >= 0 && b.tokenIndex() < Math.max(n, 1), () -> "break index out of range: " + b);
        }
        int max = -1;
        for (int i = 0; i < n; i++) max = Math.max(max, layout.position(i));
        assertEquals(max + 1, layout.criticalPath());
        for (Block block : layout.blocks()) {
            assertTrue(block.parallelIndex() < block.end() && block.end() <= n);
            if (block.parent() >= 0) {
                Block parent = layout.blocks().get(block.parent());
                assertTrue(parent.parallelIndex() < block.parallelIndex() && block.end() <= parent.end(), "blocks nest");
            }
            if (block.paths().isEmpty()) continue;
            int first = block.paths().getFirst().start();
            int base = first == 0 ? 0 : layout.position(first - 1) + 1;
            int largest = -1;
            for (PathSpan p : block.paths()) {
                assertEquals(base, layout.position(p.start()), "every path of a block starts at s+1");
                for (int i = p.start(); i < p.end(); i++) largest = Math.max(largest, layout.position(i));
            }
            if (block.joinIndex() >= 0) assertEquals(largest + 1, layout.position(block.joinIndex()), "join at max+1");
        }
        for (int q = 0; q < n; q++) {
            for (int k = 0; k < n; k++) {
                assertEquals(k <= q && !inSiblingPaths(layout, q, k), layout.sees(q, k), "sees(" + q + ", " + k + ")");
            }
        }
    }

    /** The definition, by brute force: q and k lie in two different paths of one block. */
    private static boolean inSiblingPaths(Layout layout, int q, int k) {
        for (Block b : layout.blocks()) {
            int pq = -1, pk = -1;
            for (int p = 0; p < b.paths().size(); p++) {
                if (b.paths().get(p).contains(q)) pq = p;
                if (b.paths().get(p).contains(k)) pk = p;
            }
            if (pq >= 0 && pk >= 0 && pq != pk) return true;
        }
        return false;
    }
}
