package dev.multiverse.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KvSlotPoolTest {
    @Test
    void sharedSlotsAreFreedByTheirLastHolder() {
        var pool = new KvSlotPool(3);
        int a = pool.allocate();
        int b = pool.allocate();
        assertEquals(0, a);
        assertEquals(1, b);
        pool.retain(a);
        pool.release(a);
        assertEquals(1, pool.freeSlots());
        pool.release(a);
        assertEquals(2, pool.freeSlots());
        assertEquals(0, pool.refCount(a));
        assertThrows(IllegalStateException.class, () -> pool.release(a));
        assertThrows(IllegalStateException.class, () -> pool.retain(a));
        pool.allocate();
        pool.allocate();
        assertThrows(IllegalStateException.class, pool::allocate);
    }

    @Test
    void reservationsNeverExceedTheCapacity() {
        var pool = new KvSlotPool(10);
        assertTrue(pool.canReserve(10));
        pool.reserve(6);
        assertFalse(pool.canReserve(5));
        assertThrows(IllegalStateException.class, () -> pool.reserve(5));
        pool.unreserve(6);
        assertEquals(0, pool.reservedSlots());
        assertThrows(IllegalStateException.class, () -> pool.unreserve(1));
    }
}
