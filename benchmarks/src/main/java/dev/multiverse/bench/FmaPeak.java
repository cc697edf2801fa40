package dev.multiverse.bench;

import dev.multiverse.reference.ThreadTeam;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA throughput: every thread of a team runs twelve independent chains of
 * vector FMAs in registers (enough to cover the FMA latency on two pipes), no memory traffic. One
 * {@link #pass()} is a fixed amount of work, so a benchmark can interleave passes with the work it
 * compares against them, as it does with {@link MemoryBandwidth}.
 */
final class FmaPeak {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int CHAINS = 12;
    private static final int ITEMS = 64;
    private static final int STEPS_PER_ITEM = 100_000;

    private final ThreadTeam team;
    private final float[] sums;

    FmaPeak(ThreadTeam team) {
        this.team = team;
        this.sums = new float[team.size()];
    }

    /** One pass on every thread of the team, in floating-point operations (2 per FMA lane) per second. */
    double pass() {
        long start = System.nanoTime();
        team.forRange(ITEMS, 1, (worker, from, to) -> {
            for (int item = from; item < to; item++) sums[worker] += chains(item, STEPS_PER_ITEM);
        });
        long elapsed = System.nanoTime() - start;
        if (Float.isNaN(sums[0])) System.out.println("(impossible: keeps the sums alive)");
        return (double) ITEMS * STEPS_PER_ITEM * CHAINS * F.length() * 2 / (elapsed * 1e-9);
    }

    /**
     * x ← x·m + c on twelve accumulators, {@code steps} times (m < 1, so they stay finite). The seed
     * is a float on purpose: an int picks {@code broadcast(species, long)}, and the loop then ran at
     * half the rate (measured: ~105 against ~206 GFLOP/s on one core).
     */
    private static float chains(float seed, long steps) {
        FloatVector m = FloatVector.broadcast(F, 0.999f), c = FloatVector.broadcast(F, 1e-3f);
        FloatVector a0 = FloatVector.broadcast(F, seed), a1 = a0.add(1), a2 = a0.add(2), a3 = a0.add(3), a4 = a0.add(4), a5 = a0.add(5);
        FloatVector a6 = a0.add(6), a7 = a0.add(7), a8 = a0.add(8), a9 = a0.add(9), a10 = a0.add(10), a11 = a0.add(11);
        for (long i = 0; i < steps; i++) {
            a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c); a4 = a4.fma(m, c); a5 = a5.fma(m, c);
            a6 = a6.fma(m, c); a7 = a7.fma(m, c); a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
