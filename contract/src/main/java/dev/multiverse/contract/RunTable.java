package dev.multiverse.contract;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A backend's copy of the engine's slot runs, kept up to date from each batch's deltas, and the
 * checks every backend makes on a batch. O(new entries) per step: nothing here walks a context.
 *
 * <p>Rules it enforces, each refused with an {@link IllegalArgumentException} naming the run,
 * sequence or row: a run is appended at its current length only, once per batch; slots lie in
 * {@code [0, capacity)} and tokens in {@code [0, vocab)}; a run read whole (not last in a chain)
 * is sealed: it never grows again and no sequence steps rows in it; a step's rows write fresh
 * slots (held by no other run entry) and no slot twice; positions are {@code >= 0}; readout ids
 * are in the vocabulary.
 */
public final class RunTable {

    /** One run: its entries {@code [0, length)}. */
    public static final class Run {
        private int[] slots = new int[16];
        private int[] tokens = new int[16];
        private int length;
        private boolean sealed;

        public int length() {
            return length;
        }

        /** The slots array; entries {@code [0, length())} are the run's. */
        public int[] slots() {
            return slots;
        }

        /** The tokens array; entries {@code [0, length())} are the run's. */
        public int[] tokens() {
            return tokens;
        }

        public boolean sealed() {
            return sealed;
        }

        private void append(int[] s, int[] t) {
            if (length + s.length > slots.length) {
                int grown = Math.max(length + s.length, 2 * slots.length);
                slots = Arrays.copyOf(slots, grown);
                tokens = Arrays.copyOf(tokens, grown);
            }
            System.arraycopy(s, 0, slots, length, s.length);
            System.arraycopy(t, 0, tokens, length, t.length);
            length += s.length;
        }
    }

    private final int capacity;
    private final int vocab;
    private final Map<Long, Run> runs = new HashMap<>();
    /** How many run entries hold each slot. */
    private final int[] holders;

    public RunTable(int capacity, int vocab) {
        this.capacity = capacity;
        this.vocab = vocab;
        this.holders = new int[capacity];
    }

    /** The run {@code id}. */
    public Run run(long id) {
        Run r = runs.get(id);
        if (r == null) throw new IllegalArgumentException("run " + id + " is not held by this backend");
        return r;
    }

    /** How many runs are held. */
    public int size() {
        return runs.size();
    }

    /**
     * Forgets the batch's {@code forget} runs, applies its appends, and checks its sequences. The
     * forgets and appends are checked first: if one is refused, none is applied; a refused
     * sequence leaves them applied.
     */
    public void begin(Batch batch) {
        if (batch.sequences().isEmpty() && !batch.appends().isEmpty())
            throw new IllegalArgumentException("a batch with no sequences may only forget runs");
        Set<Long> forgotten = new HashSet<>();
        for (long id : batch.forget()) {
            if (!runs.containsKey(id)) throw new IllegalArgumentException("forget: run " + id + " is not held by this backend");
            if (!forgotten.add(id)) throw new IllegalArgumentException("forget: run " + id + " is listed twice");
        }
        checkAppends(batch, forgotten);
        for (long id : batch.forget()) drop(id, "forget");
        for (RunAppend a : batch.appends()) {
            Run r = runs.computeIfAbsent(a.run(), k -> new Run());
            r.append(a.slots(), a.tokens());
            for (int s : a.slots()) holders[s]++;
        }
        checkSequences(batch);
    }

    /** Forgets the batch's {@code forgetAfter} runs. */
    public void end(Batch batch) {
        for (long id : batch.forgetAfter()) drop(id, "forgetAfter");
    }

    /** How many entries sequence step {@code s} sees, its new rows included. */
    public int contextLength(SequenceStep s) {
        long[] chain = s.runs();
        int n = s.end();
        for (int i = 0; i < chain.length - 1; i++) n += run(chain[i]).length;
        return n;
    }

    /**
     * The slots (or, with {@code tokens}, the tokens) that step {@code s} sees in order, its new
     * rows last: {@code contextLength(s)} entries.
     */
    public int[] flatten(SequenceStep s, boolean tokens) {
        int[] out = new int[contextLength(s)];
        int at = 0;
        long[] chain = s.runs();
        for (int i = 0; i < chain.length; i++) {
            Run r = run(chain[i]);
            int n = i == chain.length - 1 ? s.end() : r.length;
            System.arraycopy(tokens ? r.tokens : r.slots, 0, out, at, n);
            at += n;
        }
        return out;
    }

