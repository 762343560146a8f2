package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.slab.KmemCache;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-CPU, shared arrays and node lists: refill, flush, reaping (slab.md §10). */
class ArrayCacheBehaviourTest {
    private final SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);

    @AfterEach
    void consistent() {
        assertThat(t.impl("kmem_cache").validateProblems()).isEmpty();
        for (KmemCache c : t.layer.caches()) {
            assertThat(t.impl(c).validateProblems()).as(c.name()).isEmpty();
        }
        assertThat(t.slab.validate()).isEmpty();
    }

    private long alloc(int cpu, KmemCache c) {
        long p = t.layer.kmemCacheAlloc(cpu, c, Gfp.GFP_KERNEL, 0);
        assertThat(p).isNotZero();
        return p;
    }

    @Test
    void firstAllocation_untouchedArray_refillsOnlyBatchrefillLimit() {
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        assertThat(s.tunables()).isEqualTo(new Tunables(120, 60, 8));
        alloc(0, c);
        // 16 moved onto the array, one handed out
        assertThat(s.cpuArray(0).avail).isEqualTo(15);
        assertThat(s.cpuArray(0).touched).isTrue();
        for (int i = 0; i < 15; i++) {
            alloc(0, c);
        }
        assertThat(s.cpuArray(0).avail).isZero();
        // touched now: the next refill asks for the full batchcount of 60, but takes only the 48
        // left on the partial slab: with objects on the array there is no growing
        alloc(0, c);
        assertThat(s.cpuArray(0).avail).isEqualTo(47);
        assertThat(s.nodes[0].totalSlabs).isEqualTo(1);
        for (int i = 0; i < 47; i++) {
            alloc(0, c);
        }
        // empty node: a new slab, 60 of its 64 objects onto the array
        alloc(0, c);
        assertThat(s.cpuArray(0).avail).isEqualTo(59);
        assertThat(s.nodes[0].totalSlabs).isEqualTo(2);
        assertThat(s.stats.allocmiss).isEqualTo(3);
        assertThat(s.stats.allochit).isEqualTo(15 + 47);
    }

    @Test
    void freshSlab_handsOutObjectsInAddressOrder() {
        KmemCache c = t.create("test64", 64, 0, 0);
        long first = alloc(0, c);
        // LIFO: the array holds objects 0..15, entry[15] (object 15) goes first
        long second = alloc(0, c);
        assertThat(first - second).isEqualTo(64);
        // 64 objects fill the page exactly: no colour
        assertThat(t.impl(c).geometryRecord().colour()).isZero();
        assertThat(Addr.offsetInPage(first)).isEqualTo(15 * 64);
    }

    @Test
    void freeOverLimit_flushesOldestBatchToSharedArray() {
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            objs.add(alloc(0, c));
        }
        int before = s.cpuArray(0).avail;
        for (long p : objs) {
            t.layer.kmemCacheFree(0, c, p, 0);
        }
        // 120 fill the array, the 121st free flushes the oldest 60 to the shared array (480 slots)
        ArrayCache ac = s.cpuArray(0);
        assertThat(before + 200).isGreaterThan(120);
        assertThat(s.stats.freemiss).isPositive();
        assertThat(ac.avail).isLessThanOrEqualTo(120);
        assertThat(t.row("test64")).contains(": slabdata");
        long shared = s.slabinfo().sharedAvail();
        assertThat(shared % 60).isZero();
        assertThat(shared + ac.avail).isEqualTo(before + 200);
        // the hottest object (last freed) is on top of the per-CPU array
        assertThat(ac.entry[ac.avail - 1]).isEqualTo(objs.get(199));
    }

    @Test
    void flushWithoutSharedArray_freesBlockToSlabsAndReleasesSlabsAboveFreeLimit() {
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        // shared 0: flushes go to free_block
        assertThat(t.machine.vfs().write("/proc/slabinfo", "test64 8 4 0\n")).isNull();
        assertThat(s.tunables()).isEqualTo(new Tunables(8, 4, 0));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            objs.add(alloc(0, c));
        }
        long pagesBefore = t.pages.allocatedPages();
        for (long p : objs) {
            t.layer.kmemCacheFree(0, c, p, 0);
        }
        // free_limit = (1 + 2 CPUs) × 4 + 63 objects per slab = 75: at most 2 free slabs stay
        SlabNode n = s.nodes[0];
        assertThat(n.freeLimit).isEqualTo(3 * 4 + s.objsPerSlab());
        assertThat(n.freeObjects).isLessThanOrEqualTo(n.freeLimit + s.objsPerSlab());
        assertThat(t.pages.allocatedPages()).isLessThan(pagesBefore);
        assertThat(s.cpuArray(0).avail).isLessThanOrEqualTo(8);
    }

    @Test
    void reap_drainsUntouchedArrayByAFifthOfLimit_andSparesTouchedOnes() {
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        for (int i = 0; i < 10; i++) {
            long p = alloc(0, c);
            t.layer.kmemCacheFree(0, c, p, 0);
        }
        ArrayCache ac = s.cpuArray(0);
        int avail = ac.avail;
        assertThat(ac.touched).isTrue();
        long due = t.slab.nextReap(0);
        t.machine.clock().set(nanosAt(due));
        t.slab.tick(t.machine.clock().nanos());
        // first reap only clears touched
        assertThat(ac.avail).isEqualTo(avail);
        assertThat(ac.touched).isFalse();
        long next = t.slab.nextReap(0);
        assertThat(next - due).isBetween((long) VirtualClock.HZ, 3L * VirtualClock.HZ);
        t.machine.clock().set(nanosAt(next));
        t.slab.tick(t.machine.clock().nanos());
        // untouched: (120 + 4) / 5 = 24 > avail → (avail + 1) / 2 go back
        assertThat(ac.avail).isEqualTo(avail - (avail + 1) / 2);
    }

    @Test
    void reap_destroysFreeSlabsOnceTheNodeTimerExpires() {
        KmemCache c = t.create("test64", 64, 0, 0);
        ClassicSlabCache s = t.impl(c);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            objs.add(alloc(0, c));
        }
        for (long p : objs) {
            t.layer.kmemCacheFree(0, c, p, 0);
        }
        long freeSlabs = s.nodes[0].freeSlabs;
        assertThat(freeSlabs).isPositive();
        // ten minutes of reaping, one tick per reap period
        for (int i = 0; i < 300; i++) {
            t.machine.clock().set(nanosAt(t.slab.nextReap(0)));
            t.slab.tick(t.machine.clock().nanos());
        }
        assertThat(s.cpuArray(0).avail).isZero();
        assertThat(s.slabinfo().sharedAvail()).isZero();
        assertThat(s.nodes[0].totalSlabs).isZero();
        assertThat(s.stats.reaped).isPositive();
    }

    @Test
    void shrink_returnsEveryPageOfAnEmptyCache() {
        KmemCache c = t.create("test64", 64, 0, 0);
        long before = t.pages.allocatedPages();
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            objs.add(alloc(i & 1, c));
        }
        for (long p : objs) {
            t.layer.kmemCacheFree(1, c, p, 0);
        }
        t.layer.kmemCacheShrink(c);
        assertThat(t.pages.allocatedPages()).isEqualTo(before);
        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
    }

    @Test
    void destroyWithLiveObjects_reportsLeakAndKeepsCache() {
        KmemCache c = t.create("leaky", 64, 0, 0);
        long p = alloc(0, c);
        assertThat(t.layer.kmemCacheDestroy(c)).isFalse();
        assertThat(t.machine.dmesg().reportCount(io.kmemlab.mm.ReportKind.SLAB_LEAK))
                .isEqualTo(1);
        assertThat(t.machine.dmesg().text()).contains("kmem_cache_destroy leaky: Slab cache still has objects");
        t.layer.kmemCacheFree(0, c, p, 0);
        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
    }

    static long nanosAt(long jiffies) {
        return (jiffies - VirtualClock.INITIAL_JIFFIES) * (1_000_000_000L / VirtualClock.HZ);
    }
}
