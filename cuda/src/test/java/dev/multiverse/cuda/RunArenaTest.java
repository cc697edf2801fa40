package dev.multiverse.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.Pick;
import dev.multiverse.contract.Readout;
import dev.multiverse.contract.RunAppend;
import dev.multiverse.contract.RunTable;
import dev.multiverse.contract.SequenceStep;
import dev.multiverse.contract.TokenRule;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The host side of the runs on the device, without a GPU: the arena's staged writes are applied
 * to host arrays exactly as scatter_run_writes does, and each sequence's key list is assembled
 * from the plan's segments exactly as gather_key_lists does; the result must be the RunTable's
 * own flattening, over many steps of growing, forking, forgetting and reusing runs.
 */
class RunArenaTest {
    static final int CAPACITY = 4096, VOCAB = 1000;

    /** The device's arena, simulated: entries, page table, and the scatter and gather kernels' index math. */
    static final class SimulatedDevice {
        int[] slots = new int[0], tokens = new int[0], table = new int[0];
        int pagesPerRun;

        void follow(RunArena arena) {
            int entries = arena.pageCapacity() * RunArena.PAGE;
            if (entries > slots.length) {
                slots = Arrays.copyOf(slots, entries);
                tokens = Arrays.copyOf(tokens, entries);
            }
            if (arena.tableReset() || table.length != arena.handleCapacity() * arena.pagesPerRun()) {
                table = new int[arena.handleCapacity() * arena.pagesPerRun()];
                Arrays.fill(table, -1); // a fresh allocation: nothing may read what was not written
            }
            pagesPerRun = arena.pagesPerRun();
            int[] e = arena.entries();
            for (int i = 0; i < arena.entryCount(); i++) {
                slots[e[3 * i]] = e[3 * i + 1];
                tokens[e[3 * i]] = e[3 * i + 2];
            }
            int[] p = arena.pageWrites();
            for (int i = 0; i < arena.pageWriteCount(); i++) table[p[2 * i]] = p[2 * i + 1];
            arena.sent();
        }

        int[][] gather(StepPlan plan, int q) {
            int context = plan.sequenceWord(q, StepPlan.CONTEXT_LENGTH);
            int[] keySlots = new int[context], keyTokens = new int[context];
            int at = 0;
            int start = plan.sequenceWord(q, StepPlan.SEG_START);
            for (int g = start; g < start + plan.sequenceWord(q, StepPlan.SEG_COUNT); g++) {
                int handle = plan.segmentWords[2 * g], count = plan.segmentWords[2 * g + 1];
                for (int e = 0; e < count; e++) {
                    int page = table[handle * pagesPerRun + e / RunArena.PAGE];
                    assertTrue(page >= 0, "run handle " + handle + " entry " + e + " reads an unwritten page-table entry");
                    int index = page * RunArena.PAGE + e % RunArena.PAGE;
                    keySlots[at] = slots[index];
                    keyTokens[at++] = tokens[index];
                }
            }
            return new int[][] {keySlots, keyTokens};
        }
    }

    /** A small engine: a prompt run, sequences forking into own runs, growing one entry a step, forgotten at random. */
    @Test
    void keyListsAssembledFromTheArenaAreTheTablesOwnOverManySteps() {
        for (long seed = 1; seed <= 20; seed++) runScript(new Random(seed));
    }

