package dev.multiverse.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted request: its id, its future result, and cancellation. Thread-safe.
 *
 * <p>The future completes with a {@link GenerationResult} when the request finishes (including
 * by budget, deadline or cancellation once admitted: the result then holds what was generated),
 * or exceptionally with {@link RequestFailedException}.
 */
public final class RequestHandle {
    private final long id;
    private final CompletableFuture<GenerationResult> result = new CompletableFuture<>();
    private volatile boolean cancelled;

    RequestHandle(long id) {
        this.id = id;
    }

    public long id() {
        return id;
    }

    public CompletableFuture<GenerationResult> result() {
        return result;
    }

    /** Asks the engine to stop the request at its next step; the result says {@code cancelled}. */
    public void cancel() {
        cancelled = true;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isDone() {
        return result.isDone();
    }
}
