package dev.multiverse.cuda;

/**
 * The device side of {@link RunArena}: the arena's entries, {@code arenaSlots} and
 * {@code arenaTokens} [pages·PAGE] int, and the page table [handles][pagesPerRun] int (see
 * run_arena.cu). It follows the host bookkeeping's capacities: a grown arena is copied into its
 * larger buffers on the stream; a page table of a new shape is made empty, and the host has
 * staged every live run's pages again for it.
 */
final class DeviceArena implements AutoCloseable {
    private final CudaDevice device;
    private DeviceBuffer slots, tokens, table;
    private int pages, handles, pagesPerRun;

    DeviceArena(CudaDevice device, RunArena arena) {
        this.device = device;
        this.pages = arena.pageCapacity();
        this.handles = arena.handleCapacity();
        this.pagesPerRun = arena.pagesPerRun();
        slots = device.allocate(4L * pages * RunArena.PAGE);
        tokens = device.allocate(4L * pages * RunArena.PAGE);
        table = device.allocate(4L * handles * pagesPerRun);
    }

    /**
     * Makes the device buffers as large as {@code arena} needs; returns whether any moved (the
     * captured graphs read their addresses and must be dropped). Queued on the stream before the
     * staged writes are scattered.
     */
    boolean follow(RunArena arena) {
        boolean moved = false;
        if (arena.pageCapacity() > pages) {
            long old = 4L * pages * RunArena.PAGE, bytes = 4L * arena.pageCapacity() * RunArena.PAGE;
            slots = grown(slots, bytes, old);
            tokens = grown(tokens, bytes, old);
            pages = arena.pageCapacity();
            moved = true;
        }
        if (arena.tableReset() || arena.handleCapacity() != handles || arena.pagesPerRun() != pagesPerRun) {
            handles = arena.handleCapacity();
            pagesPerRun = arena.pagesPerRun();
            device.synchronize();
            table.close();
            table = device.allocate(4L * handles * pagesPerRun);
            moved = true;
        }
        return moved;
    }

    private DeviceBuffer grown(DeviceBuffer from, long bytes, long keep) {
        DeviceBuffer to = device.allocate(bytes);
        device.driver().copyDeviceAsync(to.pointer(), from.pointer(), keep, device.stream());
        device.synchronize();
        from.close();
        return to;
    }

    long slots() { return slots.pointer(); }
    long tokens() { return tokens.pointer(); }
    long table() { return table.pointer(); }
    int pagesPerRun() { return pagesPerRun; }

    @Override
    public void close() {
        slots.close();
        tokens.close();
        table.close();
    }
}
