package dev.multiverse.cli;

import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.SamplingParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampling, budget and nesting options of {@code generate}; their checks live in the records they build. */
final class SamplingOptions {
    @Option(names = "--temperature", description = "0 = greedy (default: the model's generation_config.json, else 0.6)")
    Double temperature;

    @Option(names = "--top-k", description = "keep the k most likely tokens; 0 = off (default: generation_config.json, else 0)")
    Integer topK;

    @Option(names = "--top-p", description = "nucleus sampling; 1 = off (default: generation_config.json, else 0.95)")
    Double topP;

    @Option(names = "--min-p", defaultValue = "0", description = "drop tokens below min-p x the top probability; 0 = off")
    double minP;

    @Option(names = "--repetition-penalty", description = "1 = off (default: generation_config.json, else 1)")
    Double repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop string (repeatable)")
    List<String> stops = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "request seed; each path's stream derives from it")
    long seed;

    @Option(names = "--max-tokens", description = "tokens on the critical path (default: max_new_tokens of generation_config.json, else 4096)")
    Integer maxTokens;

    @Option(names = "--max-total-tokens", description = "tokens across all paths (default: 2 x --max-tokens)")
    Integer maxTotalTokens;

    @Option(names = "--max-paths", defaultValue = "16", description = "paths per block (default: ${DEFAULT-VALUE})")
    int maxPaths;

    @Option(names = "--max-depth", defaultValue = "4", description = "block nesting depth; 0 = sequential (default: ${DEFAULT-VALUE})")
    int maxDepth;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS", description = "deadline (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    /** The sampling parameters: what the command line says, the model's defaults for the rest. */
    SamplingParams sampling(GenerationDefaults model) {
        return new SamplingParams(temperature != null ? temperature : model.temperature(),
                topK != null ? topK : model.topK(), topP != null ? topP : model.topP(), minP,
                repetitionPenalty != null ? repetitionPenalty : model.repetitionPenalty(), stops, seed);
    }

    Budgets budgets(GenerationDefaults model) {
        int critical = maxTokens != null ? maxTokens : model.maxNewTokens() != null ? model.maxNewTokens() : 4096;
        int total = maxTotalTokens != null ? maxTotalTokens : 2 * critical;
        return new Budgets(critical, total, maxPaths, Duration.ofNanos((long) (timeoutSeconds * 1e9)));
    }

    EngineConfig engineConfig() {
        return EngineConfig.defaults().withMaxForkDepth(maxDepth);
    }
}
