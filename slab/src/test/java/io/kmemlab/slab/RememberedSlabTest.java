package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import org.junit.jupiter.api.Test;

/**
 * The page a free's lookup found is remembered by its cache, so that the free itself (and the next
 * allocation of an object on that page) skips the page-struct lookup: the memory must be forgotten
 * when the slab is destroyed, or a later free of an address on that page would go to a slab that
 * no longer owns it.
 */
class RememberedSlabTest {

    @Test
    void freeAfterTheRememberedSlabWasDestroyed_isNotAppliedToIt() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 1);
        KmemCache a = t.create("memo_a", 256, 0, 0);
        long obj = t.layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        assertThat(t.layer.kmemCacheFree(0, a, obj, 0)).isTrue();
        // the object's page is remembered now; the shrink drains the CPU array and destroys the slab
        t.layer.kmemCacheShrink(a);
        assertThat(t.impl(a).slabinfo().numSlabs()).isZero();
        long bad = t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE);

        assertThat(t.layer.kmemCacheFree(0, a, obj, 0)).isFalse();

        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(bad + 1);
        assertThat(t.machine.dmesg().text()).contains("kmem_cache_free: Object is not a Slab page!");
        assertThat(t.impl(a).validateProblems()).isEmpty();
    }

    @Test
    void thePageReusedByAnotherCache_isThatCachesAgain() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 1);
        KmemCache a = t.create("memo_a", 256, 0, 0);
        KmemCache b = t.create("memo_b", 192, 0, 0);
        long obj = t.layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, 0);
        int page = Addr.virtToPfn(obj);
        assertThat(t.layer.kmemCacheFree(0, a, obj, 0)).isTrue();
        t.layer.kmemCacheShrink(a);
        // b's slabs come from the page allocator, which hands the freed page out again
        long onPage = 0;
        for (int i = 0; i < 4096 && onPage == 0; i++) {
            long p = t.layer.kmemCacheAlloc(0, b, Gfp.GFP_KERNEL, 0);
            if (Addr.virtToPfn(p) == page) {
                onPage = p;
            }
        }
        assertThat(onPage).as("a b object on a's old page").isNotZero();
        long bad = t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE);

        // named to the wrong cache: cache_from_obj warns and frees it to b, whose slab owns the page
        t.layer.kmemCacheFree(0, a, onPage, 0);

        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(bad + 1);
        assertThat(t.impl(a).validateProblems()).isEmpty();
        assertThat(t.impl(b).validateProblems()).isEmpty();
        // it went onto b's CPU array (slabinfo counts those as active): b's next allocation is it
        long again = t.layer.kmemCacheAlloc(0, b, Gfp.GFP_KERNEL, 0);
        assertThat(again).isEqualTo(onPage);
        assertThat(t.layer.kmemCacheFree(0, b, again, 0)).isTrue();
        assertThat(t.impl(b).validateProblems()).isEmpty();
    }
}
