package dev.multiverse.reference;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.StepRows;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPU backend: a {@link Qwen2} model and a {@link KvCache} of fixed capacity. Each step
 * validates the batch, flattens its sequences into rows (row r of a sequence attends to its
 * context slots, then its own write slots up to r) and runs one forward pass over all of them, so
 * each weight is read once per step for the whole batch.
 */
public final class CpuBackend implements Backend {
    private final Qwen2 model;
    private final KvCache kv;
    private final AutoCloseable resources;

    /**
     * A backend over {@code model} with {@code slotCapacity} KV slots. {@code resources} (the
     * mapped weights, say; may be null) are closed with the backend.
     */
    public CpuBackend(Qwen2 model, int slotCapacity, AutoCloseable resources) {
        this.model = model;
        this.kv = model.newKvCache(slotCapacity);
        this.resources = resources;
    }

    @Override
    public ModelConfig config() {
        return model.config();
    }

    @Override
    public int slotCapacity() {
        return kv.capacity();
    }

    @Override
    public StepResult step(Batch batch) {
        StepRows rows = StepRows.of(batch, kv.capacity(), model.config().vocabSize());
        List<float[][]> perSequence = new ArrayList<>();
        int[] sequenceOfRow = new int[rows.size()];
        int[] logitIndexOfRow = new int[rows.size()];
        int row = 0;
        for (int s = 0; s < batch.sequences().size(); s++) {
            var step = batch.sequences().get(s);
            perSequence.add(new float[step.logitRows()][]);
            for (int r = 0; r < step.rows(); r++, row++) {
                sequenceOfRow[row] = s;
                logitIndexOfRow[row] = step.allLogits() ? r : 0;
            }
        }
        model.step(rows, kv, (r, logits) -> perSequence.get(sequenceOfRow[r])[logitIndexOfRow[r]] = logits.clone());
        return new StepResult(perSequence);
    }

    @Override
    public void close() {
        model.close();
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the CPU backend's resources failed", e);
            }
        }
    }
}
