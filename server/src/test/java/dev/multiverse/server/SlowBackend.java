package dev.multiverse.server;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.StepResult;
import dev.multiverse.weights.ModelConfig;

/** A backend that takes at least {@code stepMillis} per step, so tests can catch requests mid-flight. */
record SlowBackend(Backend inner, long stepMillis) implements Backend {

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
        try {
            Thread.sleep(stepMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inner.step(batch);
    }

    @Override
    public void close() {
        inner.close();
    }
}
