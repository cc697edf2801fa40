package dev.multiverse.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The mailbox between the engine thread and a stream's writer: registration per step, wake-ups, the end. */
class StreamMailboxTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(60);

    /** A mailbox whose reader is a thread of its own running {@code read}; returns what it returned. */
    static <T> CompletableFuture<T> reader(List<StreamMailbox> registered, CompletableFuture<StreamMailbox> created,
                                           ReaderBody<T> read) {
        var result = new CompletableFuture<T>();
        Thread.ofPlatform().start(() -> {
            var mailbox = new StreamMailbox(registered::add);
            READERS.put(mailbox, Thread.currentThread());
            created.complete(mailbox);
            try {
                result.complete(read.run(mailbox));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Waits until the mailbox's reader is parked in a timed wait (so that what follows happens while it waits). */
    static void awaitParked(StreamMailbox mailbox) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (READERS.get(mailbox).getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, "the reader never waited");
            Thread.sleep(1);
        }
    }

    private static final java.util.Map<StreamMailbox, Thread> READERS = new java.util.concurrent.ConcurrentHashMap<>();

    interface ReaderBody<T> {
        T run(StreamMailbox mailbox) throws Exception;
    }

    @Test
    void registersOncePerStepAndTheWakeAfterTheStepDeliversEverything() throws Exception {
        List<StreamMailbox> registered = new CopyOnWriteArrayList<>();
        var created = new CompletableFuture<StreamMailbox>();
        CompletableFuture<List<StreamEvent>> read = reader(registered, created, m -> {
            List<StreamEvent> got = new ArrayList<>();
            got.add(m.poll(LONG));
            m.drainTo(got);
            return got;
        });
        StreamMailbox mailbox = created.get(10, TimeUnit.SECONDS);
        awaitParked(mailbox);
        mailbox.add(new StreamEvent.Text("a"));
        mailbox.add(new StreamEvent.Text("b"));
        assertEquals(List.of(mailbox), registered, "one registration for the step, whatever the number of events");
        mailbox.wakeReaderIfWaiting();
        assertEquals(List.of(new StreamEvent.Text("a"), new StreamEvent.Text("b")), read.get(10, TimeUnit.SECONDS));
        mailbox.add(new StreamEvent.Text("c"));
        assertEquals(2, registered.size(), "registered again in the next step");
    }

    @Test
    void theEndWakesAReaderAtOnceWhereverItWaits() throws Exception {
        var created = new CompletableFuture<StreamMailbox>();
        CompletableFuture<Boolean> slept = reader(new ArrayList<>(), created, m -> {
            m.sleepUntil(System.nanoTime() + LONG);
            return m.poll(0) instanceof StreamEvent.End; // woke with the end queued, not at the deadline
        });
        created.get(10, TimeUnit.SECONDS).end();
        assertTrue(slept.get(10, TimeUnit.SECONDS), "the flush wait is cut short by the end");

        var created2 = new CompletableFuture<StreamMailbox>();
        CompletableFuture<StreamEvent> polled = reader(new ArrayList<>(), created2, m -> m.poll(LONG));
        created2.get(10, TimeUnit.SECONDS).end();
        assertInstanceOf(StreamEvent.End.class, polled.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aPollWithNothingToReadTimesOutWithNull() throws Exception {
        var created = new CompletableFuture<StreamMailbox>();
        CompletableFuture<StreamEvent> polled = reader(new ArrayList<>(), created, m -> m.poll(TimeUnit.MILLISECONDS.toNanos(20)));
        assertNull(polled.get(10, TimeUnit.SECONDS));
    }
}
