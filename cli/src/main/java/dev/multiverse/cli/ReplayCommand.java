package dev.multiverse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Replay;
import dev.multiverse.engine.RequestFailedException;
import dev.multiverse.engine.TraceJson;
import dev.multiverse.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse replay}: pushes a tagged text through the engine as forced tokens, forking and
 * joining at its tags, each live sequence advancing one token per step as if it had sampled it.
 * Prints the merged text's tokens, positions and log-probs (the meaning of {@code score}) and the
 * statistics; {@code --sequential} decodes the same tokens in one sequence, as an ordinary engine.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {
            "Replays a tagged text through the engine (as if the model wrote it) and prints, as JSON:",
            "tokens, positions, logprobs (null where nothing predicts the token, e.g. the prompt) and stats",
            "(steps, sequential_steps, total_tokens, critical_path, parallelism_ratio, wall_ms).",
            "The prompt is the text up to the last '<|im_start|>assistant\\n', or its first token."
        })
public final class ReplayCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Option(names = "--text-file", required = true, paramLabel = "FILE", description = "the tagged text, UTF-8")
    Path textFile;

    @Option(names = "--sequential", description = "decode the tokens one at a time in a single sequence (no fork)")
    boolean sequential;

    @Option(names = "--json", description = "print the JSON result (otherwise a one-line summary)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        String text = Files.readString(textFile);
        Tokenizer tokenizer = model.tokenizer();
        int[] tokens = tokenizer.encode(text);
        if (tokens.length == 0) throw new BadInputException(textFile + ": the text is empty");
        var config = dev.multiverse.engine.EngineConfig.defaults().withMaxForkDepth(sequential ? 0 : 64);
        GenerationResult r;
        try (var loaded = model.open(tokenizer, tokens.length + 1)) {
            var engine = new Engine(loaded.backend(), loaded.vocabulary(), config);
            var request = Replay.request(tokens, loaded.vocabulary());
            r = engine.generate(request);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RequestFailedException f)
                throw new BadInputException(textFile + ": " + f.getMessage(), f);
            throw e;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("mode", sequential ? "sequential" : "parallel");
        var ids = out.putArray("tokens");
        for (int t : r.tokens()) ids.add(t);
        var positions = out.putArray("positions");
        for (int p : r.positions()) positions.add(p);
        out.set("logprobs", TraceJson.logprobs(r.logprobs()));
        var stats = out.putObject("stats");
        stats.put("steps", r.stats().steps());
        stats.put("sequential_steps", sequentialSteps(r, config.prefillChunk()));
        stats.put("total_tokens", r.stats().totalTokens());
        stats.put("critical_path", r.stats().criticalPath());
        stats.put("parallelism_ratio", r.stats().parallelismRatio());
        stats.put("paths", r.stats().paths());
        stats.put("wall_ms", r.stats().wallMs());
        stats.put("finish_reason", r.finishReason().label());
        var w = spec.commandLine().getOut();
        if (json) {
            w.println(JSON.writeValueAsString(out));
        } else {
            w.printf("%s: %d tokens, critical path %d, %d steps (sequential %d), %.0f ms%n", sequential ? "sequential" : "parallel",
                    r.stats().totalTokens(), r.stats().criticalPath(), r.stats().steps(), sequentialSteps(r, config.prefillChunk()),
                    r.stats().wallMs());
        }
        w.flush();
        return MultiverseCli.EXIT_OK;
    }

    /** The steps an ordinary engine needs: the prompt in chunks, then one step per generated token. */
    static long sequentialSteps(GenerationResult r, int prefillChunk) {
        return (r.promptLength() + prefillChunk - 1) / prefillChunk + r.stats().totalTokens();
    }
}
