package dev.multiverse.conformance.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.multiverse.contract.LogProbs;
import dev.multiverse.contract.Qwen2Weights;
import dev.multiverse.layout.Layout;
import dev.multiverse.reference.Qwen2;
import dev.multiverse.tokenizer.Tokenizer;
import dev.multiverse.weights.ModelConfig;
import dev.multiverse.weights.WeightStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine vectors read back without the engine: the positions follow from the path keys alone
 * and equal the layout of the merged text, every log-prob is the one-pass log-prob of the merged
 * text under that visibility (the lossless property), the scripts were followed, the per-step
 * record adds up to the merged tokens, and each malformed case ends the way the spec asks.
 */
class KitEngineTest {
    /** Cases whose script is cut by a budget or the paths cap: the sampled tokens are a prefix of the script. */
    static final Set<String> CUT = Set.of("scripted_max_tokens_inside_path", "scripted_max_total_tokens",
            "scripted_more_outlines_than_cap");

    /**
     * The case where the engine and the text-only layout part ways, as docs/layout.md says they may:
     * a Goal beyond the fork depth stays text in its path, but the layout, seeing {@code </Goal>},
     * lets the block take the next sibling {@code <Path>}. The key-derived positions are the engine's.
     */
    static final String NESTED_TAGS_AS_TEXT = "scripted_nesting_beyond_depth_limit";

    @Test
    void everyVectorIsLosslessAndConsistent() throws Exception {
        Map<String, Qwen2> models = new HashMap<>();
        List<WeightStore> stores = new ArrayList<>();
        int checked = 0;
        try {
            for (String f : KitFiles.files(ExportedKit.dir())) {
                if (!f.startsWith("engine/")) continue;
                JsonNode v = ExportedKit.json(f);
                String model = v.get("model").asText();
                Qwen2 qwen = models.computeIfAbsent(model, name -> open(ExportedKit.dir().resolve("model/" + name), stores));
                Tokenizer tok = Tokenizer.load(ExportedKit.dir().resolve("model/" + model + "/tokenizer.json"));
                check(v, qwen, tok);
                checked++;
            }
        } finally {
            for (Qwen2 q : models.values()) q.close();
            for (WeightStore s : stores) s.close();
        }
        assertEquals(EngineCases.all().size(), checked);
    }

    private static Qwen2 open(Path dir, List<WeightStore> stores) {
        try {
            WeightStore store = WeightStore.open(dir);
            stores.add(store);
            return new Qwen2(Qwen2Weights.from(store, ModelConfig.load(dir.resolve("config.json"))), 2);
        } catch (Exception e) {
            throw new AssertionError(dir + ": " + e.getMessage(), e);
        }
    }

    private static void check(JsonNode v, Qwen2 model, Tokenizer tok) {
        String name = v.get("name").asText();
        JsonNode exp = v.get("expected");
        int[] prompt = KitJson.toInts(v.get("request").get("prompt"));
        int[] generated = KitJson.toInts(exp.get("tokens"));
        int p = prompt.length, n = p + generated.length;
        int[] tokens = Arrays.copyOf(prompt, n);
        System.arraycopy(generated, 0, tokens, p, generated.length);
        String[] keys = new String[n];
        Arrays.fill(keys, "");
        for (int j = 0; j < generated.length; j++) keys[p + j] = exp.get("path_keys").get(j).asText();
        assertEquals(exp.get("text").asText(), tok.decode(generated), name);

        KeyTree tree = new KeyTree(keys);
        int[] positions = tree.positions();
        assertArrayEquals(Arrays.copyOfRange(positions, p, n), KitJson.toInts(exp.get("positions")), name + ": positions from the keys");
        int[] layout = Layout.of(tokens, tok.tags()).positions();
        if (name.equals(NESTED_TAGS_AS_TEXT))
            assertFalse(Arrays.equals(positions, layout), name + ": the layout forks the nested Goal the engine kept as text");
        else
            assertArrayEquals(positions, layout, name + ": positions are the layout's");
        int maxTokens = v.get("request").get("max_tokens").asInt();
        for (int j = p; j < n; j++) assertTrue(positions[j] <= p + maxTokens - 1, name + ": token " + j + " beyond max_tokens");

        double[] single = LogProbs.score(model::forward, tokens, positions, tree::sees).logProbs();
        double[] logprobs = KitJson.toDoubles(exp.get("logprobs"));
        for (int j = 0; j < generated.length; j++)
            assertEquals(single[p + j], logprobs[j], 1e-4, name + ": log-prob of generated token " + j);

        Map<String, List<Integer>> own = new LinkedHashMap<>(), sampled = new LinkedHashMap<>();
        for (int j = 0; j < generated.length; j++) {
            String key = keys[p + j];
            own.computeIfAbsent(key, k -> new ArrayList<>()).add(generated[j]);
            if (exp.get("origins").get(j).asText().equals("sampled")) sampled.computeIfAbsent(key, k -> new ArrayList<>()).add(generated[j]);
        }
        Map<String, List<Integer>> appended = new LinkedHashMap<>();
        for (JsonNode step : exp.get("steps"))
            step.get("appended").fields().forEachRemaining(e -> e.getValue().forEach(t -> appended.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(t.asInt())));
        assertEquals(own, appended, name + ": the steps' appended tokens add up to each sequence's tokens");

        Map<String, String> parents = new HashMap<>();
        for (JsonNode s : exp.get("sequences")) {
            String key = s.get("key").asText();
            parents.put(key, s.get("parent").isNull() ? null : s.get("parent").asText());
            if (!key.isEmpty()) assertEquals(key.substring(0, key.lastIndexOf('/')), s.get("parent").asText(), name);
        }
        assertTrue(parents.keySet().containsAll(own.keySet()), name + ": every writer is a listed sequence");
        assertEquals(v.has("scripts"), v.get("kind").asText().equals("scripted"), name);
        if (v.has("scripts")) checkScripts(name, v.get("scripts"), sampled, tok);
    }

