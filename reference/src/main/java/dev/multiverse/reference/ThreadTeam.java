package dev.multiverse.reference;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that splits a range of work items among themselves: the caller's thread
 * plus {@code size - 1} workers, created once. A parallel loop allocates nothing but the lambda.
 *
 * <p>Items are handed out in shrinking chunks from a shared counter, so a thread slowed by another
 * process on the same core simply takes fewer chunks. Workers spin briefly before parking, which
 * keeps the hand-off cheap between the many short loops of a forward step.
 */
public final class ThreadTeam implements AutoCloseable {

    /** The body of a parallel loop: process items {@code [from, to)} on thread {@code worker}. */
    @FunctionalInterface
    public interface RangeTask {
        void run(int worker, int from, int to);
    }

    private static final int SPINS = 1 << 14;

    private final Thread[] workers;
    private final float[][] scratch;
    private float[] shared = new float[0];
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile int generation;
    private volatile boolean closed;
    private volatile Thread caller;
    private volatile Throwable failure;
    private RangeTask task;
    private int count;
    private int grain;

    /** A team of {@code size} threads (the caller counts as one). */
    public ThreadTeam(int size) {
        if (size < 1) throw new IllegalArgumentException("a thread team needs at least one thread, got " + size);
        workers = new Thread[size - 1];
        scratch = new float[size][0];
        for (int w = 0; w < workers.length; w++) {
            int id = w + 1;
            workers[w] = Thread.ofPlatform().daemon().name("multiverse-cpu-" + id).start(() -> workLoop(id));
        }
    }

    /** A team with one thread per available processor. */
    public static ThreadTeam ofAvailableProcessors() {
        return new ThreadTeam(Runtime.getRuntime().availableProcessors());
    }

    /** The number of threads, the caller included: worker ids passed to tasks are below this. */
    public int size() {
        return workers.length + 1;
    }

    /**
     * A float buffer of at least {@code length} elements owned by thread {@code worker}, kept from
     * loop to loop (grown, never shrunk): scratch space for a task without allocating per call.
     */
    public float[] scratch(int worker, int length) {
        if (scratch[worker].length < length) scratch[worker] = new float[length];
        return scratch[worker];
    }

    /**
     * A float buffer of at least {@code length} elements for the calling thread to fill before a
     * loop and every thread to read during it (kept from loop to loop, grown, never shrunk).
     */
    public float[] sharedScratch(int length) {
        if (shared.length < length) shared = new float[length];
        return shared;
    }

    /**
     * Runs {@code task} over items {@code [0, count)} in chunks of at least {@code grain} items, on
     * all threads, and returns when every item is done. Not reentrant: one loop at a time.
     */
    public void forRange(int count, int grain, RangeTask task) {
        if (closed) throw new IllegalStateException("thread team is closed");
        if (count <= 0) return;
        if (workers.length == 0 || count <= grain) {
            task.run(0, 0, count);
            return;
        }
        this.task = task;
        this.count = count;
        this.grain = Math.max(1, grain);
        this.caller = Thread.currentThread();
        failure = null;
        next.set(0);
        running.set(workers.length);
        generation++; // publishes the fields above to the workers
        for (Thread w : workers) LockSupport.unpark(w);
        try {
            runChunks(0);
        } catch (Throwable t) {
            failure = t;
            next.set(count);
        }
        for (int spin = 0; running.get() > 0; spin++) {
            if (spin < SPINS) Thread.onSpinWait();
            else LockSupport.park(this);
        }
        this.task = null;
        Throwable t = failure;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
    }

    /**
     * Takes chunks until none is left. A chunk is a share of what remains, {@code remaining / (2 ·
     * size)} items but at least {@code grain}: early chunks are long (long sequential reads, which
     * the hardware prefetchers need to reach full memory bandwidth, and few trips to the shared
     * counter), late ones short, so a thread slowed by another process leaves the rest to the others.
     * The price, on a machine shared with other work: a thread descheduled while it holds an early
     * chunk (a quarter of the loop with two threads) delays the whole loop until it runs again.
     */
    private void runChunks(int worker) {
        int share = 2 * size();
        while (true) {
            int from = next.get();
            if (from >= count) return;
            int to = from + Math.max(grain, (count - from) / share);
            if (to > count || to < 0) to = count;
            if (next.compareAndSet(from, to)) task.run(worker, from, to);
        }
    }

    private void workLoop(int id) {
        int seen = 0;
        while (true) {
            for (int spin = 0; generation == seen && !closed; spin++) {
                if (spin < SPINS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            if (closed) return;
            seen = generation;
            try {
                runChunks(id);
            } catch (Throwable t) {
                failure = t;
                next.set(count); // the others stop taking chunks
            }
            if (running.decrementAndGet() == 0) LockSupport.unpark(caller);
        }
    }

    /** Stops the workers. */
    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
