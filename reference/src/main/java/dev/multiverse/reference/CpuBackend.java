package dev.multiverse.reference;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
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
 * sequence's readout is computed from its rows' logits by a {@link CpuReadout} on the model's
 * threads: only ids, log-probs and the logits a readout asks for leave.
 */
public final class CpuBackend implements Backend {
    private final Qwen2 model;
    private final KvCache kv;
    private final RunTable runs;
    private final AutoCloseable resources;
    private final CpuReadout readout;
    /** The logits of a step's logit rows, reused: only those a readout returns are copied out. */
    private float[][] logitRows = new float[0][];

    /**
     * A backend over {@code model} with {@code slotCapacity} KV slots. {@code resources} (the
     * mapped weights, say; may be null) are closed with the backend.
     */
    public CpuBackend(Qwen2 model, int slotCapacity, AutoCloseable resources) {
        this.model = model;
        this.kv = model.newKvCache(slotCapacity);
        this.runs = new RunTable(slotCapacity, model.config().vocabSize());
        this.resources = resources;
        this.readout = new CpuReadout(model.team(), model.config().vocabSize());
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
        List<SequenceStep> sequences = batch.sequences();
        int vocab = model.config().vocabSize();
        for (int s = 0; s < sequences.size(); s++) {
            Pick pick = sequences.get(s).readout().pick();
            if (pick.kind() == Pick.Kind.CHOSEN) CpuReadout.checkChoosable(pick.rule(), vocab, "sequence " + s);
        }
        StepRows rows = StepRows.of(batch, runs);
        // Sequence s's logit rows are logitRows[firstLogit[s] .. firstLogit[s + 1]): the model hands
        // them over in that order (StepRows lists them sequence by sequence).
        int[] firstLogit = new int[sequences.size() + 1];
        for (int s = 0; s < sequences.size(); s++) {
            SequenceStep step = sequences.get(s);
            firstLogit[s + 1] = firstLogit[s] + (StepRows.wantsEveryRow(step) ? step.rows() : 1);
        }
        float[][] buffers = logitBuffers(firstLogit[sequences.size()]);
        int[] next = {0};
        model.step(rows, kv, (r, l) -> System.arraycopy(l, 0, buffers[next[0]++], 0, vocab));
        List<CpuReadout.Rows> inputs = new ArrayList<>(sequences.size());
        int firstRow = 0;
        for (int s = 0; s < sequences.size(); s++) {
            SequenceStep step = sequences.get(s);
            float[][] logits = Arrays.copyOfRange(buffers, firstLogit[s], firstLogit[s + 1]);
            if (step.readout().logits()) for (int r = 0; r < logits.length; r++) logits[r] = logits[r].clone(); // they leave
            int[] rowTokens = Arrays.copyOfRange(rows.tokens(), firstRow, firstRow + step.rows());
            firstRow += step.rows();
            Pick pick = step.readout().pick();
            int[] seen = pick.kind() == Pick.Kind.CHOSEN && pick.rule().repetitionPenalty() != 1 ? runs.flatten(step, true) : rowTokens;
            inputs.add(new CpuReadout.Rows(logits, rowTokens, seen, step.readout()));
        }
        List<SequenceResult> out = readout.read(inputs);
        runs.end(batch);
        return new StepResult(out);
    }

    /** At least {@code count} vocabulary-long rows, kept from step to step (grown, never shrunk). */
    private float[][] logitBuffers(int count) {
        if (logitRows.length < count) {
            int had = logitRows.length;
            logitRows = Arrays.copyOf(logitRows, count);
            for (int i = had; i < count; i++) logitRows[i] = new float[model.config().vocabSize()];
        }
        return logitRows;
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
