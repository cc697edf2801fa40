package dev.multiverse.layout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A random well-formed Multiverse response, rendered to tokens of a {@link FakeVocab}, together
 * with what its tree says about every token, for use as an oracle that knows nothing of how
 * {@link Layout} works: which path of which block each token lies in, and for every block which
 * path is longest once nested blocks are folded to their own longest path.
 */
final class TreeText {
    /** A rendered block: token indices of its tags and the longest of its paths. */
    record RenderedBlock(int parallelIndex, List<Integer> pathStarts, int conclusionIndex, int longestPath) {}

    final List<Integer> tokens = new ArrayList<>();
    /** For every token, its enclosing paths, outermost first, as {block, path} pairs. */
    final List<List<int[]>> chains = new ArrayList<>();
    final List<RenderedBlock> blocks = new ArrayList<>();
    /** Length of the text with every block folded to its longest path: the critical path. */
    final int foldedLength;

    private final FakeVocab vocab;
    private final Random random;
    private final List<int[]> chain = new ArrayList<>();
    private int budget;  // tokens still allowed, so that texts stay small

    TreeText(FakeVocab vocab, long seed, int maxDepth, int maxTokens) {
        this.vocab = vocab;
        this.random = new Random(seed);
        this.budget = maxTokens;
        emit("<Think>", "\n");
        int folded = 2 + body(maxDepth, "");
        emit("</Think>", "\n", "\n", "Answer: ", "w0");
        this.foldedLength = folded + 5;
    }

    int[] tokenArray() {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    /** (Text | Block)*; returns the folded length of what it wrote. */
    private int body(int depthLeft, String idPrefix) {
        int folded = 0;
        int items = 1 + random.nextInt(3);
        for (int i = 0; i < items; i++) {
            boolean firstAtTop = i == 0 && idPrefix.isEmpty();  // every text with depth > 0 has a block
            if (depthLeft > 0 && budget > 40 && (firstAtTop || random.nextBoolean())) folded += block(depthLeft, idPrefix);
            else folded += text(random.nextInt(6));
        }
        return folded;
    }

    private int text(int length) {
        for (int i = 0; i < length; i++) emit(random.nextInt(5) == 0 ? "\n" : "w" + random.nextInt(10));
        return length;
    }

    private int block(int depthLeft, String idPrefix) {
        int id = blocks.size();
        blocks.add(null);
        int paths = 1 + random.nextInt(5);
        int parallel = tokens.size();
        int before = tokens.size();
        emit("<Parallel>", "\n", "<Goal>", "\n");
        for (int k = 1; k <= paths; k++) {
            emit("<Outline>", "\n", idPrefix + k + ": ");
            text(1 + random.nextInt(3));
            emit("\n", "</Outline>", "\n");
        }
        emit("</Goal>", "\n");
        int folded = tokens.size() - before;
        List<Integer> starts = new ArrayList<>();
        int longest = -1, longestLength = -1;
        for (int k = 0; k < paths; k++) {
            starts.add(tokens.size());
            chain.add(new int[] {id, k});
            String pathId = idPrefix + (k + 1);
            emit("<Path>", "\n", pathId + ": ");
            int length = 3 + body(depthLeft - 1, pathId + ".");
            emit("</Path>", "\n");
            length += 2;
            chain.removeLast();
            if (length > longestLength) {
                longestLength = length;
                longest = k;
            }
        }
        int conclusion = tokens.size();
        emit("<Conclusion>", "\n");
        int conclusionText = 1 + random.nextInt(4);
        text(conclusionText);
        emit("\n", "</Conclusion>", "\n", "</Parallel>", "\n");
        blocks.set(id, new RenderedBlock(parallel, starts, conclusion, longest));
        return folded + longestLength + 2 + conclusionText + 5;
    }

    private void emit(String... texts) {
        for (String t : texts) {
            tokens.add(vocab.id(t));
            chains.add(List.copyOf(chain));
            budget--;
        }
    }

    /** The path of {@code block} that token {@code t} lies in, or -1. */
    int pathIn(int t, int block) {
        for (int[] link : chains.get(t)) if (link[0] == block) return link[1];
        return -1;
    }
}
