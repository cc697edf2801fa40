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
    @Option(names = "--temperature", defaultValue = "0.6", description = "0 = greedy (default: ${DEFAULT-VALUE})")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k most likely tokens; 0 = off")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "nucleus sampling; 1 = off (default: ${DEFAULT-VALUE})")
    double topP;

    @Option(names = "--min-p", defaultValue = "0", description = "drop tokens below min-p x the top probability; 0 = off")
    double minP;

    @Option(names = "--repetition-penalty", defaultValue = "1", description = "1 = off")
    double repetitionPenalty;

    @Option(names = "--stop", paramLabel = "TEXT", description = "stop string (repeatable)")
    List<String> stops = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "request seed; each path's stream derives from it")
    long seed;

    @Option(names = "--max-tokens", defaultValue = "1024", description = "tokens on the critical path (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--max-total-tokens", defaultValue = "4096",
            description = "tokens across all paths (default: ${DEFAULT-VALUE})")
    int maxTotalTokens;

    @Option(names = "--max-paths", defaultValue = "16", description = "paths per block (default: ${DEFAULT-VALUE})")
    int maxPaths;

    @Option(names = "--max-depth", defaultValue = "4", description = "block nesting depth; 0 = sequential (default: ${DEFAULT-VALUE})")
    int maxDepth;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS", description = "deadline (default: ${DEFAULT-VALUE})")
    double timeoutSeconds;

    SamplingParams sampling() {
        return new SamplingParams(temperature, topK, topP, minP, repetitionPenalty, stops, seed);
    }

    Budgets budgets() {
        return new Budgets(maxTokens, maxTotalTokens, maxPaths, Duration.ofNanos((long) (timeoutSeconds * 1e9)));
    }

    EngineConfig engineConfig() {
        return EngineConfig.defaults().withMaxForkDepth(maxDepth);
    }
}
