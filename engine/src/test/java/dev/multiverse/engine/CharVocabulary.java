package dev.multiverse.engine;

import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.List;

/**
 * A test vocabulary of one token per character: id 0 is EOS, ids 1..12 the tags, then newline,
 * space, digits, ':', '.', and lower-case letters. 64 ids in all (the last few unused).
 */
final class CharVocabulary implements EngineVocabulary {
    static final int SIZE = 64;
    static final int EOS = 0;
    private static final String CHARS = "\n 0123456789:.abcdefghijklmnopqrstuvwxyz";
    private static final int FIRST_CHAR = 13;
    static final MultiverseTags TAGS = MultiverseTags.lookUp(text -> {
        int i = MultiverseTags.TEXTS.indexOf(text);
        return i < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(i + 1);
    });

    @Override
    public int size() {
        return SIZE;
    }

    @Override
    public MultiverseTags tags() {
        return TAGS;
    }

    @Override
    public boolean isEndOfSequence(int token) {
        return token == EOS;
    }

    @Override
    public int[] encodePlain(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) out[i] = id(text.charAt(i));
        return out;
    }

    static int id(char c) {
        int i = CHARS.indexOf(c);
        if (i < 0) throw new IllegalArgumentException("no token for " + c);
        return FIRST_CHAR + i;
    }

    @Override
    public String decode(int[] tokens) {
        var sb = new StringBuilder();
        for (int t : tokens) {
            if (t == EOS) sb.append("<eos>");
            else if (t >= 1 && t <= 12) sb.append(MultiverseTags.TEXTS.get(t - 1));
            else if (t >= FIRST_CHAR && t < FIRST_CHAR + CHARS.length()) sb.append(CHARS.charAt(t - FIRST_CHAR));
            else sb.append("<").append(t).append(">");
        }
        return sb.toString();
    }

    /** Tokens of a text where tags are written literally ("<Goal>\n<Outline>\n1: a..."). */
    int[] encodeTagged(String text) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        outer:
        while (i < text.length()) {
            for (int k = 0; k < MultiverseTags.TEXTS.size(); k++) {
                String tag = MultiverseTags.TEXTS.get(k);
                if (text.startsWith(tag, i)) {
                    out.add(k + 1);
                    i += tag.length();
                    continue outer;
                }
            }
            out.add(id(text.charAt(i++)));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
