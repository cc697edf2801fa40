package dev.multiverse.server;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * How many of one request's sequences sampled a token in each engine step: the request's share of
 * the batch, step by step (the {@code step_batch} of docs/server.md). Step 0 is the step of the
 * request's first sampled token; a step in between where it sampled nothing counts 0. Called on
 * the engine thread only, where {@code engineStep} is the step being run.
 */
final class StepBatches {
    private final LongSupplier engineStep;
    private long firstStep = -1;
    private int[] counts = new int[64];
    private int length;

    StepBatches(LongSupplier engineStep) {
        this.engineStep = engineStep;
    }

    /** A sequence sampled a token in the current step (each sequence samples at most once a step). */
    void onSampled() {
        long step = engineStep.getAsLong();
        if (firstStep < 0) firstStep = step;
        int index = Math.toIntExact(step - firstStep);
        if (index >= counts.length) counts = Arrays.copyOf(counts, Math.max(2 * counts.length, index + 1));
        counts[index]++;
        length = Math.max(length, index + 1);
    }

    /** The counts so far, one per step from the first sampled token to the last. */
    int[] counts() {
        return Arrays.copyOf(counts, length);
    }
}
