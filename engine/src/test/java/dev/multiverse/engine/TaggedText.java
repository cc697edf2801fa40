package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random well-formed Multiverse texts over {@link CharVocabulary}, with the path key the engine
 * should give each token: blocks with 1 to 3 paths of unequal lengths, nesting, and some paths
 * marked to end by EOS instead of writing {@code </Path>} (the engine then writes it).
 */
final class TaggedText {
    final List<Integer> tokens = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    /** Keys of the paths whose script emits EOS where the text has {@code </Path>}. */
    final Set<String> eosPaths = new HashSet<>();
    private final Random random;
    private final CharVocabulary vocab = new CharVocabulary();
    private final int maxDepth;

    private TaggedText(long seed, int maxDepth) {
        this.random = new Random(seed);
        this.maxDepth = maxDepth;
    }

    /** A root body of text and blocks nested up to {@code maxDepth}. */
    static TaggedText generate(long seed, int maxDepth) {
        var t = new TaggedText(seed, maxDepth);
        t.body("", 0, "", true);
        return t;
    }

    int[] tokenArray() {
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }

    private void emit(String key, String text) {
        for (int t : vocab.encodeTagged(text)) {
            tokens.add(t);
            keys.add(key);
        }
    }

    private void body(String key, int depth, String idPrefix, boolean mustFork) {
        int items = 1 + random.nextInt(3);
        int blocks = 0;
        boolean forked = false;
        for (int i = 0; i < items; i++) {
            boolean block = depth < maxDepth && (mustFork && !forked && i == items - 1 || random.nextInt(3) == 0);
            if (block) {
                block(key, depth, idPrefix, blocks++);
                forked = true;
            } else {
                emit(key, words(1 + random.nextInt(depth == 0 ? 3 : 6)));
            }
        }
    }

    private void block(String key, int depth, String idPrefix, int ordinal) {
        int paths = 1 + random.nextInt(3);
        List<String> ids = new ArrayList<>();
        for (int k = 1; k <= paths; k++) ids.add(idPrefix.isEmpty() ? "" + k : idPrefix + "." + k);
        var goal = new StringBuilder(" lets think in parallel.\n<Parallel>\n<Goal>\n");
        for (String id : ids) goal.append("<Outline>\n").append(id).append(": ").append(words(1)).append("\n</Outline>\n");
        goal.append("</Goal>\n");
        emit(key, goal.toString());
        for (String id : ids) {
            String child = key + "/" + ordinal + ":" + id;
            emit(child, "<Path>\n" + id + ":");
            body(child, depth + 1, id, false);
            emit(child, "</Path>\n");
            if (random.nextInt(4) == 0) eosPaths.add(child);
        }
        emit(key, "<Conclusion>\n" + words(1 + random.nextInt(2)) + "\n</Conclusion>\n</Parallel>\n");
    }

    private String words(int n) {
        var sb = new StringBuilder();
        for (int w = 0; w < n; w++) {
            sb.append(' ');
            int len = 1 + random.nextInt(5);
            for (int c = 0; c < len; c++) sb.append((char) ('a' + random.nextInt(26)));
        }
        return sb.toString();
    }
}
