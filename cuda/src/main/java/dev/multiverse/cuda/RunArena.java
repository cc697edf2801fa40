package dev.multiverse.cuda;

import dev.multiverse.contract.Batch;
import dev.multiverse.contract.RunAppend;
import dev.multiverse.contract.RunTable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The host's bookkeeping of the slot runs kept on the device (run_arena.cu): each run has a
 * handle (its row of the page table) and a list of pages of {@value #PAGE} entries in the arena;
 * entry e of a run is at arena index {@code page[e / PAGE] · PAGE + e % PAGE}. It mirrors a
 * {@link RunTable} after each batch and stages, for the device, only what changed: the new
 * entries (arena index, slot, token) and the new pages (page-table index, page). A forgotten
 * run's pages and handle are reused. O(new entries) per batch; nothing here walks a context.
 *
 * <p>Capacities (arena pages, handles, pages per run) grow by doubling; the device must then
 * reallocate ({@link #pageCapacity()}, {@link #handleCapacity()}, {@link #pagesPerRun()}). When
 * the page table's shape changes, every live run's pages are staged again ({@link #tableReset()}).
 */
final class RunArena {
    static final int PAGE = 256;

    /** One run on the device: the table's run it mirrors (by identity), its handle and pages. */
    private static final class DeviceRun {
        final RunTable.Run run;
        final int handle;
        int[] pages = new int[4];
        int pageCount, length;

        DeviceRun(RunTable.Run run, int handle) {
            this.run = run;
            this.handle = handle;
        }
    }

    private final PageAllocator pages;
    private final PageAllocator handles;
    private final Map<Long, DeviceRun> runs = new HashMap<>();
    private int pagesPerRun;
    private boolean tableReset;
    /** Staged entry writes, [count][3] = (arena index, slot, token), and page writes, [count][2]. */
    private int[] entries = new int[3 * 256], pageWrites = new int[2 * 64];
    private int entryCount, pageWriteCount;

    RunArena(int initialPages, int initialHandles, int initialPagesPerRun) {
        this.pages = new PageAllocator(initialPages);
        this.handles = new PageAllocator(initialHandles);
        this.pagesPerRun = Math.max(1, initialPagesPerRun);
    }

    /**
     * Mirrors what {@link RunTable#begin} applied of {@code batch} (all of its forgets and appends,
     * or none when it refused them), staging the new entries. Call it after {@code begin},
     * whether it returned or threw.
     */
    void apply(Batch batch, RunTable table) {
        for (long id : batch.forget()) dropIfGone(id, table);
        for (RunAppend a : batch.appends()) {
            RunTable.Run now = find(table, a.run());
            if (now == null) continue;
            DeviceRun mine = runs.get(a.run());
            if (mine != null && mine.run != now) { // forgotten and started again in this batch
                release(a.run());
                mine = null;
            }
            int before = handles.capacity();
            if (mine == null) runs.put(a.run(), mine = new DeviceRun(now, handles.allocate()));
            if (handles.capacity() != before) resetTable();
            grow(mine, now.length());
        }
    }

    /** Mirrors {@link RunTable#end}: the batch's {@code forgetAfter} runs that the table dropped. */
    void end(Batch batch, RunTable table) {
        for (long id : batch.forgetAfter()) dropIfGone(id, table);
    }

    private void dropIfGone(long id, RunTable table) {
        DeviceRun mine = runs.get(id);
        if (mine != null && find(table, id) != mine.run) release(id);
    }

    private static RunTable.Run find(RunTable table, long id) {
        try {
            return table.run(id);
        } catch (IllegalArgumentException notHeld) {
            return null;
        }
    }

    private void release(long id) {
        DeviceRun r = runs.remove(id);
        for (int k = 0; k < r.pageCount; k++) pages.release(r.pages[k]);
        handles.release(r.handle);
    }

    /** Stages the run's entries {@code [r.length, length)}, taking pages as it needs. */
    private void grow(DeviceRun r, int length) {
        int[] slots = r.run.slots(), tokens = r.run.tokens();
        for (int e = r.length; e < length; e++) {
            int k = e / PAGE;
            if (k == r.pageCount) addPage(r);
            stageEntry(r.pages[k] * PAGE + e % PAGE, slots[e], tokens[e]);
        }
        r.length = length;
    }

    private void addPage(DeviceRun r) {
        if (r.pageCount == r.pages.length) r.pages = Arrays.copyOf(r.pages, 2 * r.pages.length);
        r.pages[r.pageCount++] = pages.allocate();
        if (r.pageCount > pagesPerRun) {
            while (r.pageCount > pagesPerRun) pagesPerRun *= 2;
            resetTable();
        } else {
            stagePage(r.handle * pagesPerRun + r.pageCount - 1, r.pages[r.pageCount - 1]);
        }
    }

    /** The table's shape changed: every live run's pages are staged again at their new indices. */
    private void resetTable() {
        tableReset = true;
        pageWriteCount = 0;
        for (DeviceRun r : runs.values())
            for (int k = 0; k < r.pageCount; k++) stagePage(r.handle * pagesPerRun + k, r.pages[k]);
    }

    private void stageEntry(int index, int slot, int token) {
        if (3 * entryCount + 3 > entries.length) entries = Arrays.copyOf(entries, 2 * entries.length);
        entries[3 * entryCount] = index;
        entries[3 * entryCount + 1] = slot;
        entries[3 * entryCount + 2] = token;
        entryCount++;
    }

    private void stagePage(int index, int page) {
        if (2 * pageWriteCount + 2 > pageWrites.length) pageWrites = Arrays.copyOf(pageWrites, 2 * pageWrites.length);
        pageWrites[2 * pageWriteCount] = index;
        pageWrites[2 * pageWriteCount + 1] = page;
        pageWriteCount++;
    }

    /** The handle of a held run. */
    int handle(long run) {
        DeviceRun r = runs.get(run);
        if (r == null) throw new IllegalStateException("run " + run + " is not on the device");
        return r.handle;
    }

    /** Staged entry writes: {@code [entryCount()][3]} = (arena index, slot, token). */
    int[] entries() {
        return entries;
    }

    int entryCount() {
        return entryCount;
    }

    /** Staged page-table writes: {@code [pageWriteCount()][2]} = (table index, page). */
    int[] pageWrites() {
        return pageWrites;
    }

    int pageWriteCount() {
        return pageWriteCount;
    }

    /** Whether the page table changed shape since the last {@link #sent()}: the device's table must be reallocated. */
    boolean tableReset() {
        return tableReset;
    }

    /** The staged writes have been queued to the device. */
    void sent() {
        entryCount = 0;
        pageWriteCount = 0;
        tableReset = false;
    }

    int pageCapacity() {
        return pages.capacity();
    }

    int pagesUsed() {
        return pages.used();
    }

    int handleCapacity() {
        return handles.capacity();
    }

    int pagesPerRun() {
        return pagesPerRun;
    }

    /** How many runs are on the device. */
    int size() {
        return runs.size();
    }
}
