package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A {@code CUlaunchConfig} for {@code cuLaunchKernelEx}, reused from launch to launch, with one
 * attribute: programmatic stream serialization (programmatic dependent launch), which lets a
 * kernel be launched before the one ahead of it in the stream has finished; the kernels wait for
 * their inputs themselves ({@code follow_previous_kernel} in common.cuh).
 *
 * <pre>
 * CUlaunchConfig (56 bytes): gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ,
 *   sharedMemBytes (uint32 at 0..24), hStream at 32, attrs at 40, numAttrs at 48
 * CUlaunchAttribute (72 bytes): id (uint32) at 0, value (a 64-byte union) at 8
 * </pre>
 */
final class LaunchConfig {
    private static final int PROGRAMMATIC_STREAM_SERIALIZATION = 6;
    private final MemorySegment config, attribute;

    LaunchConfig(Arena arena, long stream) {
        config = arena.allocate(56, 8);
        attribute = arena.allocate(72, 8);
        attribute.set(JAVA_INT, 0, PROGRAMMATIC_STREAM_SERIALIZATION);
        attribute.set(JAVA_INT, 8, 1);
        config.set(JAVA_LONG, 32, stream);
        config.set(ADDRESS, 40, attribute);
        config.set(JAVA_INT, 48, 1);
    }

    /** The config of one launch. */
    MemorySegment of(int gridX, int gridY, int block, int sharedBytes) {
        config.set(JAVA_INT, 0, gridX);
        config.set(JAVA_INT, 4, gridY);
        config.set(JAVA_INT, 8, 1);
        config.set(JAVA_INT, 12, block);
        config.set(JAVA_INT, 16, 1);
        config.set(JAVA_INT, 20, 1);
        config.set(JAVA_INT, 24, sharedBytes);
        return config;
    }
}