    /** Each sequence chose exactly its script (EOS excluded: it ends the sequence and is not kept), or a prefix of it when cut. */
    private static void checkScripts(String name, JsonNode scripts, Map<String, List<Integer>> sampled, Tokenizer tok) {
        int eos = tok.idOf("<|im_end|>").orElseThrow();
        scripts.fields().forEachRemaining(e -> {
            List<Integer> script = new ArrayList<>();
            e.getValue().forEach(t -> script.add(t.asInt()));
            List<Integer> kept = script.stream().filter(t -> t != eos).toList();
            List<Integer> chose = sampled.getOrDefault(e.getKey(), List.of());
            if (CUT.contains(name)) assertEquals(kept.subList(0, Math.min(chose.size(), kept.size())), chose, name + " " + e.getKey());
            else assertEquals(kept, chose, name + ": script of " + e.getKey());
        });
    }

    @Test
    void malformedCasesEndAsTheSpecSays() {
        assertEquals(List.of(""), sequenceKeys("scripted_goal_without_outline"), "no fork");
        assertTrue(notes("scripted_goal_without_outline").contains("no <Outline>"));
        assertEquals(List.of(""), sequenceKeys("scripted_goal_end_without_goal"));
        assertEquals(List.of(""), sequenceKeys("scripted_outline_without_id"));
        assertEquals(List.of("", "/0:1", "/0:2"), sequenceKeys("scripted_more_outlines_than_cap"), "forked up to the cap");
        assertTrue(notes("scripted_more_outlines_than_cap").contains("capped to 2"));
        assertEquals(List.of("", "/0:1", "/0:2"), sequenceKeys("scripted_nesting_beyond_depth_limit"), "no nested fork");
        assertTrue(notes("scripted_stray_tags_in_root").contains("</Path> outside any path"));
        JsonNode eos = ExportedKit.json("engine/scripted_eos_inside_path.json").get("expected");
        assertEquals("eos", endReason(eos, "/0:2"));
        assertEquals("eos", eos.get("finish_reason").asText());
        assertTrue(eos.get("text").asText().contains("12 - 5 = 7</Path>\n<Conclusion>"), "the engine closed the path");
        JsonNode cut = ExportedKit.json("engine/scripted_max_tokens_inside_path.json").get("expected");
        assertEquals("path_end", endReason(cut, "/0:2"));
        assertEquals("max_tokens", endReason(cut, "/0:1"));
        assertTrue(!cut.get("text").asText().contains("<Conclusion>"), "nothing forced after a max_tokens join");
        JsonNode total = ExportedKit.json("engine/scripted_max_total_tokens.json").get("expected");
        assertEquals(50, total.get("stats").get("total_tokens").asInt());
        assertEquals("max_total_tokens", endReason(total, "/0:1"));
        assertEquals(List.of("", "/0:1", "/0:2", "/0:2/0:2.1", "/0:2/0:2.2"), sequenceKeys("greedy_arith_nested"));
    }

    private static List<String> sequenceKeys(String vector) {
        List<String> keys = new ArrayList<>();
        for (JsonNode s : ExportedKit.json("engine/" + vector + ".json").get("expected").get("sequences")) keys.add(s.get("key").asText());
        return keys;
    }

    private static String notes(String vector) {
        return ExportedKit.json("engine/" + vector + ".json").get("expected").get("notes").toString();
    }

    private static String endReason(JsonNode expected, String key) {
        for (JsonNode s : expected.get("sequences")) if (s.get("key").asText().equals(key)) return s.get("end_reason").asText();
        throw new AssertionError("no sequence " + key);
    }
}
