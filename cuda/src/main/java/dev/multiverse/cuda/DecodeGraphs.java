package dev.multiverse.cuda;

import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.cuda.ffi.CudaException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Captured CUDA graphs of whole decode steps, one per step shape, replayed with a single launch.
 * A shape is (rows, logit rows, key-list capacity bucket, whether the readout kernels run); the
 * step's metadata (rows, segments, every readout's parameters) lives at fixed device addresses, so one graph serves every step
 * of its shape. A shape is captured the second time it is seen (the first runs eagerly, which also
 * loads every kernel the capture will record). At most {@value #MAX_GRAPHS} graphs are kept, the
 * least recently used dropped first. If capture is refused, steps run eagerly from then on.
 */
final class DecodeGraphs implements AutoCloseable {
    static final int MAX_GRAPHS = 64;

    record Shape(int rows, int logitRows, int keyCapacity, boolean readout) {}

    private final CudaDriver cuda;
    private final long stream;
    private final Set<Shape> seen = new HashSet<>();
    private final LinkedHashMap<Shape, Long> graphs = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Shape, Long> eldest) {
            if (size() <= MAX_GRAPHS) return false;
            cuda.destroyGraph(eldest.getValue());
            return true;
        }
    };
    private boolean enabled = true;
    private int replays, captures;

    DecodeGraphs(CudaDriver cuda, long stream) {
        this.cuda = cuda;
        this.stream = stream;
    }

    /** Runs {@code work} for {@code shape}: eagerly, or captured once and then replayed. */
    void run(Shape shape, Runnable work) {
        Long graph = enabled ? graphs.get(shape) : null;
        if (graph == null && enabled && !seen.add(shape)) graph = capture(shape, work);
        if (graph == null) {
            work.run();
            return;
        }
        cuda.launchGraph(graph, stream);
        replays++;
    }

    private Long capture(Shape shape, Runnable work) {
        try {
            cuda.beginCapture(stream);
            try {
                work.run();
            } catch (RuntimeException e) {
                try {
                    cuda.abandonCapture(stream); // end the capture; keep no partial graph
                } catch (CudaException ending) {
                    e.addSuppressed(ending); // an invalidated capture ends with an error of its own
                }
                throw e;
            }
            long graph = cuda.endCaptureAndInstantiate(stream);
            graphs.put(shape, graph);
            captures++;
            return graph;
        } catch (CudaException e) {
            enabled = false; // this driver or library refuses capture: eager steps still work
            System.err.println("CUDA graphs disabled: " + e.getMessage());
            return null;
        }
    }

    /** Drops every graph: the buffers they point into were reallocated. */
    void invalidate() {
        for (long g : graphs.values()) cuda.destroyGraph(g);
        graphs.clear();
        seen.clear();
    }

    int replays() {
        return replays;
    }

    int captures() {
        return captures;
    }

    @Override
    public void close() {
        invalidate();
    }
}
