package dev.multiverse.engine;

import java.util.ArrayList;
import java.util.List;

/** A request inside the engine: its tree, its counters and its clocks. */
final class RequestState {
    final Request request;
    final RequestHandle handle;
    final long deadlineNanos;
    final int promptLength;
    /** The largest position a generated token may take: {@code promptLength + maxTokens - 1}. */
    final int maxPosition;
    /** Ids below this may be chosen: the smaller of the model's and the tokenizer's vocabularies. */
    final int choosableIds;
    /** Every sequence of the tree, in creation order (the order they enter a batch). */
    final List<Sequence> sequences = new ArrayList<>();
    long admittedNanos;
    Sequence root;
    int generated;
    int paths;
    long steps;
    /** Set once the request is being stopped: joins then force nothing and cascade up. */
    EndReason stopping;
    boolean finished;

    RequestState(Request request, RequestHandle handle, long submittedNanos, int choosableIds) {
        this.choosableIds = choosableIds;
        this.request = request;
        this.handle = handle;
        long timeout = request.budgets().timeout().toNanos();
        this.deadlineNanos = submittedNanos + timeout;
        this.promptLength = request.prompt().length;
        this.maxPosition = promptLength + request.budgets().maxTokens() - 1;
    }

    long id() {
        return handle.id();
    }

    double msSinceAdmission(long nowNanos) {
        return (nowNanos - admittedNanos) / 1e6;
    }

    /** The reason the request must stop now (cancel or deadline), or null. */
    EndReason interruption(long nowNanos) {
        if (handle.isCancelled()) return EndReason.CANCELLED;
        if (nowNanos - deadlineNanos >= 0) return EndReason.DEADLINE;
        return null;
    }
}
