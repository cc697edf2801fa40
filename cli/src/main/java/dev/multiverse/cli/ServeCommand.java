package dev.multiverse.cli;

import dev.multiverse.engine.EngineConfig;
import dev.multiverse.server.OpenAiServer;
import dev.multiverse.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multiverse serve}: the OpenAI-compatible server (docs/server.md) on the model, until the
 * process is stopped. The sampling and budget options set what a request gets when it leaves a
 * field out; {@code --max-tokens} is also the largest {@code max_tokens} a request may ask.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the model over the OpenAI API: POST /v1/chat/completions, POST /v1/completions, GET /v1/models,"
                    + " GET /health, GET /metrics. All requests share the engine's continuous batching.",
            "Sampling and budget options are the defaults of requests that leave those fields out."
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin ModelOptions model;

    @Mixin SamplingOptions options;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "port; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--kv-slots", defaultValue = "16384",
            description = "KV slots of the pool, shared by all requests (default: ${DEFAULT-VALUE})")
    int kvSlots;

    @Option(names = "--max-queue", defaultValue = "256",
            description = "requests waiting or running at once; more are answered 429 (default: ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--max-running", defaultValue = "64",
            description = "requests decoded together; the others wait for admission (default: ${DEFAULT-VALUE})")
    int maxRunning;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "the model id of the API (default: the model directory's name)")
    String servedName;

    @Override
    public Integer call() throws Exception {
        Path dir = model.directory();
        if (kvSlots < 1) throw new BadInputException("--kv-slots must be >= 1, got " + kvSlots);
        var defaults = GenerationDefaults.of(dir);
        String id = servedName != null ? servedName : dir.toAbsolutePath().normalize().getFileName().toString();
        var config = new ServerConfig(host, port, id, options.sampling(defaults), options.budgets(defaults), maxQueue,
                1 << 20, Duration.ofSeconds(1));
        EngineConfig d = options.engineConfig();
        var engine = new EngineConfig(d.maxForkDepth(), d.prefillChunk(), maxRunning, d.scoreTokens());
        var tokenizer = model.tokenizer();
        var out = spec.commandLine().getOut();
        try (var loaded = model.open(tokenizer, kvSlots);
             var server = OpenAiServer.start(loaded.backend(), loaded.vocabulary(), engine, config)) {
            out.printf("multiverse serve: %s on http://%s:%d/v1 (%s, %d KV slots), the playground on http://%s:%d/;"
                    + " stop with Ctrl-C%n", id, host, server.port(), model.device.label(), kvSlots, host, server.port());
            out.flush();
            new CountDownLatch(1).await(); // serve until the thread is interrupted or the process ends
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        }
        return MultiverseCli.EXIT_OK;
    }
}
