package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaDriver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Device time per kernel over an eager step: an event before and after every launch, read back
 * once the step is done. For finding where a step's time goes; it serialises nothing the step
 * would not, but the events themselves cost a little.
 */
final class KernelProfile {
    /** Launches of one kernel and their summed device time. */
    record Total(int launches, double millis) {}

    private record Launch(String kernel, long start, long end) {}

    private final CudaDriver cuda;
    private final long stream;
    private final List<Launch> launches = new ArrayList<>();
    private final List<Long> pool = new ArrayList<>();
    private int used;

    KernelProfile(CudaDriver cuda, long stream) {
        this.cuda = cuda;
        this.stream = stream;
    }

    private long event() {
        if (used == pool.size()) pool.add(cuda.createEvent());
        return pool.get(used++);
    }

    /** Runs {@code launch} between two recorded events. */
    void time(String kernel, Runnable launch) {
        long start = event(), end = event();
        cuda.record(start, stream);
        launch.run();
        cuda.record(end, stream);
        launches.add(new Launch(kernel, start, end));
    }

    /** The totals per kernel, in order of first launch; waits for the step and starts a new count. */
    Map<String, Total> totals() {
        Map<String, Total> out = new LinkedHashMap<>();
        for (Launch l : launches) {
            double ms = cuda.elapsedMillis(l.start(), l.end());
            out.merge(l.kernel(), new Total(1, ms), (a, b) -> new Total(a.launches() + b.launches(), a.millis() + b.millis()));
        }
        launches.clear();
        used = 0;
        return out;
    }
}
