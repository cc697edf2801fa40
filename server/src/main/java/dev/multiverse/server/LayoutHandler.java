package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.layout.GrammarBreak;
import dev.multiverse.layout.Layout;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.Arrays;

/**
 * {@code POST /v1/layout} (docs/server.md): the Multiverse layout of given token ids, as {@link
 * Layout} computes it from the tags alone: each token's text and position id, which earlier tokens
 * it sees, and where the text breaks the grammar. The playground draws its attention matrix from it.
 *
 * <p>Visibility is sent as runs: row {@code i} of {@code visible} is {@code [from0, to0, from1,
 * to1, ...]}, the half-open ranges of key indices {@code j <= i} that token {@code i} sees. A
 * sibling path hides one range, so a row has at most (nesting depth + 1) runs.
 *
 * <p>With {@code prompt_tokens: k} the first k tokens are a prompt: the grammar (which wants the
 * answer to open with {@code <Think>}) is checked on the rest only, and a break's {@code
 * token_index} still counts from the first token (its message counts from the answer's start).
 */
final class LayoutHandler {
    /** The most tokens one request may ask about: the matrix costs O(n^2 x depth) to compute. */
    static final int MAX_TOKENS = 4096;

    private final Tokenizer tokenizer;
    private final Prompts prompts;

    LayoutHandler(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.prompts = new Prompts(tokenizer);
    }

    /** The answer to a body {@code {"tokens": [ids], "prompt_tokens": k}} ({@code prompt_tokens} optional, default 0). */
    ObjectNode answer(JsonNode body) {
        Fields f = Fields.of(body);
        JsonNode list = f.node("tokens");
        if (list == null || !list.isArray()) throw f.wrong("tokens", "an array of token ids", list);
        if (list.size() > MAX_TOKENS)
            throw ApiException.invalid("tokens", "tokens has " + list.size() + " ids; at most " + MAX_TOKENS + " are laid out at once");
        int[] tokens = prompts.tokenIds("tokens", list);
        Integer promptTokens = f.intIn("prompt_tokens", 0, tokens.length);
        int prompt = promptTokens == null ? 0 : promptTokens;
        Layout layout = Layout.of(tokens, tokenizer.tags());
        Layout answer = prompt == 0 ? layout : Layout.of(Arrays.copyOfRange(tokens, prompt, tokens.length), tokenizer.tags());

        ObjectNode root = HttpReplies.JSON.createObjectNode();
        root.put("length", tokens.length);
        root.put("critical_path", layout.criticalPath());
        root.put("parallelism", layout.parallelism());
        ArrayNode texts = root.putArray("texts");
        for (int t : tokens) texts.add(tokenizer.decode(new int[] {t}));
        ArrayNode positions = root.putArray("positions");
        for (int p : layout.positions()) positions.add(p);
        ArrayNode visible = root.putArray("visible");
        for (int i = 0; i < tokens.length; i++) visible.add(runs(layout, i));
        ArrayNode breaks = root.putArray("breaks");
        for (GrammarBreak b : answer.breaks())
            breaks.addObject().put("token_index", prompt + b.tokenIndex()).put("rule", b.rule().name()).put("message", b.message());
        return root;
    }

    /** The runs of keys query {@code i} sees, flattened: from, to (exclusive), from, to, ... */
    private static ArrayNode runs(Layout layout, int i) {
        ArrayNode row = HttpReplies.JSON.createArrayNode();
        int from = -1;
        for (int j = 0; j <= i; j++) {
            boolean sees = layout.sees(i, j);
            if (sees && from < 0) from = j;
            if (!sees && from >= 0) {
                row.add(from).add(j);
                from = -1;
            }
        }
        if (from >= 0) row.add(from).add(i + 1);
        return row;
    }
}
