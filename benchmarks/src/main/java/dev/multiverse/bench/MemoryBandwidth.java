package dev.multiverse.bench;

import dev.multiverse.reference.ThreadTeam;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The machine's memory read bandwidth: all threads stream through a large off-heap buffer. */
final class MemoryBandwidth {
    private MemoryBandwidth() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 1 << 20; // bytes per work item

    /** The best of {@code passes} streaming reads of {@code bytes} bytes, in bytes per second. */
    static double measure(ThreadTeam team, long bytes, int passes) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(bytes, 64);
            buffer.fill((byte) 1);
            int blocks = (int) (bytes / BLOCK);
            double[] sums = new double[team.size()];
            double best = 0;
            for (int p = 0; p < passes; p++) {
                long start = System.nanoTime();
                team.forRange(blocks, 4, (worker, from, to) -> sums[worker] += sum(buffer, (long) from * BLOCK, (long) to * BLOCK));
                long elapsed = System.nanoTime() - start;
                best = Math.max(best, (double) blocks * BLOCK / (elapsed * 1e-9));
            }
            if (Double.isNaN(sums[0])) System.out.println("(impossible: keeps the sums alive)");
            return best;
        }
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
}
