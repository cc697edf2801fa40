package dev.multiverse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import dev.multiverse.tokenizer.Tokenizer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions}: reads and checks the request,
 * takes a place in the queue (or answers 429), submits it to the engine loop, and answers with the
 * whole result or a stream of server-sent events. A streaming client that goes away is noticed at
 * the next write and its request is cancelled, which frees its KV slots at the engine's next step.
 */
final class GenerationHandler {
    /** Waiting for a non-streaming result beyond its deadline by this much means the engine is stuck. */
    private static final long GRACE_MILLIS = 30_000;
    private static final AtomicLong IDS = new AtomicLong();
    /**
     * A stream writes at most once per this interval: text that arrives meanwhile is sent as one
     * chunk. It bounds the syscalls per stream when steps are faster than this, and adds no delay
     * when they are slower.
     */
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** The access log: one FINE line per generation request, with its {@code user}. */
    private static final Logger LOG = Logger.getLogger(GenerationHandler.class.getName());

    private final ServerConfig config;
    private final RequestReader reader;
    private final EngineLoop loop;
    private final Tokenizer tokenizer;
    private final ServerMetrics metrics;

    GenerationHandler(ServerConfig config, RequestReader reader, EngineLoop loop, Tokenizer tokenizer, ServerMetrics metrics) {
        this.config = config;
        this.reader = reader;
        this.loop = loop;
        this.tokenizer = tokenizer;
        this.metrics = metrics;
    }

    /** Answers one request; returns the HTTP status sent (200 also for a stream that ended in an error event). */
    int handle(Endpoint endpoint, HttpExchange exchange) throws IOException {
        JsonNode body = HttpReplies.readJson(exchange, config.maxBodyBytes());
        ApiRequest request = reader.read(endpoint, body);
        if (!loop.tryReserve()) {
            if (!loop.isAlive())
                throw new ApiException(503, "server_error", null, "engine_stopped", "the engine has stopped: "
                        + loop.crash());
            exchange.getResponseHeaders().set("Retry-After", "1");
            throw new ApiException(429, "rate_limit_exceeded", null, "rate_limit_exceeded", "the server is busy: "
                    + config.maxQueue() + " requests are waiting or running; retry after a second");
        }
        var events = new RequestEvents(request, tokenizer, metrics, loop);
        RequestHandle handle;
        try {
            handle = loop.submit(new Request(request.prompt(), request.sampling(), request.budgets(), null, events));
        } catch (RuntimeException e) {
            loop.unreserve();
            events.completed();
            throw e;
        }
        var responses = new Responses(request, endpoint.idPrefix + IDS.incrementAndGet(), Instant.now().getEpochSecond(),
                config.modelId(), request.wantsLogprobs() ? new LogprobsJson(tokenizer, endpoint) : null);
        handle.result().whenComplete((r, e) -> {
            events.completed();
            LOG.fine(() -> responses.id() + " user=" + request.user() + " prompt_tokens=" + request.prompt().length
                    + (r != null ? " finish=" + r.finishReason().label() + " completion_tokens=" + r.stats().totalTokens()
                    : " failed: " + e.getMessage()));
        });
        if (request.stream()) {
            stream(exchange, request, handle, events, responses);
            return 200;
        }
        HttpReplies.send(exchange, 200, whole(request, handle, events, responses));
        return 200;
    }

    private JsonNode whole(ApiRequest request, RequestHandle handle, RequestEvents events, Responses responses) {
        GenerationResult r = await(request, handle, events);
        List<TopLogprobs.Alternatives> alternatives = request.wantsLogprobs()
                ? events.alternatives().inFinalOrder(r) : new ArrayList<>();
        return responses.complete(r, alternatives, events.stepBatch());
    }

    /** The result, or the API error that says why there is none. */
    private GenerationResult await(ApiRequest request, RequestHandle handle, RequestEvents events) {
        GenerationResult r;
        try {
            r = handle.result().get(request.budgets().timeout().toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!events.wasAdmitted())
                throw new ApiException(504, "timeout", null, "timeout", e.getCause().getMessage());
            throw new ApiException(500, "server_error", null, null, e.getCause().getMessage());
        } catch (TimeoutException e) {
            handle.cancel();
            throw new ApiException(500, "server_error", null, null, "the engine did not finish the request in time");
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
            throw new ApiException(503, "server_error", null, null, "the server is shutting down");
        }
        if (events.failure() != null)
            throw new ApiException(500, "server_error", null, null, "the server failed to follow the request: "
                    + events.failure());
        return r;
    }

    private void stream(HttpExchange exchange, ApiRequest request, RequestHandle handle, RequestEvents events,
                        Responses responses) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try {
            exchange.sendResponseHeaders(200, 0);
            var sse = new SseWriter(exchange.getResponseBody(), new TextChunkTemplate(responses));
            // Chat opens with the role; after that every text chunk has the same shape on both endpoints.
            if (request.endpoint() == Endpoint.CHAT) sse.data(responses.chunk("", true));
            sse.flush();
            List<StreamEvent> batch = new ArrayList<>();
            var text = new StringBuilder();
            boolean ended = false;
            long lastFlush = System.nanoTime();
            while (!ended) {
                StreamEvent next = events.mailbox.poll(config.heartbeat().toNanos());
                if (next == null) {
                    sse.comment("keep-alive");
                } else {
                    // At most one write per flush interval: what arrives meanwhile goes out together;
                    // the end of the request cuts the wait short, so the stream closes at once.
                    if (!(next instanceof StreamEvent.End)) events.mailbox.sleepUntil(lastFlush + FLUSH_INTERVAL_NANOS);
                    batch.add(next);
                    events.mailbox.drainTo(batch);
                }
                for (StreamEvent e : batch) {
                    switch (e) {
                        case StreamEvent.Text t -> text.append(t.text());
                        case StreamEvent.PathChange p -> {
                            sendText(sse, text);
                            sse.event("multiverse.path", p.data());
                        }
                        case StreamEvent.End end -> ended = true;
                    }
                }
                sendText(sse, text);
                batch.clear();
                sse.flush();
                lastFlush = System.nanoTime();
            }
            finish(sse, request, handle, events, responses);
        } catch (IOException e) {
            // The client went away: stop generating for it.
            handle.cancel();
            metrics.cancelled();
        } catch (InterruptedException e) {
            handle.cancel();
            Thread.currentThread().interrupt();
        }
    }

    /** Sends the text gathered so far as one chunk (nothing when there is none). */
    private static void sendText(SseWriter sse, StringBuilder text) {
        if (text.isEmpty()) return;
        sse.text(text);
        text.setLength(0);
    }

    private void finish(SseWriter sse, ApiRequest request, RequestHandle handle, RequestEvents events,
                        Responses responses) throws IOException {
        try {
            GenerationResult r = await(request, handle, events);
            sse.data(responses.finalChunk(r, events.stepBatch()));
            if (request.includeUsage()) sse.data(responses.usageChunk(r));
        } catch (ApiException e) {
            sse.data(HttpReplies.errorBody(e));
        }
        sse.done();
        sse.flush();
    }
}
