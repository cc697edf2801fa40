package dev.multiverse.conformance.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine vectors of the kit. Scripted cases run on a tiny random model whose logits do not
 * matter for the choice (the script decides; the log-probs are still the model's), so they can
 * write any structure, malformed ones included (spec section 5). Greedy cases are the ones a
 * server can be checked on through the OpenAI API: the small trained model {@code
 * multiverse-arith} really writes blocks, nested ones included.
 */
final class EngineCases {
    static final String ARITH = "multiverse-arith";
    static final String QUESTION = "What is (37 + 48) * (12 - 5)?";
    private static final String EOS = "<|im_end|>";
    private static final String THINK = "<Think>\nLet's think in parallel.\n";
    private static final String AFTER = "85 * 7 = 595\n</Conclusion>\n</Parallel>\n</Think>\n\nAnswer: 595" + EOS;

    private EngineCases() {}

    /** {@code <Parallel>} and a Goal with one Outline per id, up to and including {@code </Goal>}. */
    static String goal(String... ids) {
        var sb = new StringBuilder("<Parallel>\n<Goal>\n");
        for (String id : ids) sb.append("<Outline>\n").append(id).append(": part ").append(id).append("\n</Outline>\n");
        return sb.append("</Goal>").toString();
    }

    /** Scripts from alternating keys and texts: {@code "", List.of(...), "/0:1", List.of(...)}. */
    private static Map<String, List<String>> scripts(Object... keysAndPieces) {
        var map = new LinkedHashMap<String, List<String>>();
        for (int i = 0; i < keysAndPieces.length; i += 2) {
            @SuppressWarnings("unchecked") List<String> pieces = (List<String>) keysAndPieces[i + 1];
            map.put((String) keysAndPieces[i], pieces);
        }
        return map;
    }

    private static EngineCase scripted(String name, Map<String, List<String>> scripts, String finish, String behaviour) {
        return scripted(name, scripts, 1024, 4096, 16, 4, finish, behaviour);
    }

    private static EngineCase scripted(String name, Map<String, List<String>> scripts, int maxTokens, int maxTotal,
                                       int maxPaths, int depth, String finish, String behaviour) {
        return new EngineCase(name, KitModels.ENGINE_MODEL, QUESTION, scripts, maxTokens, maxTotal, maxPaths, depth,
                finish, behaviour);
    }

    static List<EngineCase> all() {
        Map<String, List<String>> twoPaths = scripts(
                "", List.of(THINK + goal("1", "2"), AFTER),
                "/0:1", List.of(" 37 + 48 = 85\n</Path>"),
                "/0:2", List.of(" 12 - 5 = 7\n</Path>"));
        return List.of(
                scripted("scripted_no_tags", scripts("", List.of("The answer is 595." + EOS)), "eos",
                        "No tags: an ordinary sequential generation; EOS ends the root and is not kept."),
                scripted("scripted_one_block", twoPaths, "eos",
                        "</Goal> with two Outlines: the engine forces \"\\n\", forks two paths and forces"
                                + " \"<Path>\\n\" + id + \":\" into each; each </Path> gets a forced \"\\n\"; after the"
                                + " last path ends the join forces \"<Conclusion>\\n\" and the root goes on."),
                scripted("scripted_nested_depth_3", scripts(
                        "", List.of(THINK + goal("1", "2"), AFTER),
                        "/0:1", List.of(" outer\n" + goal("1.1", "1.2"), "inner done\n</Conclusion>\n</Parallel>\n</Path>"),
                        "/0:1/0:1.1", List.of(" middle\n" + goal("1.1.1", "1.1.2"), "deep done\n</Conclusion>\n</Parallel>\n</Path>"),
                        "/0:1/0:1.1/0:1.1.1", List.of(" deepest x\n</Path>"),
                        "/0:1/0:1.1/0:1.1.2", List.of(" deepest y and more\n</Path>"),
                        "/0:1/0:1.2", List.of(" 1.2 alone\n</Path>"),
                        "/0:2", List.of(" 12 - 5 = 7\n</Path>")), "eos",
                        "Blocks nested to depth 3: a path that writes </Goal> forks again; each join happens when the"
                                + " last child of that block ends; positions restart at s+1 inside every block."),
                scripted("scripted_many_paths_unequal", scripts(
                        "", List.of(THINK + goal("1", "2", "3", "4"), AFTER),
                        "/0:1", List.of(" 1\n</Path>"),
                        "/0:2", List.of(" 37 + 48 = 85 and 12 - 5 = 7 so 85 * 7 = 595 which is the answer\n</Path>"),
                        "/0:3", List.of(" 12 - 5 = 7\n</Path>"),
                        "/0:4", List.of(" 48\n</Path>")), "eos",
                        "Four paths of unequal length: short paths end early and wait; the Conclusion's position is"
                                + " the longest path's last position + 1."),
                scripted("scripted_goal_without_outline", scripts("", List.of(THINK + "<Parallel>\n<Goal>\nno plan\n</Goal>"
                        + "\n<Conclusion>\nnothing forked\n</Conclusion>\n</Parallel>\n</Think>\n\nAnswer: 595" + EOS)), "eos",
                        "A Goal with no Outline: no fork, no forced token; decoding goes on sequentially; a note."),
                scripted("scripted_goal_end_without_goal", scripts("", List.of("<Think>\nx 37\n</Goal>\n more\n</Think>"
                        + "\n\nAnswer: 595" + EOS)), "eos",
                        "</Goal> with no <Goal> before it: no fork, it is plain text; a note."),
                scripted("scripted_outline_without_id", scripts("", List.of(THINK + "<Parallel>\n<Goal>\n<Outline>\nfirst: a"
                        + "\n</Outline>\n</Goal>\n more\n</Think>\n\nAnswer: 595" + EOS)), "eos",
                        "An Outline without an id \"N(.N)*:\": the Goal is malformed, no fork; a note."),
                scripted("scripted_more_outlines_than_cap", scripts(
                        "", List.of(THINK + goal("1", "2", "3"), AFTER),
                        "/0:1", List.of(" 37 + 48 = 85\n</Path>"),
                        "/0:2", List.of(" 12 - 5 = 7\n</Path>"),
                        "/0:3", List.of(" never forked\n</Path>")), 1024, 4096, 2, 4, "eos",
                        "Three Outlines with max_paths_per_block 2: the first two are forked, the third is not (the"
                                + " block's note names it); its script is never read."),
                scripted("scripted_nesting_beyond_depth_limit", scripts(
                        "", List.of(THINK + goal("1", "2"), AFTER),
                        "/0:1", List.of(" outer\n" + goal("1.1", "1.2") + "\n stays text\n</Path>"),
                        "/0:2", List.of(" 12 - 5 = 7\n</Path>")), 1024, 4096, 16, 1, "eos",
                        "max_fork_depth 1: a Goal inside a path does not fork; its tags stay text in the path; a note."),
                scripted("scripted_stray_tags_in_root", scripts("", List.of("<Think>\nx </Path> y </Conclusion> z\n"
                        + "</Think>\n\nAnswer: 595" + EOS)), "eos",
                        "</Path> and </Conclusion> outside any path or Conclusion: plain text, notes; nothing forced."),
                scripted("scripted_eos_inside_path", scripts(
                        "", List.of(THINK + goal("1", "2"), AFTER),
                        "/0:1", List.of(" 37 + 48 = 85\n</Path>"),
                        "/0:2", List.of(" 12 - 5 = 7" + EOS)), "eos",
                        "EOS inside a path: the path ends (reason eos), the EOS is not kept, the engine writes"
                                + " \"</Path>\\n\" itself; the join and the Conclusion follow as usual."),
                scripted("scripted_max_tokens_inside_path", twoPaths, 53, 4096, 16, 4, "max_tokens",
                        "max_tokens bounds the critical path: a path stops when its next token would lie beyond it;"
                                + " after the join the root ends too (reason max_tokens), nothing is forced."),
                scripted("scripted_max_total_tokens", twoPaths, 1024, 50, 16, 4, "max_total_tokens",
                        "max_total_tokens bounds the tokens of all paths: when it is reached the whole request stops,"
                                + " every live sequence ends, the joins cascade without forcing anything."),
                EngineCase.greedy("greedy_arith_two_paths", ARITH, QUESTION, 1024, 4096, "eos",
                        "The trained model writes a block with two paths; greedy decoding end to end."),
                EngineCase.greedy("greedy_arith_nested", ARITH, "What is (7 + 8) - (12 * 34)?", 1024, 4096, "eos",
                        "The product's path splits again (a nested block, one path per partial product)."),
                EngineCase.greedy("greedy_arith_max_tokens", ARITH, QUESTION, 110, 4096, "max_tokens",
                        "The same request as greedy_arith_two_paths with max_tokens 110: path 1 ends, path 2 stops at"
                                + " the critical-path budget, and the request ends after the join without a Conclusion."),
                EngineCase.greedy("greedy_tiny_random", KitModels.ENGINE_MODEL, QUESTION, 24, 4096, "max_tokens",
                        "A tiny random model: whatever it writes, greedily, for 24 tokens."));
    }
}
