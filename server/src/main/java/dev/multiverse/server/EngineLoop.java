package dev.multiverse.server;

import dev.multiverse.engine.Engine;
import dev.multiverse.engine.Request;
import dev.multiverse.engine.RequestHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread that drives the {@link Engine}: it steps while any request waits or runs and
 * sleeps otherwise. Every request of every client goes through {@link #submit}, so all of them
 * share the engine's continuous batching. Admission control lives here too: at most {@code
 * maxQueue} requests are waiting or running; {@link #tryReserve()} says no beyond that.
 */
public final class EngineLoop implements AutoCloseable {
    /** How long an idle loop sleeps before looking again (a submit wakes it at once). */
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Engine engine;
    private final int maxQueue;
    private final ServerMetrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Thread thread;
    /** The mailboxes that got events in the current step (engine thread only). */
    private final List<StreamMailbox> wakeAfterStep = new ArrayList<>();
    private volatile boolean running = true;
    private volatile Throwable crash;

    public EngineLoop(Engine engine, int maxQueue, ServerMetrics metrics) {
        this.engine = engine;
        this.maxQueue = maxQueue;
        this.metrics = metrics;
        this.thread = Thread.ofPlatform().name("multiverse-engine").daemon().unstarted(this::loop);
        metrics.kvSlotsCapacity(engine.pool().capacity());
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                if (!engine.hasWork()) {
                    LockSupport.parkNanos(this, IDLE_PARK_NANOS);
                    continue;
                }
                long before = engine.steps();
                long t0 = System.nanoTime();
                engine.step();
                for (StreamMailbox m : wakeAfterStep) m.wakeReaderIfWaiting();
                wakeAfterStep.clear();
                if (engine.steps() != before) metrics.step(System.nanoTime() - t0);
                else LockSupport.parkNanos(this, 100_000); // nothing to compute this time round: don't spin
                publishKvSlotsUsed();
            }
        } catch (Throwable t) {
            crash = t;
            running = false;
            throw t;
        }
    }

    /** Takes one of the {@code maxQueue} places; false when all are taken (answer 429). */
    public boolean tryReserve() {
        while (true) {
            int n = inFlight.get();
            if (n >= maxQueue || !running) return false;
            if (inFlight.compareAndSet(n, n + 1)) {
                metrics.inFlight(n + 1);
                return true;
            }
        }
    }

    /** Gives back a place taken by {@link #tryReserve()} whose request was never submitted. */
    public void unreserve() {
        metrics.inFlight(inFlight.decrementAndGet());
    }

    /**
     * Submits a request into a place taken by {@link #tryReserve()}; the place is given back when
     * the request's result completes, however it completes.
     */
    public RequestHandle submit(Request request) {
        RequestHandle handle = engine.submit(request);
        handle.result().whenComplete((r, e) -> unreserve());
        LockSupport.unpark(thread);
        return handle;
    }

    /** Has {@code mailbox}'s reader woken after the current step; call it on the engine thread only. */
    void wakeAfterStep(StreamMailbox mailbox) {
        wakeAfterStep.add(mailbox);
    }

    /** The engine's step counter; read it on the engine thread only (from an engine listener). */
    long engineSteps() {
        return engine.steps();
    }

    /**
     * Sets the KV-slot gauge from the pool now; call it on the engine thread only (from an engine
     * listener). A finished request's slots are back in the pool before its answer goes out, and
     * this makes the gauge say so too, instead of after the step.
     */
    void publishKvSlotsUsed() {
        metrics.kvSlotsUsed(engine.pool().usedSlots());
    }

    /** Requests waiting or running. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Whether the engine thread is alive (it stops only on {@link #close()} or a bug). */
    public boolean isAlive() {
        return running && thread.isAlive();
    }

    /** What stopped the engine thread, or null. */
    public Throwable crash() {
        return crash;
    }

    /** KV slots held right now (read from the engine thread's last step). */
    public long kvSlotsUsed() {
        return metrics.kvSlotsUsedNow();
    }

    /** Stops the thread after its current step; requests still in flight are left unanswered. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
