package dev.multiverse.bench;

import dev.multiverse.reference.ThreadTeam;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory read bandwidth: all threads of a team stream through a large off-heap
 * buffer, summing it with vector adds. One {@link #pass()} is one read of the whole buffer, so a
 * benchmark can interleave passes with the work it compares against them.
 */
final class MemoryBandwidth implements AutoCloseable {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 1 << 20; // bytes per work item

    private final ThreadTeam team;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final int blocks;
    private final double[] sums;

    /** A buffer of {@code bytes} bytes (rounded down to whole MiB), far larger than the caches. */
    MemoryBandwidth(ThreadTeam team, long bytes) {
        this.team = team;
        this.blocks = (int) (bytes / BLOCK);
        this.buffer = arena.allocate((long) blocks * BLOCK, 64);
        buffer.fill((byte) 1);
        this.sums = new double[team.size()];
    }

    /** One streaming read of the whole buffer by every thread of the team, in bytes per second. */
    double pass() {
        long start = System.nanoTime();
        team.forRange(blocks, 4, (worker, from, to) -> sums[worker] += sum(buffer, (long) from * BLOCK, (long) to * BLOCK));
        long elapsed = System.nanoTime() - start;
        if (Double.isNaN(sums[0])) System.out.println("(impossible: keeps the sums alive)");
        return (double) blocks * BLOCK / (elapsed * 1e-9);
    }

    private static double sum(MemorySegment s, long from, long to) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long step = F.vectorByteSize();
        for (long o = from; o < to; o += 4 * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, s, o, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, s, o + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, s, o + 2 * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, s, o + 3 * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void close() {
        arena.close();
    }
}
