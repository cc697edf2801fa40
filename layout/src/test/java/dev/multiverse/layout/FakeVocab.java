package dev.multiverse.layout;

import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A vocabulary made up on the fly for tests: the twelve tags get ids 1000..1011 (not 0..11, so a
 * test that confuses an index with an id fails), every other string gets the next free id from 0.
 *
 * <p>{@link #tokens(String)} reads a tiny notation, one token per space-separated word: a tag's
 * text is that tag, {@code NL} is a newline, {@code _} is a space, {@code ID:} is the id text
 * followed by {@code ": "}, anything else is that word.
 */
final class FakeVocab {
    static final int FIRST_TAG = 1000;
    static final MultiverseTags TAGS = MultiverseTags.lookUp(text -> {
        int i = MultiverseTags.TEXTS.indexOf(text);
        return i < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(FIRST_TAG + i);
    });

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> texts = new ArrayList<>();

    int id(String text) {
        int tag = MultiverseTags.TEXTS.indexOf(text);
        if (tag >= 0) return FIRST_TAG + tag;
        return ids.computeIfAbsent(text, t -> {
            texts.add(t);
            return texts.size() - 1;
        });
    }

    String text(int id) {
        if (id >= FIRST_TAG && id < FIRST_TAG + MultiverseTags.TEXTS.size()) {
            return MultiverseTags.TEXTS.get(id - FIRST_TAG);
        }
        return texts.get(id);
    }

    int[] tokens(String words) {
        String trimmed = words.strip();
        if (trimmed.isEmpty()) return new int[0];
        String[] parts = trimmed.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = id(decodeWord(parts[i]));
        return out;
    }

    private static String decodeWord(String w) {
        return switch (w) {
            case "NL" -> "\n";
            case "_" -> " ";
            default -> w.endsWith(":") && w.length() > 1 && Character.isDigit(w.charAt(0)) ? w + " " : w;
        };
    }
}
