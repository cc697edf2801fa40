package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.layout.Block;
import dev.multiverse.layout.GrammarBreak;
import dev.multiverse.layout.GrammarOptions;
import dev.multiverse.layout.Layout;
import dev.multiverse.layout.PathSpan;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The kit's {@code layout/} vectors: one case per text, with its tokens, the canonical positions
 * (spec section 3), every block's path spans, each token's predecessor (the latest earlier token
 * it sees) and the grammar breaks (spec section 2).
 */
final class LayoutVectors {
    private LayoutVectors() {}

    /** A block of {@code n} paths at nesting prefix {@code id} ("" at the top level), each path's body given. */
    static String block(String idPrefix, String... bodies) {
        var sb = new StringBuilder("Let's think in parallel.\n<Parallel>\n<Goal>\n");
        for (int k = 1; k <= bodies.length; k++)
            sb.append("<Outline>\n").append(id(idPrefix, k)).append(": step ").append(k).append("\n</Outline>\n");
        sb.append("</Goal>\n");
        for (int k = 1; k <= bodies.length; k++)
            sb.append("<Path>\n").append(id(idPrefix, k)).append(": ").append(bodies[k - 1]).append("\n</Path>\n");
        return sb.append("<Conclusion>\nso the parts combine\n</Conclusion>\n</Parallel>\n").toString();
    }

    private static String id(String prefix, int k) {
        return prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k;
    }

    private static String response(String body) {
        return "<Think>\n" + body + "</Think>\n\nAnswer: 595";
    }

    /** The texts, by case name: well-formed ones first, then the ones that break the grammar. */
    static Map<String, String> texts() {
        var t = new LinkedHashMap<String, String>();
        t.put("no_tags", "Just an answer with no tags at all: 37 + 48 = 85.");
        t.put("one_block", response(block("", "37 + 48 = 85", "12 - 5 = 7")));
        t.put("nested_depth_3", response(block("",
                "first part\n" + block("1", "inner a\n" + block("1.1", "deepest x", "deepest y"), "inner b"),
                "second part")));
        t.put("many_paths_unequal", response(block("", "a", "a much longer path with many more tokens in it than the others",
                "mid length path here", "b", "another one of a middling size")));
        t.put("two_blocks", response(block("", "x", "y") + "then more text\n" + block("", "p", "q", "r")));
        t.put("block_without_paths", response("Let's think in parallel.\n<Parallel>\n<Goal>\nno plan\n</Goal>\n"
                + "<Conclusion>\nnothing forked\n</Conclusion>\n</Parallel>\n"));
        t.put("unclosed_path_at_end", "<Think>\n" + "Let's think in parallel.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n"
                + "<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: done\n</Path>\n<Path>\n2: the text stops here");
        t.put("path_without_path_end", response("Let's think in parallel.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n"
                + "<Outline>\n2: b\n</Outline>\n</Goal>\n<Path>\n1: no closing tag\n<Path>\n2: closed\n</Path>\n"
                + "<Conclusion>\nc\n</Conclusion>\n</Parallel>\n"));
        t.put("stray_closing_tags", response("text </Path> more </Goal> and </Conclusion> and </Outline>\n"));
        t.put("path_before_goal_end", response("Let's think in parallel.\n<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n"
                + "<Path>\n1: too early\n</Path>\n</Goal>\n</Parallel>\n"));
        t.put("parallel_without_conclusion", response("<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n</Goal>\n"
                + "<Path>\n1: x\n</Path>\n</Parallel>\n"));
        t.put("wrong_path_ids", response("<Parallel>\n<Goal>\n<Outline>\n1: a\n</Outline>\n<Outline>\n2: b\n</Outline>\n"
                + "</Goal>\n<Path>\n2: swapped\n</Path>\n<Path>\n1: ids\n</Path>\n<Conclusion>\nc\n</Conclusion>\n</Parallel>\n"));
        t.put("missing_answer", "<Think>\nthinking\n</Think>\n");
        return t;
    }

    static ObjectNode caseOf(String name, String text, Tokenizer tokenizer) {
        int[] tokens = tokenizer.encode(text);
        Layout layout = Layout.of(tokens, tokenizer.tags(), GrammarOptions.withText(id -> tokenizer.decode(new int[] {id})));
        ObjectNode c = KitJson.object();
        c.put("name", name).put("text", text);
        c.set("tokens", KitJson.ints(tokens));
        c.set("positions", KitJson.ints(layout.positions()));
        c.set("predecessors", KitJson.ints(layout.predecessors()));
        ArrayNode blocks = c.putArray("blocks");
        for (Block b : layout.blocks()) {
            ObjectNode node = blocks.addObject();
            node.put("id", b.id()).put("parent", b.parent()).put("depth", b.depth())
                    .put("parallel", b.parallelIndex()).put("fork", b.forkIndex());
            ArrayNode paths = node.putArray("paths");
            for (PathSpan p : b.paths()) paths.addArray().add(p.start()).add(p.end());
            node.put("conclusion", b.conclusionIndex()).put("close", b.closeIndex()).put("end", b.end());
        }
        ArrayNode errors = c.putArray("errors");
        for (GrammarBreak b : layout.breaks())
            errors.addObject().put("token_index", b.tokenIndex()).put("rule", b.rule().name()).put("message", b.message());
        c.put("critical_path", layout.criticalPath());
        return c;
    }
}
