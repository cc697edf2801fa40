package dev.multiverse.server;

import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most likely alternatives of every sampled token, recorded while the request runs (the
 * backend reads them with each sampled token) and put in final merged order at the end. A path's
 * own tokens keep their order in the merged text, so each path's alternatives are read back in
 * the order they were recorded.
 */
final class TopLogprobs {
    /**
     * The alternatives of one token, most likely first (ties to the lowest id).
     *
     * @param ids token ids
     * @param logprobs {@code log softmax(logits)} at those ids
     */
    record Alternatives(int[] ids, double[] logprobs) {
        static final Alternatives NONE = new Alternatives(new int[0], new double[0]);
    }

    private final int count;
    private final Map<String, Alternatives> shown = new HashMap<>();
    private final Map<String, ArrayDeque<Alternatives>> byPath = new HashMap<>();

    /** @param count how many alternatives per token (the backend reads them with each sampled token) */
    TopLogprobs(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }

    void onAlternatives(String pathKey, int[] ids, double[] logprobs) {
        shown.put(pathKey, new Alternatives(ids.clone(), logprobs.clone()));
    }

    void onSampled(String pathKey) {
        Alternatives a = shown.remove(pathKey);
        if (a == null && count > 0) throw new IllegalStateException("no alternatives were read before a token of path '" + pathKey + "'");
        byPath.computeIfAbsent(pathKey, k -> new ArrayDeque<>()).add(a == null ? Alternatives.NONE : a);
    }

    /** One entry per generated token in final order; {@link Alternatives#NONE} for engine-inserted ones. */
    List<Alternatives> inFinalOrder(GenerationResult r) {
        List<Alternatives> out = new ArrayList<>(r.tokens().length - r.promptLength());
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            if (r.origins()[j] != TokenEntry.Origin.SAMPLED) {
                out.add(Alternatives.NONE);
                continue;
            }
            ArrayDeque<Alternatives> queue = byPath.get(r.pathKeys()[j]);
            if (queue == null || queue.isEmpty())
                throw new IllegalStateException("no alternatives recorded for token " + j + " of path '" + r.pathKeys()[j] + "'");
            out.add(queue.poll());
        }
        return out;
    }
}
