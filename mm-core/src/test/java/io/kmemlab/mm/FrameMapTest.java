package io.kmemlab.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kmemlab.mm.FrameMap.State;
import org.junit.jupiter.api.Test;

class FrameMapTest {
    /** 32 frames set up by hand: every state once, blocks of several orders. */
    private static PageFrames frames() {
        PageFrames f = new PageFrames(32);
        f.initAll();
        f.set(0, PageFrames.PG_HOLE);
        f.set(1, PageFrames.PG_RESERVED);
        // 2, 3: allocated order-0 kernel pages
        f.setRefcount(2, 1);
        f.setRefcount(3, 1);
        // 4..7: a free order-2 block (only its head carries PG_buddy, as in the kernel)
        f.set(4, PageFrames.PG_BUDDY);
        f.setOrder(4, 2);
        // 8..9: an order-1 block on a pcp list
        f.set(8, PageFrames.PG_PCP);
        f.setOrder(8, 1);
        // 10: an untracked frame (no reference, not covered)
        // 12..15: an order-2 slab (compound)
        f.setRefcount(12, 1);
        f.prepCompound(12, 2);
        f.set(12, PageFrames.PG_SLAB);
        // 16..23: an order-3 large kmalloc
        f.setRefcount(16, 1);
        f.prepCompound(16, 3);
        f.set(16, PageFrames.PG_LARGE_KMALLOC);
        // 24: a SLOB big page
        f.setRefcount(24, 1);
        f.set(24, PageFrames.PG_OWNER_PRIV);
        // 28..31: free order-2
        f.set(28, PageFrames.PG_BUDDY);
        f.setOrder(28, 2);
        return f;
    }

    @Test
    void capture_classifiesEveryFrameByItsHeadsBits() {
        FrameMap m = FrameMap.capture(frames(), null);
        String expected = "HR" + "KK" + "FFFF" + "PP" + "UU" + "SSSS" + "LLLLLLLL" + "A" + "UUU" + "FFFF";
        StringBuilder got = new StringBuilder();
        for (int pfn = 0; pfn < m.nrFrames(); pfn++) {
            got.append(letter(m.state(pfn)));
        }
        assertEquals(expected, got.toString());
        assertEquals(2, m.order(6));
        assertEquals(4, m.head(7));
        assertEquals(3, m.order(20));
        assertEquals(16, m.head(20));
        assertEquals(12, m.head(15));
        assertEquals(1, m.order(9));
        assertEquals(8, m.count(State.FREE));
        assertEquals(5, m.count(State.UNTRACKED));
    }

    @Test
    void capture_intoAnExistingMap_reusesItAndSeesTheNewState() {
        PageFrames f = frames();
        FrameMap m = FrameMap.capture(f, null);
        f.clear(28, PageFrames.PG_BUDDY);
        f.setRefcount(28, 1);
        assertEquals(m, FrameMap.capture(f, m));
        assertEquals(State.KERNEL, m.state(28));
        assertEquals(State.UNTRACKED, m.state(29));
        assertEquals(4, m.count(State.FREE));
    }

    private static char letter(State s) {
        return switch (s) {
            case HOLE -> 'H';
            case RESERVED -> 'R';
            case FREE -> 'F';
            case PCP -> 'P';
            case SLAB -> 'S';
            case LARGE_KMALLOC -> 'L';
            case ALLOCATOR_PRIVATE -> 'A';
            case KERNEL -> 'K';
            case UNTRACKED -> 'U';
        };
    }
}
