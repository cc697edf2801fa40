package dev.multiverse.tokenizer;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The ids of the twelve Multiverse control tags (spec section 1), looked up by their text in a
 * vocabulary. Ids are never hard-coded: a tokenizer with the tags at other ids works the same.
 */
public record MultiverseTags(
        int think, int thinkEnd,
        int parallel, int parallelEnd,
        int goal, int goalEnd,
        int outline, int outlineEnd,
        int path, int pathEnd,
        int conclusion, int conclusionEnd) {

    /** The tag texts in their vocabulary order (spec section 1). */
    public static final List<String> TEXTS = List.of(
            "<Think>", "</Think>",
            "<Parallel>", "</Parallel>",
            "<Goal>", "</Goal>",
            "<Outline>", "</Outline>",
            "<Path>", "</Path>",
            "<Conclusion>", "</Conclusion>");

    /**
     * Looks every tag up with {@code idOf}; fails with a message naming the first tag the
     * vocabulary lacks.
     */
    public static MultiverseTags lookUp(Function<String, OptionalInt> idOf) {
        int[] ids = new int[TEXTS.size()];
        for (int i = 0; i < ids.length; i++) {
            String text = TEXTS.get(i);
            ids[i] = idOf.apply(text).orElseThrow(() -> new IllegalArgumentException(
                    "the vocabulary has no token for the Multiverse tag " + text));
        }
        return new MultiverseTags(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5],
                ids[6], ids[7], ids[8], ids[9], ids[10], ids[11]);
    }

    /** All twelve ids in {@link #TEXTS} order. */
    public int[] ids() {
        return new int[] {think, thinkEnd, parallel, parallelEnd, goal, goalEnd,
                outline, outlineEnd, path, pathEnd, conclusion, conclusionEnd};
    }

    /** True when {@code id} is one of the twelve tags. */
    public boolean isTag(int id) {
        for (int t : ids()) if (t == id) return true;
        return false;
    }
}
