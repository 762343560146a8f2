package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** User corruption without debugging: reported, isolated, never followed as a wild pointer. */
class SlubCorruptionTest {

    @Test
    void useAfterFreeOverwritingFreePointer_isIsolatedOnNextAllocation() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("uaf", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long a = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        long b = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheFree(0, c, a, 0);
        layer.kmemCacheFree(0, c, b, 0);
        // b is the cpu freelist head; its free pointer (inside, at 32) is overwritten
        layer.machine().mem().fill(b, 0x41, 64);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            assertThat(p).isNotZero();
            assertThat(seen.add(p)).as("object %x handed out twice", p).isTrue();
        }
        assertThat(layer.machine().dmesg().text())
                .contains("BUG uaf (Not tainted): Freechain corrupt")
                .contains("FIX uaf: Isolate corrupted freechain");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void doubleFreeNotAtHead_isTheKernelsSilentCorruption_thenCaughtAsCycle() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("df", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long a = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        long b = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheFree(0, c, a, 0);
        layer.kmemCacheFree(0, c, b, 0);
        // a is not the head (b is): the hardened check does not fire, as in the kernel
        assertThat(layer.kmemCacheFree(0, c, a, 0)).isTrue();
        assertThat(layer.machine().dmesg().totalReports()).isZero();
        // flushing walks the cpu freelist a -> b -> a -> ...: bounded, reported, cut
        layer.kmemCacheShrink(c);
        assertThat(layer.machine().dmesg().text()).contains("Freelist cycle detected");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void freeIntoEmptySlab_refusedWithKernelMessage() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache c = layer.kmemCacheCreate("empty", 64, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        long a = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        long b = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        layer.kmemCacheShrink(c);
        assertThat(layer.kmemCacheFree(1, c, a, 0)).isTrue();
        assertThat(layer.kmemCacheFree(1, c, b, 0)).isTrue();
        assertThat(layer.kmemCacheFree(1, c, a, 0)).isFalse();
        assertThat(layer.machine().dmesg().text())
                .contains("BUG empty (Not tainted): Slab has 0 allocated objects but 1 are to be freed")
                .contains("FIX empty: Object at 0x" + Long.toHexString(a) + " not freed");
        assertThat(layer.allocator().validate()).isEmpty();
    }
}
