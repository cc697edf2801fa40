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
     * The request that replays {@code tokens}: budgets that never cut it (every generated token
     * fits, with one to spare so the text's end, not a budget, ends it; it reserves {@code
     * tokens.length + 1} KV slots), and no deadline to speak of.
     *
     * @throws IllegalArgumentException if the text has fewer than two tokens
     */
    public static Request request(int[] tokens, EngineVocabulary vocabulary) {
        if (tokens.length < 2) throw new IllegalArgumentException("nothing to replay: the text has " + tokens.length + " token(s)");
        int prompt = Math.min(promptLength(tokens, vocabulary), tokens.length - 1);
        var budgets = new Budgets(tokens.length + 1, tokens.length - prompt + 1, Integer.MAX_VALUE, java.time.Duration.ofDays(1));
        return Request.scripted(Arrays.copyOf(tokens, prompt), TextFollower.of(tokens, prompt, vocabulary), budgets);
    }
}
