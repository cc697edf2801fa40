package dev.multiverse.contract;

import dev.multiverse.weights.ModelConfig;

/**
 * A forward-pass engine over a fixed pool of KV slots: the one contract between the engine and
 * any backend (CPU or GPU).
 *
 * <p>A slot holds, for every layer, the key (after RoPE) and the value of one token: {@code
 * numKvHeads * headDim} floats each. A slot keeps its position forever, so what a sequence
 * attends to is a list of slots. Those lists travel as <em>slot runs</em>: append-only lists of
 * (slot, token) entries that the backend keeps from step to step, each entry sent once (see
 * {@link Batch}). A sequence's context is a chain of runs (the prompt's, each ancestor's, its
 * own), which siblings share by reference: a fork adds a run, a join links the children's runs.
 *
 * <p>Each sequence says what it wants back ({@link Readout}): a token chosen on the backend under
 * a {@link TokenRule}, the log-prob of a given token, its rows' log-probs, top-N log-probs, or full
 * logits. Only those leave the backend.
 */
public interface Backend extends AutoCloseable {

    /** The model this backend runs. */
    ModelConfig config();

    /** How many KV slots this backend holds; valid slot ids are {@code 0 .. slotCapacity() - 1}. */
    int slotCapacity();

    /**
     * One forward step for every sequence of the batch: applies the batch's run changes, writes
     * the K/V of each new row into its slot and returns what each sequence's readout asked for.
     *
     * @throws IllegalArgumentException if the batch is malformed (see {@link RunTable} for the
     *     rules and what a refusal leaves applied)
     */
    StepResult step(Batch batch);

    /** Releases the backend's threads and memory; no exception beyond unchecked ones. */
    @Override
    void close();
}
