package dev.multiverse.bench;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceResult;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.StepResult;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A backend that computes nothing: it keeps the runs (every check of the contract included) and
 * answers each given token with log-prob 0, so a replay through the engine measures the engine's
 * own host work. It rejects a chosen pick: a script gives every token.
 */
final class ScriptBackend implements Backend {
    private final ModelConfig config;
    private final int slots;
    private final RunTable runs;

    ScriptBackend(ModelConfig config, int slots) {
        this.config = config;
        this.slots = slots;
        this.runs = new RunTable(slots, config.vocabSize());
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public int slotCapacity() {
        return slots;
    }

    @Override
    public StepResult step(Batch batch) {
        runs.begin(batch);
        List<SequenceResult> out = new ArrayList<>(batch.sequences().size());
        for (SequenceStep s : batch.sequences()) {
            Pick pick = s.readout().pick();
            if (pick.kind() == Pick.Kind.CHOSEN) throw new IllegalArgumentException("a script backend chooses nothing");
            double[] rows = new double[s.readout().rowLogprobs() ? s.rows() - 1 : 0];
            out.add(new SequenceResult(rows, pick.token(), pick.isNone() ? Double.NaN : 0,
                    new double[s.readout().scoreIds().length], new int[0], new double[0], null));
        }
        runs.end(batch);
        return new StepResult(out);
    }

    @Override
    public void close() {}
}
