package dev.multiverse.conformance.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine vector to compute: a prompt, what the model emits (a script per sequence, or greedy
 * decoding of a real model), the request's budgets and the engine's fork depth, and the finish
 * reason the case is written to reach (the export fails if the engine ends otherwise).
 *
 * @param name         file name of the vector, without {@code .json}
 * @param model        the kit model it runs on (a directory under {@code model/})
 * @param question     the user question of the ChatML prompt
 * @param scripts      per path key, the texts the sequence emits, in order (each piece tokenized on
 *                     its own: the root's pieces are the parts before each fork and after each
 *                     join); empty for a greedy case
 * @param maxTokens    the critical-path budget ({@code max_tokens})
 * @param maxTotalTokens the budget over all paths
 * @param maxPaths     the most paths one block may fork
 * @param maxForkDepth the deepest a sequence may fork (0: never)
 * @param finishReason the finish reason the case must end with
 * @param behaviour    what the case shows, in one or two sentences (spec section 4 or 5)
 */
record EngineCase(String name, String model, String question, Map<String, List<String>> scripts,
                  int maxTokens, int maxTotalTokens, int maxPaths, int maxForkDepth,
                  String finishReason, String behaviour) {

    EngineCase {
        scripts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scripts));
    }

    boolean isGreedy() {
        return scripts.isEmpty();
    }

    /** A greedy case: the model's own argmax at every step. */
    static EngineCase greedy(String name, String model, String question, int maxTokens, int maxTotalTokens,
                             String finishReason, String behaviour) {
        return new EngineCase(name, model, question, Map.of(), maxTokens, maxTotalTokens, 16, 4, finishReason, behaviour);
    }
}
