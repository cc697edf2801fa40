package dev.multiverse.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code void** kernelParams} of a launch, reused from call to call: slot i is 8 bytes holding
 * argument i (a device pointer as {@code long}, an {@code int} or a {@code float}), and the pointer
 * array points at the slots. The driver copies the values at launch, so the next launch may
 * overwrite them. One per driving thread.
 */
final class LaunchArgs {
    private static final int MAX_ARGS = 16;
    private final MemorySegment values, pointers;

    LaunchArgs(Arena arena) {
        values = arena.allocate(8L * MAX_ARGS, 8);
        pointers = arena.allocate(ADDRESS, MAX_ARGS);
        for (int i = 0; i < MAX_ARGS; i++) pointers.setAtIndex(ADDRESS, i, values.asSlice(8L * i, 8));
    }

    /** Writes {@code args} (Long, Integer or Float) into the slots and returns the pointer array. */
    MemorySegment of(Object... args) {
        if (args.length > MAX_ARGS) throw new IllegalArgumentException(args.length + " kernel arguments, at most " + MAX_ARGS);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case Long v -> values.set(JAVA_LONG, 8L * i, v);
                case Integer v -> values.set(JAVA_INT, 8L * i, v);
                case Float v -> values.set(JAVA_FLOAT, 8L * i, v);
                default -> throw new IllegalArgumentException("kernel argument " + i + " is a " + args[i].getClass());
            }
        }
        return pointers;
    }
}
