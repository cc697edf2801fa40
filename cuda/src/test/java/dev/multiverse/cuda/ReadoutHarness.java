package dev.multiverse.cuda;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceResult;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Runs the readout kernels alone on given logits, with the backend's own host path: each case
 * becomes a Batch.builder sequence (its context tokens then its rows), the RunTable, RunArena and
 * StepPlan make the metadata, the scatter and gather kernels put the tokens where the readout
 * reads them, and ReadoutResults decodes what comes back. Only the forward pass is left out.
 */
final class ReadoutHarness {
    private ReadoutHarness() {}

    static SequenceResult[] run(Gpu gpu, int vocab, GpuReadoutProperties.Case[] cases) {
        Batch.Builder builder = Batch.builder();
        int slot = 0;
        for (GpuReadoutProperties.Case c : cases) {
            int rows = c.rowTokens().length, context = c.seen().length - rows;
            int[] contextSlots = new int[context], positions = new int[rows], writeSlots = new int[rows];
            for (int i = 0; i < context; i++) contextSlots[i] = slot++;
            for (int r = 0; r < rows; r++) {
                positions[r] = context + r;
                writeSlots[r] = slot++;
            }
            builder.sequence(contextSlots, Arrays.copyOf(c.seen(), context), c.rowTokens(), positions, writeSlots, c.readout());
        }
        Batch batch = builder.build();
        RunTable table = new RunTable(Math.max(1, slot), vocab);
        RunArena arena = new RunArena(4, 4, 1);
        table.begin(batch);
        arena.apply(batch, table);
        StepPlan plan = StepPlan.of(batch, table, arena, vocab);
        StepCapacity capacity = StepCapacity.initial().grownFor(plan, arena);
        float[] logits = new float[plan.logitRows * vocab];
        int row = 0;
        for (GpuReadoutProperties.Case c : cases)
            for (float[] l : GpuReadoutProperties.wanted(c)) System.arraycopy(l, 0, logits, vocab * row++, vocab);
        try (DeviceArena device = new DeviceArena(gpu.device, arena); Arena host = Arena.ofConfined()) {
            device.follow(arena);
            MemorySegment metaHost = host.allocate(4L * capacity.words(), 8);
            int words = capacity.write(metaHost, plan, arena);
            DeviceBuffer meta = gpu.zeros(4L * capacity.words());
            meta.upload(metaHost.asSlice(0, 4L * words));
            long at = meta.pointer();
            long writes = at + 4L * capacity.writes();
            GpuKernels k = gpu.kernels;
            k.scatterRunWrites(writes, arena.entryCount(), writes + 12L * arena.entryCount(), arena.pageWriteCount(), device.slots(),
                    device.tokens(), device.table());
            DeviceBuffer keySlots = gpu.zeros(4L * Math.max(1, plan.keys)), keyTokens = gpu.zeros(4L * Math.max(1, plan.keys));
            long sequences = at + 4L * capacity.sequenceRecords(), ids = at + 4L * capacity.idList();
            k.gatherKeyLists(sequences, plan.sequences, at + 4L * capacity.segmentList(), device.table(), device.pagesPerRun(),
                    device.slots(), device.tokens(), keySlots.pointer(), keyTokens.pointer());
            DeviceBuffer dl = gpu.floats(logits), lse = gpu.zeros(8L * plan.logitRows), scratch = gpu.zeros(8L * plan.sequences * vocab),
                    results = gpu.zeros(8L * plan.results);
            k.logSumExpRows(dl.pointer(), plan.logitRows, vocab, lse.pointer());
            k.chooseTokens(dl.pointer(), vocab, sequences, plan.sequences, ids, keyTokens.pointer(), scratch.pointer(), results.pointer());
            k.readoutLogprobs(dl.pointer(), vocab, lse.pointer(), sequences, plan.sequences, ids, at + 4L * capacity.tokens(),
                    results.pointer());
            int[] bits = results.downloadInts(2 * plan.results);
            double[] values = new double[plan.results];
            for (int i = 0; i < values.length; i++)
                values[i] = Double.longBitsToDouble((bits[2 * i] & 0xffffffffL) | ((long) bits[2 * i + 1] << 32));
            return ReadoutResults.decode(batch, plan, values, null).toArray(new SequenceResult[0]);
        }
    }
}
