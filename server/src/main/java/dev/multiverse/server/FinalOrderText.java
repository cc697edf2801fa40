package dev.multiverse.server;

import dev.multiverse.engine.EndReason;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry;
import dev.multiverse.tokenizer.StreamingDecoder;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A request's text in final merged order, as soon as it is final: what the root appends, and the
 * text of a block once it joins into the root (its paths' tokens in outline order, which is how
 * the engine merges them). Every piece handed to the sink is a prefix extension of the finished
 * request's text, so the pieces concatenate to exactly {@link GenerationResult#text()}.
 *
 * <p>Two things could be taken back by the engine, and are held until they cannot: tokens the
 * engine inserted at the root's end (a stopped request drops those it has not computed yet; they
 * are confirmed by the next token, a fork, or the finish), and the tokens of a block whose paths
 * were stopped (cancellation, deadline, the total budget: a stopped path drops its uncomputed
 * tail before the join). The rest of the text is handed over at the finish.
 */
final class FinalOrderText {
    private final StreamingDecoder decoder;
    private final Consumer<String> sink;
    private final StringBuilder sent = new StringBuilder();
    /** The own tokens of every path not yet joined into its parent. */
    private final Map<String, List<Integer>> pathTokens = new HashMap<>();
    private final Map<String, List<String>> children = new HashMap<>();
    /** Engine-inserted tokens at the root's end, not yet confirmed. */
    private final List<Integer> rootForced = new ArrayList<>();
    /** Set once the request is being stopped: nothing more is final before the finish. */
    private boolean stopping;

    FinalOrderText(Tokenizer tokenizer, Consumer<String> sink) {
        this.decoder = tokenizer.newStreamingDecoder();
        this.sink = sink;
    }

    void onToken(String pathKey, int token, TokenEntry.Origin origin) {
        if (origin == TokenEntry.Origin.PROMPT) return;
        if (!pathKey.isEmpty()) {
            pathTokens.get(pathKey).add(token);
        } else if (origin == TokenEntry.Origin.FORCED) {
            rootForced.add(token);
        } else {
            confirmRootForced();
            emit(List.of(token));
        }
    }

    void onFork(String parentKey, List<String> childKeys) {
        if (parentKey.isEmpty()) confirmRootForced();
        children.put(parentKey, List.copyOf(childKeys));
        for (String child : childKeys) pathTokens.put(child, new ArrayList<>());
    }

    void onPathEnd(EndReason reason) {
        if (reason == EndReason.CANCELLED || reason == EndReason.DEADLINE || reason == EndReason.MAX_TOTAL_TOKENS)
            stopping = true;
    }

    void onJoin(String parentKey) {
        List<Integer> merged = new ArrayList<>();
        for (String child : children.remove(parentKey)) merged.addAll(pathTokens.remove(child));
        if (parentKey.isEmpty()) emit(merged);
        else pathTokens.get(parentKey).addAll(merged);
    }

    /** Hands over the rest of the finished text. */
    void onFinish(GenerationResult result) {
        String text = result.text();
        if (!text.startsWith(sent.toString()))
            throw new IllegalStateException("request " + result.requestId() + ": the streamed text is not a prefix of"
                    + " the final text");
        if (text.length() > sent.length()) send(text.substring(sent.length()));
    }

    private void confirmRootForced() {
        if (rootForced.isEmpty()) return;
        emit(List.copyOf(rootForced));
        rootForced.clear();
    }

    private void emit(List<Integer> tokens) {
        if (stopping) return;
        var piece = new StringBuilder();
        for (int t : tokens) piece.append(decoder.accept(t));
        if (!piece.isEmpty()) send(piece.toString());
    }

    private void send(String piece) {
        sent.append(piece);
        sink.accept(piece);
    }
}
