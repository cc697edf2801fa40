package dev.multiverse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.tokenizer.StreamingDecoder;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.List;

/**
 * Per-token log-probs of the generated tokens in final order, in OpenAI's two shapes: the legacy
 * completions object {@code {tokens, token_logprobs, top_logprobs, text_offset}} and the chat
 * object {@code {content: [{token, logprob, bytes, top_logprobs}]}}.
 */
record LogprobsJson(Tokenizer tokenizer, Endpoint endpoint) {

    ObjectNode of(GenerationResult r, List<TopLogprobs.Alternatives> alternatives) {
        return endpoint == Endpoint.CHAT ? chat(r, alternatives) : legacy(r, alternatives);
    }

    private ObjectNode legacy(GenerationResult r, List<TopLogprobs.Alternatives> alternatives) {
        ObjectNode out = HttpReplies.JSON.createObjectNode();
        ArrayNode tokens = out.putArray("tokens");
        ArrayNode logprobs = out.putArray("token_logprobs");
        ArrayNode tops = out.putArray("top_logprobs");
        ArrayNode offsets = out.putArray("text_offset");
        StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        int offset = 0;
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            int token = r.tokens()[j];
            tokens.add(text(token));
            addLogprob(logprobs, r.logprobs()[j]);
            ObjectNode top = tops.addObject();
            TopLogprobs.Alternatives a = alternatives.get(j - r.promptLength());
            // Two ids with the same text keep the more likely one (the list is most likely first).
            for (int k = 0; k < a.ids().length; k++) if (!top.has(text(a.ids()[k]))) top.put(text(a.ids()[k]), a.logprobs()[k]);
            offsets.add(offset);
            offset += decoder.accept(token).length();
        }
        return out;
    }

    private ObjectNode chat(GenerationResult r, List<TopLogprobs.Alternatives> alternatives) {
        ObjectNode out = HttpReplies.JSON.createObjectNode();
        ArrayNode content = out.putArray("content");
        for (int j = r.promptLength(); j < r.tokens().length; j++) {
            ObjectNode entry = token(content.addObject(), r.tokens()[j]);
            if (Double.isNaN(r.logprobs()[j])) entry.putNull("logprob");
            else entry.put("logprob", r.logprobs()[j]);
            ArrayNode top = entry.putArray("top_logprobs");
            TopLogprobs.Alternatives a = alternatives.get(j - r.promptLength());
            for (int k = 0; k < a.ids().length; k++) token(top.addObject(), a.ids()[k]).put("logprob", a.logprobs()[k]);
        }
        return out;
    }

    private ObjectNode token(ObjectNode o, int id) {
        o.put("token", text(id));
        ArrayNode bytes = o.putArray("bytes");
        for (byte b : tokenizer.decodeBytes(new int[] {id})) bytes.add(b & 0xff);
        return o;
    }

    private String text(int id) {
        return tokenizer.decode(new int[] {id});
    }

    private static void addLogprob(ArrayNode array, double value) {
        if (Double.isNaN(value)) array.addNull();
        else array.add(value);
    }
}
