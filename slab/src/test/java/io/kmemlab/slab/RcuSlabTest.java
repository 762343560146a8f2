package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SLAB_TYPESAFE_BY_RCU slab freeing as slab_destroy: total_slabs drops when the slab is taken off
 * slabs_free, the pages and NR_SLAB_UNRECLAIMABLE_B (meminfo "Slab:") when kmem_rcu_free runs after
 * a grace period; kmem_cache_destroy's rcu_barrier returns every page.
 */
class RcuSlabTest {
    private static final int OBJECTS = 300;

    private final SlabTestMachine t = SlabTestMachine.of(64L << 20, 1);

    @AfterEach
    void consistent() {
        assertThat(t.slab.validate()).isEmpty();
        assertThat(t.layer.validate()).isZero();
    }

    private long[] allocAll(KmemCache c) {
        long[] p = new long[OBJECTS];
        for (int i = 0; i < p.length; i++) {
            p[i] = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            assertThat(p[i]).isNotZero();
        }
        return p;
    }

    private void freeAll(KmemCache c, long[] p) {
        for (long o : p) {
            assertThat(t.layer.kmemCacheFree(0, c, o, 0)).isTrue();
        }
    }

    private long slabBytes() {
        return t.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
    }

    @Test
    void shrink_rcuCache_totalSlabsDropNowPagesAfterGracePeriod() {
        KmemCache c = t.create("rcu_test", 64, 0, SlabFlags.TYPESAFE_BY_RCU);
        ClassicSlabCache s = t.impl(c);
        long pagesBefore = t.pages.allocatedPages();
        long bytesBefore = slabBytes();
        freeAll(c, allocAll(c));
        // 64-byte objects with a one-byte on-slab index: 63 per order-0 slab, 300 objects fill 5;
        // free_block already destroyed the free slabs above free_limit, and those hold pages too
        assertThat(s.slabinfo().objPerSlab()).isEqualTo(63);
        long held = t.pages.allocatedPages() - pagesBefore;
        assertThat(held).isEqualTo(5);
        assertThat(s.totalSlabs() + s.rcuSlabsPending()).isEqualTo(held);
        long slabs = held;

        t.layer.kmemCacheShrink(c);

        assertThat(s.totalSlabs()).isZero();
        assertThat(t.row("rcu_test")).endsWith(": slabdata      0      0      0");
        assertThat(s.rcuSlabsPending()).isEqualTo((int) slabs);
        assertThat(t.machine.rcu().pending()).isEqualTo((int) slabs);
        assertThat(t.pages.allocatedPages() - pagesBefore).isEqualTo(held);
        assertThat(slabBytes() - bytesBefore).isEqualTo(held * Addr.PAGE_SIZE);
        assertThat(t.slab.validate()).isEmpty();

        // 1 ms later the grace period (8 to 12 ms of jiffies at HZ 250) has not ended
        t.machine.clock().advance(1_000_000);
        t.layer.timerTick(t.machine.clock().nanos());
        assertThat(s.rcuSlabsPending()).isEqualTo((int) slabs);

        t.machine.rcu().synchronize();

        assertThat(s.rcuSlabsPending()).isZero();
        assertThat(t.machine.rcu().pending()).isZero();
        assertThat(t.pages.allocatedPages()).isEqualTo(pagesBefore);
        assertThat(slabBytes()).isEqualTo(bytesBefore);
        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
    }

    @Test
    void shrink_plainCache_returnsPagesAtOnce() {
        KmemCache c = t.create("plain_test", 64, 0, 0);
        long pagesBefore = t.pages.allocatedPages();
        freeAll(c, allocAll(c));
        t.layer.kmemCacheShrink(c);
        assertThat(t.machine.rcu().pending()).isZero();
        assertThat(t.pages.allocatedPages()).isEqualTo(pagesBefore);
        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
    }

    @Test
    void destroy_rcuCacheWithoutTick_rcuBarrierReturnsEveryPage() {
        KmemCache c = t.create("rcu_destroy", 64, 0, SlabFlags.TYPESAFE_BY_RCU);
        long withCache = t.pages.allocatedPages();
        long withCacheBytes = slabBytes();
        freeAll(c, allocAll(c));
        assertThat(t.pages.allocatedPages()).isGreaterThan(withCache);

        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();

        assertThat(t.machine.rcu().pending()).isZero();
        assertThat(t.layer.find("rcu_destroy")).isNull();
        assertThat(t.pages.allocatedPages()).isLessThanOrEqualTo(withCache);
        assertThat(slabBytes()).isLessThanOrEqualTo(withCacheBytes);
    }

    @Test
    void kfree_objectOfSlabWaitingForRcu_isReportedNotFreed() {
        KmemCache c = t.create("rcu_stale", 64, 0, SlabFlags.TYPESAFE_BY_RCU);
        long[] p = allocAll(c);
        freeAll(c, p);
        t.layer.kmemCacheShrink(c);
        long before = t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE);

        assertThat(t.layer.kfree(0, p[0], 0)).isFalse();

        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(before + 1);
        t.machine.rcu().barrier();
        assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
    }
}
