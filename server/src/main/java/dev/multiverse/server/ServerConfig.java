package dev.multiverse.server;

import dev.multiverse.engine.Budgets;
import dev.multiverse.engine.SamplingParams;
import java.time.Duration;

/**
 * How the server runs and what a request gets when it leaves a field out.
 *
 * @param host the address to bind (loopback by default in the CLI)
 * @param port the port; 0 picks a free one
 * @param modelId the id {@code /v1/models} lists and requests may name
 * @param sampling the defaults of temperature, top_p, top_k, min_p, repetition penalty and seed
 *     (stop strings come from the request only)
 * @param budgets {@code maxTokens}: the default and largest {@code max_tokens} (the context may
 *     lower it); {@code maxTotalTokens}: the largest {@code max_total_tokens} (the default is twice
 *     the request's {@code max_tokens}); {@code maxPathsPerBlock}: the default paths cap;
 *     {@code timeout}: the default and longest deadline
 * @param maxQueue the most requests waiting or running at once; more are answered 429
 * @param maxBodyBytes the largest request body; larger ones are answered 413
 * @param heartbeat how often a stream with nothing to say sends a comment (and so notices a client
 *     that went away)
 */
public record ServerConfig(String host, int port, String modelId, SamplingParams sampling, Budgets budgets,
                           int maxQueue, int maxBodyBytes, Duration heartbeat) {

    public ServerConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (modelId == null || modelId.isBlank()) throw new IllegalArgumentException("the model id must not be blank");
        if (maxQueue < 1) throw new IllegalArgumentException("max queue must be >= 1, got " + maxQueue);
        if (maxBodyBytes < 1024) throw new IllegalArgumentException("max body must be >= 1024 bytes, got " + maxBodyBytes);
        if (heartbeat.isNegative() || heartbeat.isZero())
            throw new IllegalArgumentException("the heartbeat must be positive, got " + heartbeat);
        if (!sampling.stopStrings().isEmpty()) throw new IllegalArgumentException("default stop strings are not supported");
    }

    /** Loopback, the given port, greedy, the engine's default budgets, 256 queued requests, 1 MiB bodies, 1 s heartbeat. */
    public static ServerConfig defaults(String modelId, int port) {
        return new ServerConfig("127.0.0.1", port, modelId, SamplingParams.greedy(), Budgets.defaults(), 256,
                1 << 20, Duration.ofSeconds(1));
    }

    public ServerConfig withSampling(SamplingParams s) {
        return new ServerConfig(host, port, modelId, s, budgets, maxQueue, maxBodyBytes, heartbeat);
    }

    public ServerConfig withBudgets(Budgets b) {
        return new ServerConfig(host, port, modelId, sampling, b, maxQueue, maxBodyBytes, heartbeat);
    }

    public ServerConfig withMaxQueue(int n) {
        return new ServerConfig(host, port, modelId, sampling, budgets, n, maxBodyBytes, heartbeat);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, modelId, sampling, budgets, maxQueue, maxBodyBytes, heartbeat);
    }
}
