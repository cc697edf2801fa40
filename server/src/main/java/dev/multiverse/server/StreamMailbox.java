package dev.multiverse.server;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The events of one request, from the engine thread to the one thread that reads them (the
 * request's HTTP thread, which creates the mailbox). Adding an event wakes nobody: the mailbox
 * asks the engine loop, once per step, to call {@link #wakeReaderIfWaiting()} after the step, so
 * a reader is woken at most once per step, and all readers with news together (their virtual
 * threads' carriers then wake once a step, not once a token). The end of the request wakes the
 * reader at once, whatever it waits for.
 */
final class StreamMailbox {
    private final ConcurrentLinkedQueue<StreamEvent> events = new ConcurrentLinkedQueue<>();
    private final Thread reader = Thread.currentThread();
    /** Registers this mailbox to be woken after the current step (engine thread). */
    private final Consumer<StreamMailbox> wakeAfterStep;
    /** Whether this mailbox is registered for the current step (engine thread only). */
    private boolean registered;
    private volatile boolean readerWaiting;
    private volatile boolean ended;

    StreamMailbox(Consumer<StreamMailbox> wakeAfterStep) {
        this.wakeAfterStep = wakeAfterStep;
    }

    /** Engine thread: queues an event; the reader hears of it after the step. */
    void add(StreamEvent event) {
        events.add(event);
        if (!registered) {
            registered = true;
            wakeAfterStep.accept(this);
        }
    }

    /** Engine thread, after a step in which events were added. */
    void wakeReaderIfWaiting() {
        registered = false;
        if (readerWaiting) LockSupport.unpark(reader);
    }

    /** Any thread, once: queues {@link StreamEvent.End} and wakes the reader. */
    void end() {
        events.add(new StreamEvent.End());
        ended = true;
        LockSupport.unpark(reader);
    }

    /** Reader: the next event, waiting for it at most {@code timeoutNanos}; null when none came. */
    StreamEvent poll(long timeoutNanos) throws InterruptedException {
        StreamEvent e = events.poll();
        if (e != null) return e;
        long deadline = System.nanoTime() + timeoutNanos;
        // Announce the wait before looking again: an event added after that look is followed by a wake-up.
        readerWaiting = true;
        try {
            while ((e = events.poll()) == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) throw new InterruptedException();
            }
            return e;
        } finally {
            readerWaiting = false;
        }
    }

    /** Reader: moves every queued event to {@code out}. */
    void drainTo(List<StreamEvent> out) {
        for (StreamEvent e; (e = events.poll()) != null; ) out.add(e);
    }

    /** Reader: sleeps until {@code deadline} ({@link System#nanoTime()}), or until the end arrives. */
    void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while (!ended && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) throw new InterruptedException();
        }
    }
}