    private void drop(long id, String list) {
        Run r = runs.remove(id);
        if (r == null) throw new IllegalArgumentException(list + ": run " + id + " is not held by this backend");
        for (int i = 0; i < r.length; i++) holders[r.slots[i]]--;
    }

    private void checkAppends(Batch batch, Set<Long> forgotten) {
        Set<Long> seen = new HashSet<>();
        for (RunAppend a : batch.appends()) {
            String where = "append to run " + a.run();
            if (!seen.add(a.run())) throw new IllegalArgumentException(where + ": a run is appended once per batch");
            Run r = forgotten.contains(a.run()) ? null : runs.get(a.run());
            int length = r == null ? 0 : r.length;
            if (r != null && r.sealed) throw new IllegalArgumentException(where + ": the run is sealed (a chain reads it whole)");
            if (a.from() != length)
                throw new IllegalArgumentException(where + ": entries start at " + a.from() + " but the run holds " + length);
            for (int i = 0; i < a.length(); i++) {
                if (a.slots()[i] < 0 || a.slots()[i] >= capacity)
                    throw new IllegalArgumentException(where + ", entry " + (a.from() + i) + ": slot " + a.slots()[i]
                            + " outside [0, " + capacity + ")");
                if (a.tokens()[i] < 0 || a.tokens()[i] >= vocab)
                    throw new IllegalArgumentException(where + ", entry " + (a.from() + i) + ": token id " + a.tokens()[i]
                            + " outside the vocabulary [0, " + vocab + ")");
            }
        }
    }

    private void checkSequences(Batch batch) {
        BitSet written = new BitSet(capacity);
        for (int s = 0; s < batch.sequences().size(); s++) {
            SequenceStep step = batch.sequences().get(s);
            long[] chain = step.runs();
            for (int i = 0; i < chain.length - 1; i++) {
                Run inner = runs.get(chain[i]);
                if (inner == null) throw new IllegalArgumentException("sequence " + s + ": run " + chain[i] + " is not held by this backend");
                inner.sealed = true;
            }
        }
        for (int s = 0; s < batch.sequences().size(); s++) {
            SequenceStep step = batch.sequences().get(s);
            String where = "sequence " + s;
            Run last = runs.get(step.lastRun());
            if (last == null) throw new IllegalArgumentException(where + ": run " + step.lastRun() + " is not held by this backend");
            if (last.sealed)
                throw new IllegalArgumentException(where + ": run " + step.lastRun() + " is sealed (a chain reads it whole); no rows step in it");
            if (step.end() > last.length)
                throw new IllegalArgumentException(where + ": sees " + step.end() + " entries of run " + step.lastRun()
                        + ", which holds " + last.length);
            for (int r = 0; r < step.rows(); r++) {
                int slot = last.slots[step.end() - step.rows() + r];
                if (written.get(slot)) throw new IllegalArgumentException(where + " row " + r + ": slot " + slot + " is written twice in one step");
                written.set(slot);
                if (holders[slot] != 1)
                    throw new IllegalArgumentException(where + " row " + r + ": slot " + slot + " is written but "
                            + (holders[slot] - 1) + " other run entr" + (holders[slot] == 2 ? "y holds" : "ies hold") + " it");
                if (step.positions()[r] < 0) throw new IllegalArgumentException(where + " row " + r + ": negative position " + step.positions()[r]);
            }
            checkReadout(step.readout(), where);
        }
    }

    private void checkReadout(Readout readout, String where) {
        Pick pick = readout.pick();
        if (pick.kind() == Pick.Kind.GIVEN && pick.token() >= vocab)
            throw new IllegalArgumentException(where + ": given token " + pick.token() + " outside the vocabulary [0, " + vocab + ")");
        if (pick.kind() == Pick.Kind.CHOSEN && pick.rule().choosable() > vocab)
            throw new IllegalArgumentException(where + ": " + pick.rule().choosable() + " choosable ids but the model has " + vocab);
        for (int id : readout.scoreIds())
            if (id >= vocab) throw new IllegalArgumentException(where + ": score id " + id + " outside the vocabulary [0, " + vocab + ")");
    }
}
