package dev.multiverse.server;

import dev.multiverse.engine.EndReason;
import dev.multiverse.engine.EngineListener;
import dev.multiverse.engine.GenerationResult;
import dev.multiverse.engine.TokenEntry;
import dev.multiverse.tokenizer.Tokenizer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The engine listener of one API request, called on the engine thread: it notes the request's
 * admission (for the queue-depth gauge), and, as the request asks, turns the engine's events into
 * the final-order text, the per-path events and the top log-probs. It never blocks and never
 * throws into the engine: events go to an unbounded {@link StreamMailbox} the request's HTTP
 * thread drains (a request generates a bounded number of tokens), and a failure of its own is kept
 * for that thread to report. It is created on that HTTP thread.
 */
final class RequestEvents implements EngineListener {
    final StreamMailbox mailbox;
    private final ServerMetrics metrics;
    private final EngineLoop loop;
    private final FinalOrderText text;
    private final PathEvents paths;
    private final TopLogprobs top;
    private final StepBatches stepBatches;
    /** The step batches, published by the engine thread when the request finishes (null before, or without a trace). */
    private volatile int[] stepBatch;
    private final AtomicBoolean admitted = new AtomicBoolean();
    /** Whether this request has left the queue-depth gauge (admitted, or finished without admission). */
    private final AtomicBoolean leftQueue = new AtomicBoolean();
    private volatile RuntimeException failure;

    /** Events wake the reader after the {@code loop}'s step; the step counter and the KV gauge are read from it. */
    RequestEvents(ApiRequest request, Tokenizer tokenizer, ServerMetrics metrics, EngineLoop loop) {
        this.metrics = metrics;
        this.loop = loop;
        this.mailbox = new StreamMailbox(loop::wakeAfterStep);
        this.text = request.stream() ? new FinalOrderText(tokenizer, s -> mailbox.add(new StreamEvent.Text(s))) : null;
        this.paths = request.pathEvents() ? new PathEvents(tokenizer, e -> mailbox.add(new StreamEvent.PathChange(e))) : null;
        this.top = request.wantsLogprobs() ? new TopLogprobs(request.topLogprobs()) : null;
        this.stepBatches = request.trace() ? new StepBatches(loop::engineSteps) : null;
        metrics.waitingChanged(1);
    }

    /** Called once the request's future completed, whatever way: ends the stream. */
    void completed() {
        if (leftQueue.compareAndSet(false, true)) metrics.waitingChanged(-1);
        mailbox.end();
    }

    boolean wasAdmitted() {
        return admitted.get();
    }

    /** A failure of this listener (a bug), or null. */
    RuntimeException failure() {
        return failure;
    }

    TopLogprobs alternatives() {
        return top;
    }

    /** With {@code multiverse.trace}, once the request finished: its sequences that sampled, per step; else null. */
    int[] stepBatch() {
        return stepBatch;
    }

    @Override
    public int topLogprobs() {
        return top == null ? 0 : top.count();
    }

    @Override
    public void onAlternatives(long requestId, String pathKey, int[] ids, double[] logprobs) {
        if (top != null) guard(() -> top.onAlternatives(pathKey, ids, logprobs));
    }

    @Override
    public void onToken(long requestId, String pathKey, int token, TokenEntry.Origin origin) {
        if (origin == TokenEntry.Origin.PROMPT) {
            admitted.set(true);
            if (leftQueue.compareAndSet(false, true)) metrics.waitingChanged(-1);
            return;
        }
        guard(() -> {
            if (top != null && origin == TokenEntry.Origin.SAMPLED) top.onSampled(pathKey);
            if (stepBatches != null && origin == TokenEntry.Origin.SAMPLED) stepBatches.onSampled();
            if (text != null) text.onToken(pathKey, token, origin);
            if (paths != null) paths.onToken(pathKey, token);
        });
    }

    @Override
    public void onFork(long requestId, String parentKey, List<String> childKeys, List<String> outlineIds) {
        guard(() -> {
            if (text != null) text.onFork(parentKey, childKeys);
            if (paths != null) paths.onFork(parentKey, childKeys, outlineIds);
        });
    }

    @Override
    public void onPathEnd(long requestId, String pathKey, EndReason reason) {
        guard(() -> {
            if (text != null) text.onPathEnd(reason);
            if (paths != null) paths.onPathEnd(pathKey, reason);
        });
    }

    @Override
    public void onJoin(long requestId, String parentKey) {
        guard(() -> {
            if (text != null) text.onJoin(parentKey);
            if (paths != null) paths.onJoin(parentKey);
        });
    }

    @Override
    public void onFinish(long requestId, GenerationResult result) {
        metrics.finished(result);
        loop.publishKvSlotsUsed();
        if (stepBatches != null) stepBatch = stepBatches.counts();
        guard(() -> {
            if (text != null) text.onFinish(result);
        });
    }

    private void guard(Runnable action) {
        if (failure != null) return;
        try {
            action.run();
        } catch (RuntimeException e) {
            failure = e;
        }
    }
}
