package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;

/**
 * The prompt of a request as token ids: chat messages in Qwen2.5's ChatML (spec section 2), or a
 * completions prompt given as text or as token ids.
 */
final class Prompts {
    private final Tokenizer tokenizer;

    Prompts(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * {@code <|im_start|>{role}\n{content}<|im_end|>\n} per message, the default system message
     * first when there is none, then {@code <|im_start|>assistant\n}; with {@code instruction}
     * the Multiverse instruction ends the last user message.
     */
    int[] chat(Fields f, boolean instruction) {
        JsonNode messages = f.node("messages");
        if (messages == null) throw ApiException.invalid("messages", "messages is required");
        if (!messages.isArray() || messages.isEmpty())
            throw f.wrong("messages", "a non-empty array of messages", messages);
        int lastUser = -1;
        for (int i = 0; i < messages.size(); i++) if ("user".equals(messages.get(i).path("role").asText())) lastUser = i;
        var text = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject()) throw ApiException.invalid(param, param + " must be an object, got " + m);
            String role = role(m, param);
            if (i == 0 && !role.equals("system"))
                text.append("<|im_start|>system\n").append(ChatFormat.DEFAULT_SYSTEM_PROMPT).append("<|im_end|>\n");
            String content = content(m.get("content"), param + ".content");
            if (i == lastUser && instruction) content += ChatFormat.MULTIVERSE_INSTRUCTION;
            text.append("<|im_start|>").append(role).append('\n').append(content).append("<|im_end|>\n");
        }
        text.append("<|im_start|>assistant\n");
        return tokenizer.encode(text.toString());
    }

    private static String role(JsonNode m, String param) {
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual()) throw ApiException.invalid(param + ".role", param + ".role must be a string");
        return switch (role.textValue()) {
            case "system", "developer" -> "system";
            case "user" -> "user";
            case "assistant" -> {
                if (m.hasNonNull("tool_calls") || m.hasNonNull("function_call"))
                    throw ApiException.invalid(param + ".tool_calls", "tool calls are not supported by this server");
                yield "assistant";
            }
            default -> throw ApiException.invalid(param + ".role", param + ".role must be system, developer, user or"
                    + " assistant (tools are not supported), got " + role);
        };
    }

    /** A string, or an array of {@code {type: "text", text}} parts joined together. */
    private static String content(JsonNode c, String param) {
        if (c != null && c.isTextual()) return c.textValue();
        if (c != null && c.isArray()) {
            var joined = new StringBuilder();
            for (int k = 0; k < c.size(); k++) {
                JsonNode part = c.get(k);
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual())
                    throw ApiException.invalid(param + "[" + k + "]", "only text content parts {type: \"text\", text} are"
                            + " supported, got " + part);
                joined.append(part.get("text").textValue());
            }
            return joined.toString();
        }
        throw ApiException.invalid(param, param + " must be a string or an array of text parts, got " + c);
    }

    /** A string, an array of token ids, or a one-element array of either. */
    int[] completion(Fields f) {
        JsonNode p = f.node("prompt");
        if (p == null) throw ApiException.invalid("prompt", "prompt is required");
        if (p.isArray() && p.size() == 1 && (p.get(0).isTextual() || p.get(0).isArray())) p = p.get(0);
        int[] ids;
        if (p.isTextual()) {
            ids = tokenizer.encode(p.textValue());
        } else if (p.isArray()) {
            ids = tokenIds("prompt", p);
        } else {
            throw f.wrong("prompt", "a string or an array of token ids", p);
        }
        if (ids.length == 0) throw ApiException.invalid("prompt", "the prompt is empty: give at least one token");
        return ids;
    }

    /** {@code array}'s elements as token ids, each checked against the vocabulary; {@code param} names the field. */
    int[] tokenIds(String param, JsonNode array) {
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode t = array.get(i);
            if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0 || t.intValue() >= tokenizer.vocabSize())
                throw ApiException.invalid(param, param + "[" + i + "] must be a token id in [0, "
                        + tokenizer.vocabSize() + "), got " + t + (array.size() > 1 && t.isContainerNode()
                        ? " (one list of token ids per request)" : ""));
            ids[i] = t.intValue();
        }
        return ids;
    }
}
