package dev.multiverse.server;

import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.SamplingParams;

/**
 * One generation request as the engine will run it: parsed, checked and completed with the
 * server's defaults.
 *
 * @param endpoint which endpoint it came to (it shapes the answer)
 * @param prompt the prompt's token ids
 * @param sampling how every sequence of the tree samples
 * @param budgets its limits: max_tokens, max_total_tokens, paths per block, deadline
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a stream ends with a usage chunk
 * @param topLogprobs -1: no log-probs; otherwise log-probs with this many alternatives per token
 * @param pathEvents whether a stream carries per-path events
 * @param trace whether the multiverse object carries the request tree
 * @param user the caller's {@code user} tag, or null
 */
record ApiRequest(Endpoint endpoint, int[] prompt, SamplingParams sampling, Budgets budgets, boolean stream,
                  boolean includeUsage, int topLogprobs, boolean pathEvents, boolean trace, String user) {

    boolean wantsLogprobs() {
        return topLogprobs >= 0;
    }
}
