package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SLAB_TYPESAFE_BY_RCU slab freeing as discard_slab → free_slab: nr_slabs/total_objects drop at
 * discard time, the pages and NR_SLAB_UNRECLAIMABLE_B (meminfo "Slab:") only when rcu_free_slab
 * runs after a grace period; kmem_cache_destroy's rcu_barrier returns every page.
 */
class SlubRcuSlabTest {
    /** 64-byte objects, order 0: 64 per slab; 200 objects need 4 slabs. */
    private static final int OBJECTS = 200;

    private SlabLayer layer;
    private SimplePageAllocator pages;

    @BeforeEach
    void boot() {
        layer = SlubTesting.boot(1);
        pages = SlubTesting.pages(layer);
    }

    @AfterEach
    void consistent() {
        assertThat(layer.allocator().validate()).isEmpty();
        assertThat(layer.validate()).isZero();
    }

    private long[] allocAll(KmemCache s) {
        long[] p = new long[OBJECTS];
        for (int i = 0; i < p.length; i++) {
            p[i] = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
            assertThat(p[i]).isNotZero();
        }
        return p;
    }

    private void freeAll(KmemCache s, long[] p) {
        for (long o : p) {
            assertThat(layer.kmemCacheFree(0, s, o, 0)).isTrue();
        }
    }

    private long slabBytes() {
        return layer.machine().nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B);
    }

    @Test
    void shrink_rcuCache_countersDropNowPagesAfterGracePeriod() {
        KmemCache s = layer.kmemCacheCreate("rcu_test", 64, SlabFlags.TYPESAFE_BY_RCU, KmemCacheArgs.NONE);
        SlubCache c = (SlubCache) s.impl();
        long pagesBefore = pages.allocatedPages();
        long bytesBefore = slabBytes();
        freeAll(s, allocAll(s));
        long slabs = c.nrSlabs;
        assertThat(slabs).isEqualTo(4);
        long held = pages.allocatedPages() - pagesBefore;
        assertThat(held).isEqualTo(slabs);

        layer.kmemCacheShrink(s);

        // dec_slabs_node ran in discard_slab: the node counters and slabinfo already say 0
        assertThat(c.nrSlabs).isZero();
        assertThat(c.totalObjects).isZero();
        assertThat(c.slabinfo().numSlabs()).isZero();
        // the pages and the Slab: bytes wait for rcu_free_slab
        assertThat(c.rcuSlabsPending()).isEqualTo(4);
        assertThat(layer.machine().rcu().pending()).isEqualTo(4);
        assertThat(pages.allocatedPages() - pagesBefore).isEqualTo(held);
        assertThat(slabBytes() - bytesBefore).isEqualTo(held * Addr.PAGE_SIZE);
        assertThat(layer.validate()).isZero();

        // 1 ms later the grace period (8 to 12 ms of jiffies at HZ 250) has not ended
        layer.machine().clock().advance(1_000_000);
        layer.timerTick(layer.machine().clock().nanos());
        assertThat(c.rcuSlabsPending()).isEqualTo(4);

        layer.machine().rcu().synchronize();

        assertThat(c.rcuSlabsPending()).isZero();
        assertThat(layer.machine().rcu().pending()).isZero();
        assertThat(pages.allocatedPages()).isEqualTo(pagesBefore);
        assertThat(slabBytes()).isEqualTo(bytesBefore);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void shrink_plainCache_returnsPagesAtOnce() {
        KmemCache s = layer.kmemCacheCreate("plain_test", 64, 0, KmemCacheArgs.NONE);
        long pagesBefore = pages.allocatedPages();
        long bytesBefore = slabBytes();
        freeAll(s, allocAll(s));
        layer.kmemCacheShrink(s);
        assertThat(layer.machine().rcu().pending()).isZero();
        assertThat(pages.allocatedPages()).isEqualTo(pagesBefore);
        assertThat(slabBytes()).isEqualTo(bytesBefore);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void destroy_rcuCacheWithoutTick_rcuBarrierReturnsEveryPage() {
        long pagesBefore = pages.allocatedPages();
        long bytesBefore = slabBytes();
        KmemCache s = layer.kmemCacheCreate("rcu_destroy", 64, SlabFlags.TYPESAFE_BY_RCU, KmemCacheArgs.NONE);
        long withCache = pages.allocatedPages();
        long withCacheBytes = slabBytes();
        freeAll(s, allocAll(s));
        assertThat(pages.allocatedPages()).isGreaterThan(withCache);

        assertThat(layer.kmemCacheDestroy(s)).isTrue();

        assertThat(layer.machine().rcu().pending()).isZero();
        assertThat(layer.find("rcu_destroy")).isNull();
        assertThat(pages.allocatedPages()).isEqualTo(withCache).isGreaterThanOrEqualTo(pagesBefore);
        assertThat(slabBytes()).isEqualTo(withCacheBytes).isGreaterThanOrEqualTo(bytesBefore);
    }

    @Test
    void tick_slabEmptiedByKfreeRcu_waitsForTheNextGracePeriod() {
        KmemCache s = layer.kmemCacheCreate("rcu_two_stage", 64, SlabFlags.TYPESAFE_BY_RCU, KmemCacheArgs.NONE);
        SlubCache c = (SlubCache) s.impl();
        long pagesBefore = pages.allocatedPages();
        long[] p = allocAll(s);
        for (long o : p) {
            layer.kfreeRcu(0, o, 0);
        }
        layer.kmemCacheShrink(s);
        assertThat(c.nrSlabs).isEqualTo(4);

        // first grace period: kfree_rcu frees the objects; shrink then queues rcu_free_slab
        layer.machine().rcu().synchronize();
        assertThat(layer.rcuPending()).isZero();
        layer.kmemCacheShrink(s);
        assertThat(c.nrSlabs).isZero();
        assertThat(pages.allocatedPages()).isGreaterThan(pagesBefore);

        // second grace period: the pages go back
        layer.machine().rcu().synchronize();
        assertThat(pages.allocatedPages()).isEqualTo(pagesBefore);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void kfree_objectOfSlabWaitingForRcu_isReportedNotFreed() {
        KmemCache s = layer.kmemCacheCreate("rcu_stale", 64, SlabFlags.TYPESAFE_BY_RCU, KmemCacheArgs.NONE);
        long[] p = allocAll(s);
        freeAll(s, p);
        layer.kmemCacheShrink(s);
        long before = layer.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE);

        assertThat(layer.kfree(0, p[0], 0)).isFalse();

        assertThat(layer.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE))
                .isEqualTo(before + 1);
        layer.machine().rcu().barrier();
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }
}
