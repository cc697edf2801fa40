package dev.multiverse.cli;

import dev.multiverse.engine.EngineListener;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry;
import dev.multiverse.tokenizer.StreamingDecoder;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The text of every live path of a request as it grows, decoded token by token. The root's text
 * goes straight to {@code rootText}; a path's text is kept until its block joins, and is then
 * added, in outline order, to its parent's (so the root receives exactly the merged text).
 */
class PathTexts implements EngineListener {
    private final Tokenizer tokenizer;
    private final Consumer<String> rootText;
    /** Text of each path not yet joined, in fork order (the order the panel shows them). */
    protected final Map<String, StringBuilder> texts = new LinkedHashMap<>();
    private final Map<String, StreamingDecoder> decoders = new LinkedHashMap<>();
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final Map<String, String> outlineIds = new LinkedHashMap<>();

    PathTexts(Tokenizer tokenizer, Consumer<String> rootText) {
        this.tokenizer = tokenizer;
        this.rootText = rootText;
        decoders.put("", tokenizer.newStreamingDecoder());
    }

    /** The Outline id of a path key ("2.1"). */
    String outlineId(String key) {
        return outlineIds.getOrDefault(key, key);
    }

    @Override
    public void onToken(long requestId, String pathKey, int token, TokenEntry.Origin origin) {
        if (origin == TokenEntry.Origin.PROMPT) return;
        String s = decoders.get(pathKey).accept(token);
        if (pathKey.isEmpty()) rootText.accept(s);
        else texts.get(pathKey).append(s);
        changed();
    }

    @Override
    public void onFork(long requestId, String parentKey, List<String> childKeys, List<String> ids) {
        children.put(parentKey, new ArrayList<>(childKeys));
        for (int i = 0; i < childKeys.size(); i++) {
            texts.put(childKeys.get(i), new StringBuilder());
            decoders.put(childKeys.get(i), tokenizer.newStreamingDecoder());
            outlineIds.put(childKeys.get(i), ids.get(i));
        }
        changed();
    }

    @Override
    public void onJoin(long requestId, String parentKey) {
        var merged = new StringBuilder();
        for (String child : children.remove(parentKey)) {
            merged.append(texts.remove(child)).append(decoders.remove(child).flush());
        }
        joined(parentKey);
        if (parentKey.isEmpty()) rootText.accept(merged.toString());
        else texts.get(parentKey).append(merged);
        changed();
    }

    @Override
    public void onFinish(long requestId, GenerationResult result) {
        rootText.accept(decoders.get("").flush());
    }

    /** Called after every change; the panel redraws here. */
    protected void changed() {}

    /** Called before a join's text goes to its parent; the panel erases itself here. */
    protected void joined(String parentKey) {}
}
