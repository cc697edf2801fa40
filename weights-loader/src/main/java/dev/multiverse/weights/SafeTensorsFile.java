package dev.multiverse.weights;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One safetensors file, memory-mapped read-only in full. Its header is checked completely on
 * {@link #open}; tensors are zero-copy slices of the mapping. Offsets are longs throughout, so files
 * far above 2 GB work. Closing releases the mapping; tensors obtained earlier then become unusable.
 * Safe to read from several threads.
 */
public final class SafeTensorsFile implements AutoCloseable {
    private final Path file;
    private final Arena arena;
    private final boolean ownsArena;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    private SafeTensorsFile(Path file, Arena arena, boolean ownsArena, Map<String, String> metadata,
                            Map<String, Tensor> tensors) {
        this.file = file;
        this.arena = arena;
        this.ownsArena = ownsArena;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    /** Maps {@code file} and checks its header; the file owns its own mapping. */
    public static SafeTensorsFile open(Path file) throws WeightsFormatException, IOException {
        Arena arena = Arena.ofShared();
        try {
            return open(file, arena, true);
        } catch (WeightsFormatException | IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Maps {@code file} into {@code arena}, which the caller closes (one arena per {@link WeightStore}). */
    static SafeTensorsFile open(Path file, Arena arena, boolean ownsArena) throws WeightsFormatException, IOException {
        MemorySegment whole;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
        SafeTensorsHeader header = SafeTensorsHeader.read(file, whole);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafeTensorsHeader.Entry e : header.entries) {
            MemorySegment data = whole.asSlice(header.dataStart + e.begin(), e.end() - e.begin());
            tensors.put(e.name(), new Tensor(e.name(), e.dtype(), e.shape(), e.elementCount(), data));
        }
        return new SafeTensorsFile(file, arena, ownsArena, header.metadata, Collections.unmodifiableMap(tensors));
    }

    /** The file this was opened from. */
    public Path path() {
        return file;
    }

    /** Tensor names in header order. */
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The tensor called {@code name}. */
    public Tensor tensor(String name) throws WeightsFormatException {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new WeightsFormatException(file, name, "no such tensor in this file ("
                    + tensors.size() + " tensors)");
        }
        return t;
    }

    /** The header's {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Releases the mapping if this file owns it; idempotent. */
    @Override
    public synchronized void close() {
        if (ownsArena && arena.scope().isAlive()) {
            arena.close();
        }
    }
}
