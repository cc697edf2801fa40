package dev.multiverse.engine;

import dev.multiverse.tokenizer.MultiverseTags;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the Outline ids of a Goal: for each {@code <Outline>} tag, the text after it (a leading
 * newline skipped) up to the first {@code ':'} (spec section 4.2).
 *
 * <p>A Goal is <em>well formed</em> for forking when it has at least one Outline and every Outline's
 * id is one or more numbers joined by dots ({@code 1}, {@code 2.1}, ...) of at most 32 characters,
 * with no id repeated. Anything else is malformed, and the engine does not fork (section 5).
 */
public final class GoalOutlines {
    private static final Pattern ID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int MAX_ID_LENGTH = 32;

    /** The outcome: the ids in outline order, or an empty list and the reason there are none. */
    public record Result(List<String> ids, String problem) {
        public Result {
            ids = List.copyOf(ids);
        }

        public boolean wellFormed() {
            return problem == null;
        }
    }

    private GoalOutlines() {}

    /**
     * Parses the Goal body {@code goal} (the tokens strictly between {@code <Goal>} and {@code
     * </Goal>}).
     */
    public static Result parse(int[] goal, EngineVocabulary vocabulary) {
        MultiverseTags tags = vocabulary.tags();
        List<String> ids = new ArrayList<>();
        var seen = new HashSet<String>();
        for (int i = 0; i < goal.length; i++) {
            if (goal[i] != tags.outline()) continue;
            int end = i + 1;
            while (end < goal.length && !tags.isTag(goal[end])) end++;
            String text = vocabulary.decode(java.util.Arrays.copyOfRange(goal, i + 1, end));
            if (text.startsWith("\n")) text = text.substring(1);
            int colon = text.indexOf(':');
            int outline = ids.size() + 1;
            if (colon < 0) return malformed("outline " + outline + " has no ':' after its id");
            String id = text.substring(0, colon);
            if (id.length() > MAX_ID_LENGTH || !ID.matcher(id).matches())
                return malformed("outline " + outline + " has the id \"" + abbreviate(id) + "\", not numbers joined by dots");
            if (!seen.add(id)) return malformed("outline " + outline + " repeats the id " + id);
            ids.add(id);
        }
        if (ids.isEmpty()) return malformed("the Goal has no <Outline>");
        return new Result(ids, null);
    }

    private static Result malformed(String why) {
        return new Result(List.of(), why);
    }

    private static String abbreviate(String s) {
        String oneLine = s.replace("\n", "\\n");
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    }
}