    private static void runScript(Random random) {
        RunTable table = new RunTable(CAPACITY, VOCAB);
        RunArena arena = new RunArena(2, 2, 1); // tiny, so every capacity grows on the way
        SimulatedDevice device = new SimulatedDevice();
        int nextSlot = 0;
        long nextRun = 1;
        // the prompt
        int prompt = 1 + random.nextInt(700);
        int[] slots = new int[prompt], tokens = new int[prompt];
        for (int i = 0; i < prompt; i++) {
            slots[i] = nextSlot++;
            tokens[i] = random.nextInt(VOCAB);
        }
        long promptRun = nextRun++;
        List<long[]> live = new ArrayList<>(); // chains of live sequences
        List<Integer> lengths = new ArrayList<>();
        step(table, arena, device, new Batch(List.of(new RunAppend(promptRun, 0, slots, tokens)),
                List.of(new SequenceStep(new long[] {promptRun}, prompt, positions(0, prompt), Readout.nothing())), new long[0], new long[0]));
        List<Long> toForget = new ArrayList<>();
        for (int s = 0; s < 40; s++) {
            if (live.size() < 6 && random.nextInt(3) == 0) {
                live.add(new long[] {promptRun, nextRun++});
                lengths.add(0);
            }
            if (!live.isEmpty() && random.nextInt(8) == 0) {
                int victim = random.nextInt(live.size());
                long run = live.remove(victim)[1];
                if (lengths.remove(victim) > 0) toForget.add(run); // a run never appended is not held

            }
            if (live.isEmpty()) continue;
            List<RunAppend> appends = new ArrayList<>();
            List<SequenceStep> steps = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                long[] chain = live.get(i);
                int grow = 1 + (random.nextInt(10) == 0 ? random.nextInt(300) : 0);
                if (nextSlot + grow > CAPACITY) return;
                int[] s2 = new int[grow], t2 = new int[grow];
                for (int k = 0; k < grow; k++) {
                    s2[k] = nextSlot++;
                    t2[k] = random.nextInt(VOCAB);
                }
                appends.add(new RunAppend(chain[1], lengths.get(i), s2, t2));
                lengths.set(i, lengths.get(i) + grow);
                TokenRule rule = new TokenRule(0.7, 20, 0.8, 0, 1.05, VOCAB - 3, new int[] {5, 2});
                steps.add(new SequenceStep(chain, lengths.get(i), positions(prompt + lengths.get(i) - grow, grow),
                        new Readout(true, Pick.chosen(rule, 0.5), new int[] {7}, 3, false)));
            }
            long[] forget = toForget.stream().mapToLong(Long::longValue).toArray();
            toForget.clear();
            step(table, arena, device, new Batch(appends, steps, forget, new long[0]));
        }
        assertTrue(arena.pagesUsed() <= arena.pageCapacity());
    }

    private static void step(RunTable table, RunArena arena, SimulatedDevice device, Batch batch) {
        try {
            table.begin(batch);
        } finally {
            arena.apply(batch, table);
        }
        StepPlan plan = StepPlan.of(batch, table, arena, VOCAB);
        device.follow(arena);
        for (int q = 0; q < batch.sequences().size(); q++) {
            SequenceStep s = batch.sequences().get(q);
            int[][] gathered = device.gather(plan, q);
            assertArrayEquals(table.flatten(s, false), gathered[0], "key slots of sequence " + q);
            assertArrayEquals(table.flatten(s, true), gathered[1], "key tokens of sequence " + q);
        }
        table.end(batch);
        arena.end(batch, table);
    }

    private static int[] positions(int from, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = from + i;
        return p;
    }

    @Test
    void forgottenRunsPagesAreReused() {
        RunTable table = new RunTable(CAPACITY, VOCAB);
        RunArena arena = new RunArena(4, 4, 4);
        SimulatedDevice device = new SimulatedDevice();
        for (int round = 0; round < 50; round++) {
            // Batch.builder: a one-step run of 600 entries (3 pages), forgotten after the step
            int[] context = new int[599];
            for (int i = 0; i < context.length; i++) context[i] = i;
            Batch b = Batch.builder().sequence(context, new int[] {1}, new int[] {599}, new int[] {1000 + round},
                    Readout.of(Pick.chosen(TokenRule.greedy(VOCAB), 0))).build();
            step(table, arena, device, b);
            assertEquals(0, arena.size(), "the builder's run is forgotten after its step");
            assertEquals(0, arena.pagesUsed(), "its pages are free again");
        }
        assertEquals(4, arena.pageCapacity(), "50 rounds of 3 pages fit a pool of 4: pages were reused, not grown");
    }

    @Test
    void aRefusedBatchLeavesTheArenaAsTheTable() {
        RunTable table = new RunTable(16, VOCAB);
        RunArena arena = new RunArena(4, 4, 4);
        SimulatedDevice device = new SimulatedDevice();
        Batch ok = new Batch(List.of(new RunAppend(1, 0, new int[] {0, 1}, new int[] {3, 4})),
                List.of(new SequenceStep(new long[] {1}, 2, new int[] {0, 1}, Readout.nothing())), new long[0], new long[0]);
        step(table, arena, device, ok);
        // refused at the appends (slot out of range): nothing applied
        Batch bad = new Batch(List.of(new RunAppend(1, 2, new int[] {99}, new int[] {1})),
                List.of(new SequenceStep(new long[] {1}, 3, new int[] {2}, Readout.nothing())), new long[] {}, new long[0]);
        assertThrows(IllegalArgumentException.class, () -> step(table, arena, device, bad));
        assertEquals(0, arena.entryCount(), "no entry staged for a refused append");
        // refused at a sequence (writes slot 0 again): the append stays applied, and is staged
        Batch reused = new Batch(List.of(new RunAppend(2, 0, new int[] {0}, new int[] {1})),
                List.of(new SequenceStep(new long[] {2}, 1, new int[] {0}, Readout.nothing())), new long[0], new long[0]);
        assertThrows(IllegalArgumentException.class, () -> step(table, arena, device, reused));
        assertEquals(2, arena.size());
        assertEquals(1, arena.entryCount(), "the applied append is staged for the next step");
    }

    @Test
    void planPacksRowsSequencesAndReadoutsWhereTheKernelsReadThem() {
        RunTable table = new RunTable(CAPACITY, VOCAB);
        RunArena arena = new RunArena(4, 4, 4);
        TokenRule rule = new TokenRule(0.7, 20, 0.8, 0.05, 1.05, 990, new int[] {9, 3});
        Batch b = new Batch(List.of(new RunAppend(1, 0, new int[] {5, 6, 7}, new int[] {10, 11, 12})),
                List.of(new SequenceStep(new long[] {1}, 3, new int[] {0, 1, 2},
                        new Readout(true, Pick.chosen(rule, 0.25), new int[] {42}, 2, false))), new long[0], new long[0]);
        table.begin(b);
        arena.apply(b, table);
        StepPlan plan = StepPlan.of(b, table, arena, VOCAB);
        assertEquals(3, plan.logitRows, "row log-probs need every row's logits");
        assertArrayEquals(new int[] {1, 2, 3}, plan.keyCount);
        assertEquals(StepPlan.resultCount(1, 2, 2), plan.results);
        assertEquals(0.25, plan.sequenceDouble(0, StepPlan.UNIFORM));
        assertEquals(1.05, plan.sequenceDouble(0, StepPlan.PENALTY));
        assertEquals(990, plan.sequenceWord(0, StepPlan.CHOOSABLE));
        StepCapacity capacity = StepCapacity.initial();
        assertTrue(capacity.fits(plan, arena));
        assertEquals(0, capacity.sequenceRecords() % 2, "sequence records start 8-byte aligned");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = a.allocate(4L * capacity.words(), 8);
            int words = capacity.write(host, plan, arena);
            assertEquals(capacity.writes() + 3 * 3 + 2, words, "three entries and one page staged");
            assertEquals(11, host.getAtIndex(ValueLayout.JAVA_INT, capacity.tokens() + 1));
            assertEquals(6, host.getAtIndex(ValueLayout.JAVA_INT, capacity.writeSlots() + 1));
            long record = 4L * capacity.sequenceRecords();
            assertEquals(0.7, host.get(ValueLayout.JAVA_DOUBLE, record + 4L * StepPlan.TEMPERATURE));
            int bannedStart = host.get(ValueLayout.JAVA_INT, record + 4L * StepPlan.BANNED_START);
            assertEquals(3, host.getAtIndex(ValueLayout.JAVA_INT, capacity.idList() + bannedStart), "banned ids sorted");
        }
        var refused = assertThrows(IllegalArgumentException.class, () -> StepPlan.of(new Batch(List.of(),
                List.of(new SequenceStep(new long[] {1}, 3, new int[] {2}, new Readout(false, Pick.given(1), null, 65, false))),
                new long[0], new long[0]), table, arena, VOCAB));
        assertTrue(refused.getMessage().contains("at most 64"), refused.getMessage());
    }
}
