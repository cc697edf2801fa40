package dev.multiverse.reference;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.StepRows;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend: a {@link Qwen2} model, a {@link KvCache} of fixed capacity and the run table of
 * the engine's slot runs. Each step applies the batch's run changes, flattens its sequences into
 * rows (row r of a sequence attends to its chain's entries up to its own) and runs one forward
 * pass over all of them, so each weight is read once per step for the whole batch; then each
 * sequence's readout is computed from its rows' logits.
 */
public final class CpuBackend implements Backend {
    private final Qwen2 model;
    private final KvCache kv;
    private final RunTable runs;
    private final AutoCloseable resources;

    /**
     * A backend over {@code model} with {@code slotCapacity} KV slots. {@code resources} (the
     * mapped weights, say; may be null) are closed with the backend.
     */
    public CpuBackend(Qwen2 model, int slotCapacity, AutoCloseable resources) {
        this.model = model;
        this.kv = model.newKvCache(slotCapacity);
        this.runs = new RunTable(slotCapacity, model.config().vocabSize());
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
        runs.begin(batch);
        if (batch.sequences().isEmpty()) return new StepResult(List.of()); // forgets only
        StepRows rows = StepRows.of(batch, runs);
        List<SequenceStep> sequences = batch.sequences();
        float[][][] logits = new float[sequences.size()][][];
        int[] sequenceOfRow = new int[rows.size()], indexOfRow = new int[rows.size()];
        int row = 0;
        for (int s = 0; s < sequences.size(); s++) {
            SequenceStep step = sequences.get(s);
            boolean every = StepRows.wantsEveryRow(step);
            logits[s] = new float[every ? step.rows() : 1][];
            for (int r = 0; r < step.rows(); r++, row++) {
                sequenceOfRow[row] = s;
                indexOfRow[row] = every ? r : 0;
            }
        }
        model.step(rows, kv, (r, l) -> logits[sequenceOfRow[r]][indexOfRow[r]] = l.clone());
        List<SequenceResult> out = new ArrayList<>(sequences.size());
        int first = 0;
        for (int s = 0; s < sequences.size(); s++) {
            SequenceStep step = sequences.get(s);
            int[] rowTokens = Arrays.copyOfRange(rows.tokens(), first, first + step.rows());
            first += step.rows();
            int[] seen = step.readout().pick().kind() == Pick.Kind.CHOSEN && step.readout().pick().rule().repetitionPenalty() != 1
                    ? runs.flatten(step, true) : rowTokens;
            out.add(ChoiceReference.read(logits[s], rowTokens, seen, step.readout()));
        }
        runs.end(batch);
        return new StepResult(out);
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
