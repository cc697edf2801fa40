package dev.multiverse.bench;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.StepResult;
import dev.multiverse.weights.ModelConfig;

/**
 * A backend that adds up the wall time of its steps (the rest of a run is the engine's own work)
 * and remembers how many sequences the last step ran.
 */
final class TimedBackend implements Backend {
    private final Backend inner;
    private long nanos;
    private int lastBatchSize;

    TimedBackend(Backend inner) {
        this.inner = inner;
    }

    /** Nanoseconds spent in steps since the last take. */
    long takeNanos() {
        long n = nanos;
        nanos = 0;
        return n;
    }

    /** Milliseconds spent in steps since the last take. */
    double takeMillis() {
        return takeNanos() / 1e6;
    }

    /** How many sequences the last step ran. */
    int lastBatchSize() {
        return lastBatchSize;
    }

    @Override
    public ModelConfig config() {
        return inner.config();
    }

    @Override
    public int slotCapacity() {
        return inner.slotCapacity();
    }

    @Override
    public StepResult step(Batch batch) {
        long t = System.nanoTime();
        try {
            lastBatchSize = batch.sequences().size();
            return inner.step(batch);
        } finally {
            nanos += System.nanoTime() - t;
        }
    }

    @Override
    public void close() {
        inner.close();
    }
}
