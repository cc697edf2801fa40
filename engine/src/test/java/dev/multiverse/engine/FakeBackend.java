package dev.multiverse.engine;

import dev.multiverse.contract.Backend;
import dev.multiverse.contract.Batch;
import dev.multiverse.contract.ChoiceReference;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.StepResult;
import dev.multiverse.contract.StepRows;
import dev.multiverse.weights.DType;
import dev.multiverse.weights.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.BiPredicate;

/**
 * A deterministic stand-in for a model: the logits of a row are a hash of the set of (token,
 * position) pairs it can see (its context slots, its own earlier rows and itself), so they change
 * whenever a mask or a position is wrong, and do not depend on slot order (as attention does not).
 * {@link #singlePass} computes the same function over a whole text with an explicit mask.
 */
final class FakeBackend implements Backend {
    private final int vocab;
    private final int[] slotToken;
    private final int[] slotPosition;
    private final boolean[] written;
    private final RunTable runs;
    final List<Integer> batchSizes = new ArrayList<>();

    FakeBackend(int vocab, int slots) {
        this.vocab = vocab;
        this.slotToken = new int[slots];
        this.slotPosition = new int[slots];
        this.written = new boolean[slots];
        this.runs = new RunTable(slots, vocab);
    }

    @Override
    public ModelConfig config() {
        return new ModelConfig(8, 8, 1, 1, 1, 2, vocab, 1e-6f, 1e4, 1 << 20, true, DType.F32,
                OptionalInt.empty(), new int[] {CharVocabulary.EOS});
    }

    @Override
    public int slotCapacity() {
        return slotToken.length;
    }

    @Override
    public StepResult step(Batch batch) {
        if (!batch.sequences().isEmpty()) batchSizes.add(batch.sequences().size());
        runs.begin(batch);
        StepRows rows = StepRows.of(batch, runs);
        for (int i = 0; i < rows.size(); i++) {
            slotToken[rows.writeSlots()[i]] = rows.tokens()[i];
            slotPosition[rows.writeSlots()[i]] = rows.positions()[i];
            written[rows.writeSlots()[i]] = true;
        }
        float[][] listed = new float[rows.logitRows().length][];
        for (int k = 0; k < listed.length; k++) {
            long context = 0;
            for (int slot : rows.keySlots()[rows.logitRows()[k]]) {
                if (!written[slot]) throw new IllegalArgumentException("reads unwritten slot " + slot);
                context += pair(slotToken[slot], slotPosition[slot]);
            }
            listed[k] = logits(context);
        }
        StepResult result = ChoiceReference.readAll(batch, runs, rows, listed);
        runs.end(batch);
        return result;
    }

    /** The logits of every row of {@code tokens} in one pass, row i seeing j <= i where {@code visible(i, j)}. */
    float[][] singlePass(int[] tokens, int[] positions, BiPredicate<Integer, Integer> visible) {
        float[][] rows = new float[tokens.length][];
        for (int i = 0; i < tokens.length; i++) {
            long context = 0;
            for (int j = 0; j <= i; j++) if (j == i || visible.test(i, j)) context += pair(tokens[j], positions[j]);
            rows[i] = logits(context);
        }
        return rows;
    }

    private static long pair(int token, int position) {
        return mix(token * 0x9E3779B97F4A7C15L + position * 0xC2B2AE3D27D4EB4FL + 1);
    }

    private float[] logits(long context) {
        float[] l = new float[vocab];
        for (int v = 0; v < vocab; v++) l[v] = (float) ((mix(context + v * 0x632BE59BD9B4E019L) >>> 11) * 0x1.0p-53 * 6.0);
        return l;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public void close() {}
}
