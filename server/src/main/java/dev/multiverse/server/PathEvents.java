package dev.multiverse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.EndReason;
import dev.multiverse.tokenizer.StreamingDecoder;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The per-path events of docs/server.md ({@code delta}, {@code fork}, {@code path_end}, {@code
 * join}) for live views: each sequence's own text as it grows, decoded per path, and the shape of
 * the tree as it forks and joins.
 */
final class PathEvents {
    private final Tokenizer tokenizer;
    private final Consumer<ObjectNode> sink;
    private final Map<String, StreamingDecoder> decoders = new HashMap<>();
    private final Map<String, String> outlineIds = new HashMap<>();

    PathEvents(Tokenizer tokenizer, Consumer<ObjectNode> sink) {
        this.tokenizer = tokenizer;
        this.sink = sink;
        decoders.put("", tokenizer.newStreamingDecoder());
        outlineIds.put("", "");
    }

    void onToken(String pathKey, int token) {
        ObjectNode e = event("delta", pathKey);
        e.put("id", outlineIds.get(pathKey));
        e.put("text", decoders.get(pathKey).accept(token));
        e.putArray("token_ids").add(token);
        sink.accept(e);
    }

    void onFork(String parentKey, List<String> childKeys, List<String> ids) {
        ObjectNode e = event("fork", parentKey);
        ArrayNode list = e.putArray("children");
        for (int i = 0; i < childKeys.size(); i++) {
            decoders.put(childKeys.get(i), tokenizer.newStreamingDecoder());
            outlineIds.put(childKeys.get(i), ids.get(i));
            list.addObject().put("path", childKeys.get(i)).put("id", ids.get(i));
        }
        sink.accept(e);
    }

    void onPathEnd(String pathKey, EndReason reason) {
        String rest = decoders.get(pathKey).flush();
        if (!rest.isEmpty()) {
            ObjectNode d = event("delta", pathKey);
            d.put("id", outlineIds.get(pathKey));
            d.put("text", rest);
            d.putArray("token_ids");
            sink.accept(d);
        }
        sink.accept(event("path_end", pathKey).put("reason", reason.label()));
    }

    void onJoin(String parentKey) {
        sink.accept(event("join", parentKey));
    }

    private static ObjectNode event(String type, String pathKey) {
        return HttpReplies.JSON.createObjectNode().put("type", type).put("path", pathKey);
    }
}
