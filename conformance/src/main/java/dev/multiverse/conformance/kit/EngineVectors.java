package dev.multiverse.conformance.kit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.contract.Backend;
import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.engine.SamplingParams;
import dev.multiverse.engine.TokenizerVocabulary;
import dev.multiverse.engine.Trace;
import dev.multiverse.tokenizer.ChatFormat;
import dev.multiverse.tokenizer.Tokenizer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link EngineCase} through the engine on the reference backend and writes the vector:
 * the request, the scripts, and the expected behaviour (the merged tokens with positions, log-probs,
 * path keys and origins, the finish reason, every sequence with its parent and end reason, the
 * forks, ends and joins, and which sequences exist at each step).
 */
final class EngineVectors {
    private EngineVectors() {}

    /** A kit model opened for the engine. */
    record Model(String name, Tokenizer tokenizer, TokenizerVocabulary vocabulary, Backend backend) {}

    static ObjectNode run(EngineCase c, Model model) {
        Tokenizer tok = model.tokenizer();
        String promptText = ChatFormat.qwen25().multiversePrompt(c.question());
        int[] prompt = tok.encode(promptText);
        Map<String, int[]> scripts = new LinkedHashMap<>();
        c.scripts().forEach((key, pieces) -> scripts.put(key, concat(pieces.stream().map(tok::encode).toList())));

        var config = EngineConfig.defaults().withMaxForkDepth(c.maxForkDepth()).withPrefillChunk(1 << 20);
        var engine = new Engine(model.backend(), model.vocabulary(), config);
        var recorder = new EngineRecorder(engine::steps);
        var budgets = new Budgets(c.maxTokens(), c.maxTotalTokens(), c.maxPaths(), Duration.ofHours(1));
        var chooser = c.isGreedy() ? null : new ScriptedChooser(scripts, "");
        RequestHandle handle = engine.submit(new Request(prompt, SamplingParams.greedy(), budgets, chooser, recorder));
        while (!handle.isDone()) {
            engine.step();
            recorder.endOfStep();
        }
        GenerationResult r = handle.result().join();
        if (!r.finishReason().label().equals(c.finishReason()))
            throw new IllegalStateException("engine case " + c.name() + " ended with " + r.finishReason().label()
                    + ", it is written to end with " + c.finishReason());

        ObjectNode v = KitJson.object();
        v.put("name", c.name()).put("kind", c.isGreedy() ? "greedy" : "scripted").put("model", c.model());
        v.put("behaviour", c.behaviour());
        ObjectNode request = v.putObject("request");
        request.put("prompt_text", promptText).set("prompt", KitJson.ints(prompt));
        request.put("temperature", 0).put("max_tokens", c.maxTokens()).put("max_total_tokens", c.maxTotalTokens())
                .put("max_paths_per_block", c.maxPaths()).put("max_fork_depth", c.maxForkDepth());
        if (!c.isGreedy()) {
            ObjectNode s = v.putObject("scripts");
            scripts.forEach((key, ids) -> s.set(key, KitJson.ints(ids)));
        }
        v.set("expected", expected(r, recorder));
        return v;
    }

    private static ObjectNode expected(GenerationResult r, EngineRecorder recorder) {
        int p = r.promptLength();
        int n = r.tokens().length;
        ObjectNode e = KitJson.object();
        e.put("finish_reason", r.finishReason().label());
        e.put("text", r.text());
        e.set("tokens", KitJson.ints(r.generatedTokens()));
        e.set("positions", KitJson.ints(Arrays.copyOfRange(r.positions(), p, n)));
        e.set("logprobs", KitJson.logprobs(Arrays.copyOfRange(r.logprobs(), p, n)));
        ArrayNode keys = e.putArray("path_keys");
        ArrayNode origins = e.putArray("origins");
        for (int j = p; j < n; j++) {
            keys.add(r.pathKeys()[j]);
            origins.add(r.origins()[j].name().toLowerCase(java.util.Locale.ROOT));
        }
        ObjectNode stats = e.putObject("stats");
        stats.put("total_tokens", r.stats().totalTokens()).put("critical_path", r.stats().criticalPath())
                .put("parallelism_ratio", r.stats().parallelismRatio()).put("paths", r.stats().paths());
        e.set("sequences", recorder.sequences());
        e.set("notes", notes(r.trace().root()));
        e.set("events", recorder.events());
        e.set("steps", recorder.steps());
        return e;
    }

    /** The engine's notes, by path key (a block's notes under its parent's key), only where there are any. */
    private static ObjectNode notes(Trace.Path root) {
        ObjectNode out = KitJson.object();
        collect(root, out);
        return out;
    }

    private static void collect(Trace.Path path, ObjectNode out) {
        List<String> all = new java.util.ArrayList<>(path.notes());
        for (Trace.Block b : path.blocks()) all.addAll(b.notes());
        if (!all.isEmpty()) out.set(path.key(), KitJson.JSON.valueToTree(all));
        for (Trace.Block b : path.blocks()) for (Trace.Path child : b.paths()) collect(child, out);
    }

    private static int[] concat(List<int[]> parts) {
        int total = parts.stream().mapToInt(a -> a.length).sum();
        int[] out = new int[total];
        int at = 0;
        for (int[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }
}
