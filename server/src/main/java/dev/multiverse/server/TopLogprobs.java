package dev.multiverse.server;

import dev.multiverse.contract.LogProbs;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most likely alternatives of every sampled token, recorded while the request runs (from the
 * logits the engine shows before each choice) and put in final merged order at the end. A path's
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
    private final int choosable;
    private final Map<String, float[]> shown = new HashMap<>();
    private final Map<String, ArrayDeque<Alternatives>> byPath = new HashMap<>();

    /**
     * @param count how many alternatives per token
     * @param choosable ids below this may be chosen (the tokenizer's vocabulary)
     */
    TopLogprobs(int count, int choosable) {
        this.count = count;
        this.choosable = choosable;
    }

    void onLogits(String pathKey, float[] logits) {
        shown.put(pathKey, logits);
    }

    void onSampled(String pathKey) {
        float[] logits = shown.remove(pathKey);
        if (logits == null) throw new IllegalStateException("no logits were shown before a token of path '" + pathKey + "'");
        byPath.computeIfAbsent(pathKey, k -> new ArrayDeque<>()).add(top(logits));
    }

    private Alternatives top(float[] logits) {
        double[] lp = LogProbs.logSoftmax(logits);
        int n = Math.min(count, Math.min(choosable, lp.length));
        if (n == 0) return Alternatives.NONE;
        int[] ids = new int[n];
        double[] values = new double[n];
        // Insertion into a sorted top-n list: O(vocab * n), n <= 20.
        int filled = 0;
        for (int v = 0; v < Math.min(choosable, lp.length); v++) {
            if (filled == n && !(lp[v] > values[n - 1])) continue;
            int at = filled < n ? filled++ : n - 1;
            while (at > 0 && lp[v] > values[at - 1]) {
                ids[at] = ids[at - 1];
                values[at] = values[at - 1];
                at--;
            }
            ids[at] = v;
            values[at] = lp[v];
        }
        return new Alternatives(ids, values);
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
