package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.ArrayList;
import java.util.List;

/** A machine with SimplePageAllocator and SLOB behind the common slab layer. */
final class SlobFixture {
    final Machine machine;
    final SimplePageAllocator pages;
    final SlobAllocator slob;
    final SlobHeap heap;
    final SlabLayer layer;
    final long callSite;
    final List<String> trace = new ArrayList<>();

    SlobFixture() {
        this(SlobSettings.DEFAULT);
    }

    SlobFixture(SlobFit fit) {
        this(SlobSettings.DEFAULT.withFit(fit));
    }

    SlobFixture(SlobSettings settings) {
        machine = SimplePageAllocator.machine(64L << 20, 2);
        pages = (SimplePageAllocator) machine.pageAllocator();
        slob = new SlobAllocator(machine, settings);
        heap = slob.heap();
        layer = new SlabLayer(machine, slob);
        layer.init();
        callSite = machine.symbols().intern("slob_test", 0x10, 0x80);
        machine.tracer().addSink(trace::add);
    }

    PageFrames frames() {
        return machine.frames();
    }

    long kmalloc(long size) {
        return layer.kmalloc(0, size, Gfp.GFP_KERNEL, callSite);
    }

    boolean kfree(long obj) {
        return layer.kfree(0, obj, callSite);
    }

    KmemCache cache(String name, int size, int align, int flags) {
        return layer.kmemCacheCreate(name, size, align, flags, null, 0, 0, KmemCache.NO_FREEPTR_OFFSET);
    }

    long alloc(KmemCache c) {
        return layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, callSite);
    }

    boolean free(KmemCache c, long obj) {
        return layer.kmemCacheFree(0, c, obj, callSite);
    }

    /** Free blocks of the page holding {@code addr} as "offset:units" in address order. */
    List<String> blocks(long addr) {
        List<String> out = new ArrayList<>();
        heap.forEachFreeBlock(Addr.virtToPfn(addr), (off, units) -> out.add(off + ":" + units));
        return out;
    }

    static int unitOffset(long addr) {
        return Addr.offsetInPage(addr) / SlobBlock.SLOB_UNIT;
    }

    void assertValid() {
        assertThat(slob.validate()).isEmpty();
        assertThat(layer.validate()).isZero();
    }
}
