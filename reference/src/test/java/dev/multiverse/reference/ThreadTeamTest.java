package dev.multiverse.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The thread team covers every item exactly once and reports a failure on any thread. */
class ThreadTeamTest {

    @Test
    void everyItemIsRunExactlyOnceForManyLoops() {
        try (ThreadTeam team = new ThreadTeam(3)) {
            for (int loop = 0; loop < 200; loop++) {
                int count = loop % 10 == 0 ? 5000 + loop : 1 + loop * 7 % 101; // long loops take shrinking chunks
                AtomicIntegerArray seen = new AtomicIntegerArray(count);
                team.forRange(count, 1 + loop % 5, (worker, from, to) -> {
                    for (int i = from; i < to; i++) seen.incrementAndGet(i);
                });
                for (int i = 0; i < count; i++) assertEquals(1, seen.get(i), "loop " + loop + " item " + i);
            }
        }
    }

    @Test
    void aFailureOnAnyThreadIsRethrownAndTheTeamGoesOn() {
        try (ThreadTeam team = new ThreadTeam(2)) {
            var e = assertThrows(IllegalStateException.class, () -> team.forRange(1000, 1, (worker, from, to) -> {
                if (from <= 500 && 500 < to) throw new IllegalStateException("item 500");
            }));
            assertEquals("item 500", e.getMessage());
            AtomicIntegerArray seen = new AtomicIntegerArray(10);
            team.forRange(10, 1, (worker, from, to) -> {
                for (int i = from; i < to; i++) seen.incrementAndGet(i);
            });
            for (int i = 0; i < 10; i++) assertEquals(1, seen.get(i));
        }
    }
}
