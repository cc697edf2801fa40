package dev.multiverse.engine;

import java.util.Arrays;

/**
 * Replay: a tagged token sequence pushed through the engine as if the model had written it. The
 * prompt is everything up to the end of the last {@code "<|im_start|>assistant\n"} when the text
 * has one, else its first token; every later token is "chosen" by a {@link TextFollower}, so each
 * live sequence advances by exactly one token per step, and the tokens the engine inserts itself go
 * in as they would during generation (and must agree with the text).
 */
public final class Replay {
    private Replay() {}

    /** How many leading tokens of {@code tokens} are the prompt. */
    public static int promptLength(int[] tokens, EngineVocabulary vocabulary) {
        String opener = "<|im_start|>assistant\n";
        int best = 1;
        for (int start = 0; start < tokens.length; start++) {
            String first = vocabulary.decode(new int[] {tokens[start]});
            if (!opener.startsWith(first) || first.isEmpty()) continue;
            for (int end = start + 1; end <= Math.min(tokens.length, start + 32); end++) {
                String text = vocabulary.decode(Arrays.copyOfRange(tokens, start, end));
                if (text.equals(opener)) best = Math.max(best, end);
                if (!opener.startsWith(text)) break;
            }
        }
        return Math.min(best, tokens.length);
    }

    /**
     * The request that replays {@code tokens} with the given budgets.
     *
     * @throws IllegalArgumentException if the text is empty
     */
    public static Request request(int[] tokens, EngineVocabulary vocabulary, Budgets budgets) {
        if (tokens.length == 0) throw new IllegalArgumentException("nothing to replay: the text has no tokens");
        int prompt = promptLength(tokens, vocabulary);
        return Request.scripted(Arrays.copyOf(tokens, prompt), TextFollower.of(tokens, prompt, vocabulary), budgets);
    }

    /** Budgets that never cut a replay of {@code tokens}: everything fits, no deadline to speak of. */
    public static Budgets budgetsFor(int[] tokens) {
        int n = Math.max(1, tokens.length);
        return new Budgets(n, n + 64, Integer.MAX_VALUE, java.time.Duration.ofDays(1));
    }
}
