package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.multiverse.cuda.ffi.CudaDriver;
import dev.multiverse.weights.FloatConversions;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A block of device memory: a pointer and a size, freed by {@link #close()}. */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaDriver cuda;
    private final long pointer, bytes;
    private boolean closed;

    DeviceBuffer(CudaDriver cuda, long bytes) {
        this.cuda = cuda;
        this.bytes = bytes;
        this.pointer = cuda.malloc(bytes);
    }

    /** The device address. */
    public long pointer() {
        return pointer;
    }

    /** The address {@code offset} bytes in. */
    public long at(long offset) {
        if (offset < 0 || offset > bytes) throw new IndexOutOfBoundsException(offset + " outside " + bytes + " bytes");
        return pointer + offset;
    }

    public long bytes() {
        return bytes;
    }

    /** Copies {@code host} to the start of this buffer (synchronous). */
    public void upload(MemorySegment host) {
        if (host.byteSize() > bytes) throw new IllegalArgumentException(host.byteSize() + " bytes into a buffer of " + bytes);
        if (host.isNative()) {
            cuda.copyToDevice(pointer, host, host.byteSize());
            return;
        }
        try (Arena a = Arena.ofConfined()) { // native calls take off-heap memory only
            cuda.copyToDevice(pointer, a.allocate(host.byteSize()).copyFrom(host), host.byteSize());
        }
    }

    /** Copies {@code values} to the start of this buffer (synchronous). */
    public void upload(float[] values) {
        try (Arena a = Arena.ofConfined()) {
            upload(a.allocateFrom(JAVA_FLOAT, values));
        }
    }

    /** Copies {@code values} to the start of this buffer (synchronous). */
    public void upload(int[] values) {
        try (Arena a = Arena.ofConfined()) {
            upload(a.allocateFrom(JAVA_INT, values));
        }
    }

    /** The first {@code count} floats (synchronous; waits for the work queued before it). */
    public float[] downloadFloats(int count) {
        try (Arena a = Arena.ofConfined()) {
            return download(a, 4L * count).toArray(JAVA_FLOAT);
        }
    }

    /** The first {@code count} ints (synchronous). */
    public int[] downloadInts(int count) {
        try (Arena a = Arena.ofConfined()) {
            return download(a, 4L * count).toArray(JAVA_INT);
        }
    }

    /** The first {@code count} bf16 values, widened to float (synchronous). */
    public float[] downloadBf16(int count) {
        try (Arena a = Arena.ofConfined()) {
            short[] bits = download(a, 2L * count).toArray(JAVA_SHORT);
            float[] out = new float[count];
            for (int i = 0; i < count; i++) out[i] = FloatConversions.bf16ToFloat(bits[i]);
            return out;
        }
    }

    /** The first {@code bytes} of this buffer in host memory of {@code arena}, once the queued work is done. */
    private MemorySegment download(Arena arena, long bytes) {
        MemorySegment host = arena.allocate(bytes, 8);
        cuda.synchronize();
        cuda.copyToHost(host, pointer, bytes);
        return host;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cuda.free(pointer);
    }
}
