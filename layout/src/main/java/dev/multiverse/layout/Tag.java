package dev.multiverse.layout;

import dev.multiverse.tokenizer.MultiverseTags;

/** The twelve control tags as a type, in the order of {@link MultiverseTags#TEXTS}. */
enum Tag {
    THINK, THINK_END,
    PARALLEL, PARALLEL_END,
    GOAL, GOAL_END,
    OUTLINE, OUTLINE_END,
    PATH, PATH_END,
    CONCLUSION, CONCLUSION_END;

    private static final Tag[] ALL = values();

    /** The tag as it is written, e.g. {@code </Path>}. */
    String text() {
        return MultiverseTags.TEXTS.get(ordinal());
    }

    boolean isClosing() {
        return (ordinal() & 1) == 1;
    }

    /** The opening tag of a closing one ({@code </Path>} gives {@code <Path>}); itself otherwise. */
    Tag opening() {
        return ALL[ordinal() & ~1];
    }

    /**
     * The tag of every token, {@code null} for text: {@code tags[i]} classifies {@code tokens[i]}.
     * Ids are compared against the twelve in {@code ids}; nothing else about the vocabulary is
     * assumed.
     */
    static Tag[] classify(int[] tokens, MultiverseTags ids) {
        int[] tagIds = ids.ids();
        Tag[] kinds = new Tag[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            for (int t = 0; t < tagIds.length; t++) {
                if (tokens[i] == tagIds[t]) {
                    kinds[i] = ALL[t];
                    break;
                }
            }
        }
        return kinds;
    }
}
