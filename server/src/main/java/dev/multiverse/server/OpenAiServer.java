package dev.multiverse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.multiverse.contract.Backend;
import dev.multiverse.engine.Engine;
import dev.multiverse.engine.EngineConfig;
import dev.multiverse.engine.TokenizerVocabulary;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OpenAI-compatible HTTP server over one Multiverse engine (docs/server.md): the JDK's {@link
 * HttpServer} with one virtual thread per exchange, and one {@link EngineLoop} thread that all
 * requests share.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OpenAiServer.class.getName());

    private final HttpServer http;
    private final ExecutorService executor;
    private final EngineLoop loop;
    private final ServerMetrics metrics;
    private final ServerConfig config;
    private final GenerationHandler generation;
    private final LayoutHandler layout;
    private final long created = Instant.now().getEpochSecond();

    private OpenAiServer(HttpServer http, ExecutorService executor, EngineLoop loop, ServerMetrics metrics,
                         ServerConfig config, GenerationHandler generation, LayoutHandler layout) {
        this.http = http;
        this.executor = executor;
        this.loop = loop;
        this.metrics = metrics;
        this.config = config;
        this.generation = generation;
        this.layout = layout;
    }

    /**
     * Starts serving: an engine over {@code backend} (the caller keeps owning it and closes it after
     * this server) and the HTTP server on {@code config}'s host and port.
     */
    public static OpenAiServer start(Backend backend, TokenizerVocabulary vocabulary, EngineConfig engineConfig,
                                     ServerConfig config) throws IOException {
        var metrics = new ServerMetrics();
        var loop = new EngineLoop(new Engine(backend, vocabulary, engineConfig), config.maxQueue(), metrics);
        var reader = new RequestReader(config, vocabulary.tokenizer(), backend.config().maxPositionEmbeddings(),
                backend.slotCapacity());
        var generation = new GenerationHandler(config, reader, loop, vocabulary.tokenizer(), metrics);
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
        } catch (IOException e) {
            loop.close();
            throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        var server = new OpenAiServer(http, executor, loop, metrics, config, generation,
                new LayoutHandler(vocabulary.tokenizer()));
        http.createContext("/", server::route);
        http.start();
        return server;
    }

    /** The port it listens on (the one picked when the configuration said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    public EngineLoop engineLoop() {
        return loop;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    private void route(HttpExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        int status;
        try {
            status = switch (path) {
                case "/v1/chat/completions" -> generate(Endpoint.CHAT, exchange, method);
                case "/v1/completions" -> generate(Endpoint.COMPLETIONS, exchange, method);
                case "/v1/models" -> get(exchange, method, models());
                case "/v1/layout" -> {
                    requireMethod(method, "POST");
                    HttpReplies.send(exchange, 200, layout.answer(HttpReplies.readJson(exchange, config.maxBodyBytes())));
                    yield 200;
                }
                case "/health" -> health(exchange, method);
                case "/metrics" -> {
                    requireMethod(method, "GET");
                    HttpReplies.sendText(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
                    yield 200;
                }
                default -> page(exchange, method, path);
            };
        } catch (ApiException e) {
            status = e.status();
            reply(exchange, e);
        } catch (IllegalArgumentException e) {
            status = 400;
            reply(exchange, ApiException.invalid(null, e.getMessage()));
        } catch (IOException e) {
            status = 499; // the client went away mid-answer
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "while answering " + method + " " + path, e);
            status = 500;
            reply(exchange, new ApiException(500, "server_error", null, null, "internal error: " + e));
        } finally {
            exchange.close();
        }
        metrics.request(path.startsWith("/v1/") || path.equals("/health") || path.equals("/metrics") ? path
                : PlaygroundPage.at(path) != null ? "playground" : "other", status);
    }

    private int generate(Endpoint endpoint, HttpExchange exchange, String method) throws IOException {
        requireMethod(method, "POST");
        return generation.handle(endpoint, exchange);
    }

    /** The playground's files; 404 for any other path. */
    private static int page(HttpExchange exchange, String method, String path) throws IOException {
        PlaygroundPage page = PlaygroundPage.at(path);
        if (page == null)
            throw new ApiException(404, "invalid_request_error", null, "not_found", "no such endpoint: " + method + " " + path);
        requireMethod(method, "GET");
        page.send(exchange);
        return 200;
    }

    private static int get(HttpExchange exchange, String method, ObjectNode body) throws IOException {
        requireMethod(method, "GET");
        HttpReplies.send(exchange, 200, body);
        return 200;
    }

    private int health(HttpExchange exchange, String method) throws IOException {
        requireMethod(method, "GET");
        boolean alive = loop.isAlive();
        ObjectNode body = HttpReplies.JSON.createObjectNode().put("status", alive ? "ok" : "engine stopped")
                .put("model", config.modelId()).put("in_flight", loop.inFlight());
        if (!alive && loop.crash() != null) body.put("error", loop.crash().toString());
        HttpReplies.send(exchange, alive ? 200 : 503, body);
        return alive ? 200 : 503;
    }

    private ObjectNode models() {
        ObjectNode root = HttpReplies.JSON.createObjectNode().put("object", "list");
        root.putArray("data").addObject().put("id", config.modelId()).put("object", "model").put("created", created)
                .put("owned_by", "multiverse");
        return root;
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed))
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    method + " is not allowed here; use " + allowed);
    }

    private static void reply(HttpExchange exchange, ApiException e) {
        try {
            if (exchange.getResponseCode() == -1) HttpReplies.error(exchange, e);
        } catch (IOException ignored) {
            // the client went away; nothing to tell it
        }
    }

    /** Stops accepting connections, then stops the engine thread. */
    @Override
    public void close() {
        http.stop(0);
        loop.close();
        executor.shutdownNow();
    }
}
