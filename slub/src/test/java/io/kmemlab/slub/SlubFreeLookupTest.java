package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.EventType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kmem_cache_free's and kfree's one lookup: {@link SlubCache#ownerOf} (cache_from_obj, answered
 * from the slab remembered by the last lookup or found by {@link SlubAllocator#ownerOf}) followed
 * by {@link SlubCache#free} on that remembered slab. The same answers, reports and counters with
 * the kmem_cache_free tracepoint on (emitted between the lookup and the free) as off.
 */
class SlubFreeLookupTest {

    /** Good frees, then every kind of bad one; returns the free results, dmesg, stats and the sysfs counters. */
    private static List<String> scenario(boolean traced) {
        SlabLayer layer = SlubTesting.boot(2);
        layer.machine().tracer().setEnabled(EventType.KMEM_CACHE_FREE, traced);
        KmemCache a = layer.kmemCacheCreate("fl_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("fl_b", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        List<String> out = new ArrayList<>();
        long[] objs = new long[200];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(i & 1, a, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < objs.length - 2; i++) {
            out.add("free " + layer.kmemCacheFree(i % 3 == 0 ? 1 : 0, a, objs[i], 0));
        }
        long big = layer.kmalloc(0, 3 * Addr.PAGE_SIZE, Gfp.GFP_KERNEL, 0);
        out.add("outside memory " + layer.kmemCacheFree(0, a, 0x1000, 0));
        out.add("not a slab page " + layer.kmemCacheFree(0, a, big, 0));
        out.add("mid object " + layer.kmemCacheFree(0, a, objs[198] + 8, 0));
        out.add("wrong cache " + layer.kmemCacheFree(0, b, objs[198], 0));
        out.add("double free at the head " + layer.kmemCacheFree(0, a, objs[198], 0));
        out.add("last " + layer.kmemCacheFree(0, a, objs[199], 0));
        out.add(layer.machine().dmesg().text());
        out.add("bad frees " + layer.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE));
        for (String attr : List.of(
                "free_fastpath",
                "free_slowpath",
                "free_frozen",
                "cpu_partial_free",
                "free_remove_partial",
                "free_slab",
                "partial",
                "objects",
                "slabs")) {
            out.add(attr + " "
                    + layer.machine()
                            .vfs()
                            .read("/sys/kernel/slab/fl_a/" + attr)
                            .strip());
        }
        assertThat(layer.allocator().validate()).isEmpty();
        return out;
    }

    @Test
    void kmemCacheFree_givesTheSameResultsReportsAndCountersWithTheTracepointOnAndOff() {
        List<String> fast = scenario(false);
        List<String> general = scenario(true);
        assertThat(fast).isEqualTo(general);
        assertThat(fast)
                .contains(
                        "outside memory false",
                        "not a slab page false",
                        "mid object false",
                        "wrong cache true",
                        "double free at the head false",
                        "last true",
                        "bad frees 3");
        String dmesg = String.join("\n", fast);
        assertThat(dmesg)
                .contains("BUG: unable to handle page fault for address: 0000000000001000")
                .contains("kmem_cache_free: Object is not a Slab page!")
                .contains("Invalid object pointer 0x")
                .contains("kmem_cache_free: Wrong slab cache. fl_b but object is from fl_a")
                .contains("is already the freelist head (double free)");
    }

    @Test
    void ownerOf_forgetsADiscardedSlab_whosePageNowBelongsToAnotherCache() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("fd_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("fd_b", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long pa = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        assertThat(layer.kmemCacheFree(0, a, pa, 0)).isTrue();
        layer.kmemCacheShrink(a);
        long pb = layer.kmemCacheAlloc(0, b, Gfp.GFP_KERNEL, 0);
        assertThat(pb & ~4095L).as("b's new slab reuses the page a gave back").isEqualTo(pa & ~4095L);
        assertThat(a.impl().ownerOf(pb)).isSameAs(b.impl());
        assertThat(layer.kmemCacheFree(0, a, pb, 0)).isTrue();
        assertThat(layer.machine().dmesg().text())
                .contains("kmem_cache_free: Wrong slab cache. fd_a but object is from fd_b");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    /**
     * remembers(obj), kmem_cache_free's test for its direct path: an object start of the slab the
     * last lookup remembered, nothing else — not an address inside an object, not an object of
     * another slab, nothing once that slab is discarded.
     */
    @Test
    void remembers_answersOnlyObjectStartsOfTheRememberedSlab_andForgetsItsDiscardedSlab() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("rm_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long[] objs = new long[70];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        }
        SlubCache c = (SlubCache) a.impl();
        long p = objs[0];
        long other = -1;
        for (long o : objs) {
            if ((o & ~4095L) != (p & ~4095L)) {
                other = o;
            }
        }
        assertThat(other).as("70 objects of 64 bytes span two order-0 slabs").isNotEqualTo(-1);
        assertThat(c.ownerOf(p)).isSameAs(c);
        assertThat(c.remembers(p)).isTrue();
        for (long o : objs) {
            if ((o & ~4095L) == (p & ~4095L)) {
                assertThat(c.remembers(o))
                        .as("object start %x on the remembered slab", o)
                        .isTrue();
                assertThat(c.remembers(o + 8)).as("inside object %x", o).isFalse();
            }
        }
        assertThat(c.remembers(other)).as("an object of the other slab").isFalse();
        assertThat(c.remembers(p + (1L << 44))).isFalse();
        for (long o : objs) {
            assertThat(layer.kmemCacheFree(0, a, o, 0)).isTrue();
        }
        layer.kmemCacheShrink(a);
        assertThat(c.remembers(p)).as("the slab was discarded").isFalse();
        assertThat(layer.machine().dmesg().reportCount(ReportKind.SLAB_BAD_FREE))
                .isZero();
        assertThat(layer.machine().dmesg().text()).doesNotContain("BUG").doesNotContain("Invalid");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void free_onTheRememberedSlab_stillRefusesAnAddressThatIsNoObjectStart() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("fr_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        long q = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        assertThat(q & ~4095L).as("one order-0 slab").isEqualTo(p & ~4095L);
        SlabCache c = a.impl();
        assertThat(c.ownerOf(p)).isSameAs(c);
        assertThat(c.free(0, p, 0)).isTrue();
        assertThat(c.ownerOf(q + 8)).as("the remembered page").isSameAs(c);
        assertThat(c.free(0, q + 8, 0)).isFalse();
        assertThat(c.free(0, (q & ~4095L) + 4096 - 8, 0))
                .as("inside the last object")
                .isFalse();
        assertThat(layer.machine().dmesg().text()).contains("Invalid object pointer 0x" + Long.toHexString(q + 8));
        assertThat(c.free(0, q, 0)).isTrue();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    /**
     * The remembered-page compare takes the page number as a long: an address 2^44 bytes above an
     * object (2^32 pages, so its page number truncated to an int is the object's) or below the
     * direct map must not be taken for an address on the remembered page.
     */
    @Test
    void ownerOf_onTheRememberedPage_refusesAddressesWhosePageNumberOnlyMatchesWhenTruncated() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("ft_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        long q = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        SlabCache c = a.impl();
        assertThat(c.ownerOf(p)).as("remembered now").isSameAs(c);
        long aliasAbove = q + (1L << 44);
        long aliasBelow = q - (1L << 44);
        assertThat(Addr.virtToPfn(aliasAbove)).isEqualTo(Addr.virtToPfn(q));
        assertThat(Addr.virtToPfn(aliasBelow)).isEqualTo(Addr.virtToPfn(q));
        assertThat(c.ownerOf(aliasAbove)).isNull();
        assertThat(c.ownerOf(aliasBelow)).isNull();
        assertThat(layer.kmemCacheFree(0, a, aliasAbove, 0)).isFalse();
        assertThat(layer.kmemCacheFree(0, a, aliasBelow, 0)).isFalse();
        assertThat(layer.kfree(0, aliasAbove, 0)).isFalse();
        assertThat(layer.machine().dmesg().text())
                .contains("BUG: unable to handle page fault for address: " + String.format("%016x", aliasAbove));
        assertThat(c.free(0, aliasAbove, 0)).as("free's own compare").isFalse();
        assertThat(layer.kmemCacheFree(0, a, q, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, a, p, 0)).isTrue();
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void ownerOf_namesTheRealOwnerOrNothing_withoutTouchingAnything() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("fo_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        KmemCache b = layer.kmemCacheCreate("fo_b", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long p = layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        long big = layer.kmalloc(0, 3 * Addr.PAGE_SIZE, Gfp.GFP_KERNEL, 0);
        SlabCache bImpl = b.impl();
        assertThat(bImpl.ownerOf(p)).isSameAs(a.impl());
        assertThat(bImpl.ownerOf(0x1000)).isNull();
        assertThat(bImpl.ownerOf(-1L)).isNull();
        assertThat(bImpl.ownerOf(big)).as("a large kmalloc folio is no slab").isNull();
        assertThat(layer.allocator().ownerOf(p + 8))
                .as("any address on the slab")
                .isSameAs(a.impl());
        assertThat(layer.machine().dmesg().text()).doesNotContain("BUG").doesNotContain("WARNING");
        assertThat(layer.kmemCacheFree(0, a, p, 0)).isTrue();
        assertThat(layer.kfree(0, big, 0)).isTrue();
    }

    @Test
    void kfreeAndKmemCacheFree_interleavedOverCachesAndSlabs_eachFreeReachesItsOwnSlab() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache a = layer.kmemCacheCreate("fi_a", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long[] objs = new long[600];
        for (int i = 0; i < objs.length; i++) {
            objs[i] = i % 3 == 0
                    ? layer.kmemCacheAlloc(i & 1, a, Gfp.GFP_KERNEL, 0)
                    : layer.kmalloc(i & 1, i % 3 == 1 ? 64 : 192, Gfp.GFP_KERNEL, 0);
        }
        // free from both ends so that consecutive frees hit different slabs and caches
        for (int k = 0; k < objs.length; k++) {
            int i = (k & 1) == 0 ? k / 2 : objs.length - 1 - k / 2;
            boolean ok = i % 3 == 0 ? layer.kmemCacheFree(k & 1, a, objs[i], 0) : layer.kfree(k & 1, objs[i], 0);
            assertThat(ok).as("free %d", i).isTrue();
        }
        assertThat(layer.machine().dmesg().text()).doesNotContain("BUG").doesNotContain("WARNING");
        assertThat(layer.validate()).isZero();
        assertThat(layer.kmemCacheDestroy(a)).as("no object of fi_a is left").isTrue();
        assertThat(layer.allocator().validate()).isEmpty();
    }
}
