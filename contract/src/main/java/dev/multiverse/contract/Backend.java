package dev.multiverse.contract;

import dev.multiverse.weights.ModelConfig;

/**
 * A forward-pass engine over a fixed pool of KV slots: the one contract between the engine and
 * any backend (CPU or GPU).
 *
 * <p>A slot holds, for every layer, the key (after RoPE) and the value of one token: {@code
 * numKvHeads * headDim} floats each. A slot keeps its position forever, so a sequence's list of
 * slots is its whole attention context; fork shares a list, join concatenates lists.
 */
public interface Backend extends AutoCloseable {

    /** The model this backend runs. */
    ModelConfig config();

    /** How many KV slots this backend holds; valid slot ids are {@code 0 .. slotCapacity() - 1}. */
    int slotCapacity();

    /**
     * One forward step for every sequence of the batch: writes the K/V of each new token into its
     * write slot and returns the logits the batch asked for.
     *
     * @throws IllegalArgumentException if the batch is malformed (lengths differ, a slot id is out
     *     of range, a slot is written twice, a token id is outside the vocabulary, ...)
     */
    StepResult step(Batch batch);

    /** Releases the backend's threads and memory; no exception beyond unchecked ones. */
    @Override
    void close();
}
