package dev.multiverse.conformance.check;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a server answered to one completions request, as far as the checker reads it.
 *
 * @param tokenIds           the generated token ids in final (merged) order ({@code multiverse.token_ids})
 * @param tokenLogprobs      {@code choices[0].logprobs.token_logprobs}, null entries as NaN; empty when absent
 * @param finishReason       OpenAI's {@code choices[0].finish_reason} ({@code stop}, {@code length})
 * @param engineFinishReason {@code multiverse.finish_reason}, or null when the server does not send it
 * @param trace              {@code multiverse.trace}, or null
 */
public record Completion(int[] tokenIds, double[] tokenLogprobs, String finishReason, String engineFinishReason,
                         JsonNode trace) {}
